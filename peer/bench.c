/* The peer's bench command (bench.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "bench.h"
#include "end.h"
#include "fb_calib.h"
#include "fb_vocab.h"
#include "host_batch.h"
#include "host_samples.h"
#include "host_tsc.h"
#include "kernel/record.h"
#include "parse.h"
#include "vmstat.h"

#define WRITES_DEFAULT 64 /* cow: as the guest's bench and forkbench host */
/*
 * A batch lasts at least this long here, not forkbench host's 1 ms: the
 * guest kernel's timer tick (4 ms at HZ=250) lands in a 1 ms batch or not,
 * and an exit_wait sample of about 75 k instructions per loop then came
 * out 69 k or 80 k by the tick's phase alone (medians of two sweeps 15%
 * apart). Five ticks per batch average it out.
 */
#define PEER_BATCH_MIN_MS 20u

#define PAIRS_MAX 32 /* every (variant, scenario) forkbench host has */

struct pair {
	int variant, scenario;
};

/*
 * One boot runs every pair for one parent size: variant= and scenario=
 * name one, pairs=v:s,v:s... several (forkbench run --os linux boots once
 * per size).
 */
struct peer_cfg {
	int variant, scenario;
	struct pair pairs[PAIRS_MAX];
	unsigned npairs;
	int from_list; /* pairs= */
	uint64_t size;
	unsigned reps;
	int sim; /* sim=on: report the probes' fbsim regions (rec_sim) */
	uint64_t stlb, hot_kb; /* the probes' pass sizes, if given */
};

__attribute__((noreturn, format(printf, 1, 2))) static void
badcmd(const char *fmt, ...)
{
	char what[FB_REC_VALUE_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "peer: %s\n", what);
	peer_exit(FB_STATUS_BADCMD, what);
}

/* "v:s,v:s" into c->pairs, each checked. */
static void set_pairs(struct peer_cfg *c, const char *list)
{
	char buf[1024], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(p, ':');
		if (!colon || c->npairs == PAIRS_MAX)
			badcmd("bench: pairs: '%s' is not variant:scenario (at "
			       "most %d)", p, PAIRS_MAX);
		*colon = '\0';
		struct pair *x = &c->pairs[c->npairs++];
		x->variant = fb_vocab_find(host_variant_names, HV_COUNT, p);
		x->scenario = fb_vocab_find(host_scenario_names, HS_COUNT, colon + 1);
		if (x->variant < 0 || x->scenario < 0 ||
		    !host_applies(x->variant, x->scenario))
			badcmd("bench: pairs: %s:%s is no configuration", p,
			       colon + 1);
	}
}

/* One key=value word into c. */
static void set(struct peer_cfg *c, const char *word)
{
	const char *eq = strchr(word, '=');
	if (!eq)
		badcmd("bench: '%s' is not key=value", word);
	const char *v = eq + 1;
	size_t klen = (size_t)(eq - word);
	if (klen == 7 && strncmp(word, "variant", 7) == 0)
		c->variant = fb_vocab_find(host_variant_names, HV_COUNT, v);
	else if (klen == 8 && strncmp(word, "scenario", 8) == 0)
		c->scenario = fb_vocab_find(host_scenario_names, HS_COUNT, v);
	else if (klen == 5 && strncmp(word, "pairs", 5) == 0)
		set_pairs(c, v);
	else if (klen == 4 && strncmp(word, "size", 4) == 0) {
		if (parse_size(v, &c->size) < 0 || c->size % HOST_PAGE)
			badcmd("bench: size '%s': a multiple of 4K", v);
	} else if (klen == 4 && strncmp(word, "reps", 4) == 0) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || errno || n < 1 ||
		    n > HOST_REPS_MAX)
			badcmd("bench: reps '%s': 1..%d", v, HOST_REPS_MAX);
		c->reps = (unsigned)n;
	} else if ((klen == 4 && strncmp(word, "stlb", 4) == 0) ||
		   (klen == 6 && strncmp(word, "hot_kb", 6) == 0)) {
		uint64_t *to = klen == 4 ? &c->stlb : &c->hot_kb;
		char *end;
		errno = 0;
		unsigned long long n = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || errno || n < 1 ||
		    n > (1u << 20))
			badcmd("bench: %.*s '%s': 1..%u", (int)klen, word, v,
			       1u << 20);
		*to = n;
	} else if (klen == 3 && strncmp(word, "sim", 3) == 0) {
		if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
			badcmd("bench: sim '%s': on or off", v);
		c->sim = strcmp(v, "on") == 0;
	} else
		badcmd("bench: unknown key '%.*s'", (int)klen, word);
}

static void parse(int argc, char **argv, struct peer_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->variant = c->scenario = -2;
	c->reps = HOST_REPS_DEFAULT;
	for (int i = 1; i < argc; i++)
		set(c, argv[i]);
	if (c->npairs) {
		if (c->variant != -2 || c->scenario != -2)
			badcmd("bench: pairs= or variant= and scenario=, not both");
		c->from_list = 1;
		return;
	}
	if (c->variant < 0)
		badcmd("bench: variant %s", c->variant == -2 ? "missing"
							      : "unknown");
	if (c->scenario < 0)
		badcmd("bench: scenario %s", c->scenario == -2 ? "missing"
								: "unknown");
	if (!host_applies(c->variant, c->scenario))
		badcmd("bench: scenario %s does not apply to %s",
		       host_scenario_names[c->scenario],
		       host_variant_names[c->variant]);
	c->pairs[0] = (struct pair){ c->variant, c->scenario };
	c->npairs = 1;
}

/* The value as the guest writes it: integers as integers. */
static void value_text(const struct metric_row *r, char *buf, size_t len)
{
	if (!r->has_value)
		snprintf(buf, len, "NA");
	else if (r->value == (double)(uint64_t)r->value)
		snprintf(buf, len, "%llu", (unsigned long long)r->value);
	else
		snprintf(buf, len, "%.3f", r->value);
}

static void send_row(const struct metric_row *r)
{
	char value[48];
	struct rec rec;
	value_text(r, value, sizeof(value));
	rec_begin(&rec, "metric");
	rec_str(&rec, "variant", r->variant);
	rec_str(&rec, "scenario", r->scenario);
	rec_u64(&rec, "size", r->size);
	rec_u64(&rec, "rep", r->rep);
	rec_str(&rec, "metric", r->metric);
	rec_str(&rec, "value", value);
	rec_str(&rec, "unit", r->unit);
	if (r->note[0])
		rec_str(&rec, "note", r->note);
	rec_end(&rec);
}

/*
 * The loop the host compares its own with: the same instructions, here
 * in the guest's user mode. The privileged operations cannot be timed
 * from user mode: they are left out, and the verdict says so.
 */
static void send_calibration(void)
{
	uint64_t best = fb_calib_cycles(host_tsc_rdtscp, host_tsc_overhead);
	struct rec r;
	rec_begin(&r, "calib");
	rec_u64(&r, "iterations", FB_CALIB_ITERATIONS);
	rec_u64(&r, "cycles", best);
	rec_u64(&r, "tsc_overhead", host_tsc_overhead);
	rec_u64(&r, "rdtscp", (uint64_t)host_tsc_rdtscp);
	rec_str(&r, "pmu", "not_measured_in_the_linux_peer");
	rec_end(&r);
}

/* How one configuration went: the host splits the boot's rows by it. */
static void send_config(const struct pair *x, uint64_t size, int ok,
			const char *reason, double seconds)
{
	struct rec r;
	rec_begin(&r, "config");
	rec_str(&r, "variant", host_variant_names[x->variant]);
	rec_str(&r, "scenario", host_scenario_names[x->scenario]);
	rec_u64(&r, "size", size);
	rec_str(&r, "status", ok ? "ok" : "failed");
	if (!ok)
		rec_str(&r, "reason", reason);
	rec_u64(&r, "wall_us", (uint64_t)(seconds * 1e6));
	rec_end(&r);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The parent for pair x: the 4K-page one, or a huge-page one for
 * linux_fork_thp; mapped when the kind changes (never both in memory).
 * 0, or -1 with the reason.
 */
static int parent_for(const struct pair *x, uint64_t size,
		      struct host_region *r, int *thp, char *err, size_t len)
{
	int want = x->variant == HV_FORK_THP;
	if (r->size == size && want == *thp && (r->base || size == 0))
		return 0;
	host_region_unmap(r);
	*thp = want;
	return host_region_map(r, size, want, err, len);
}

/* One configuration: its rows, then its config record. 1 when it was ok. */
static int run_pair(const struct pair *x, const struct peer_cfg *c,
		    struct host_env *env, struct host_region *region, int *thp,
		    struct metric_table *rows)
{
	char err[512];
	double t0 = seconds_now();
	enum samples_result res = SAMPLES_FAILED;
	rows->n = 0;
	if (parent_for(x, c->size, region, thp, err, sizeof(err)) == 0)
		res = host_samples(env, x->variant, x->scenario, region, c->reps,
				   1, NULL, peer_vmstat_observer(), rows, err,
				   sizeof(err));
	for (size_t i = 0; i < rows->n; i++)
		send_row(&rows->rows[i]);
	if (res != SAMPLES_OK)
		fprintf(stderr, "peer: %s %s: %s\n", host_variant_names[x->variant],
			host_scenario_names[x->scenario], err);
	send_config(x, c->size, res == SAMPLES_OK, err, seconds_now() - t0);
	return res == SAMPLES_OK;
}

void peer_bench(int argc, char **argv, uint64_t tsc_khz)
{
	struct peer_cfg c;
	struct host_env env;
	struct host_region region = { 0 };
	struct metric_table rows = { 0 };
	char err[512];
	int thp = -1;
	unsigned ok = 0;
	parse(argc, argv, &c);
	host_tsc_init();
	send_calibration();
	if (host_env_init(&env, WRITES_DEFAULT, err, sizeof(err)) < 0)
		peer_exit(FB_STATUS_FAIL, err);
	env.batch_min_cycles = tsc_khz * PEER_BATCH_MIN_MS;
	env.sim_region = c.sim ? rec_sim : NULL;
	env.stlb = c.stlb;
	env.hot_kb = c.hot_kb;
	for (unsigned i = 0; i < c.npairs; i++)
		ok += (unsigned)run_pair(&c.pairs[i], &c, &env, &region, &thp,
					 &rows);
	if (ok == c.npairs)
		peer_exit(FB_STATUS_PASS, NULL);
	snprintf(err, sizeof(err), "%u of %u configurations failed",
		 c.npairs - ok, c.npairs);
	/*
	 * pairs=: the boot did what it was asked, each configuration's
	 * status is its config record (the sweep keeps the others' rows);
	 * a single configuration fails the run.
	 */
	peer_exit(c.from_list ? FB_STATUS_PASS : FB_STATUS_FAIL, err);
}
