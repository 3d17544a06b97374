/* The peer's bench command (bench.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

struct peer_cfg {
	int variant, scenario;
	uint64_t size;
	unsigned reps;
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

static int find(const char *const *names, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
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
		c->variant = find(host_variant_names, HV_COUNT, v);
	else if (klen == 8 && strncmp(word, "scenario", 8) == 0)
		c->scenario = find(host_scenario_names, HS_COUNT, v);
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
	} else
		badcmd("bench: unknown key '%.*s'", (int)klen, word);
}

static void parse(int argc, char **argv, struct peer_cfg *c)
{
	*c = (struct peer_cfg){ -2, -2, 0, HOST_REPS_DEFAULT };
	for (int i = 1; i < argc; i++)
		set(c, argv[i]);
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
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = host_tsc_start();
		fb_calib_loop(FB_CALIB_ITERATIONS);
		uint64_t c = host_tsc_cycles(t0, host_tsc_end());
		best = c < best ? c : best;
	}
	struct rec r;
	rec_begin(&r, "calib");
	rec_u64(&r, "iterations", FB_CALIB_ITERATIONS);
	rec_u64(&r, "cycles", best);
	rec_u64(&r, "tsc_overhead", host_tsc_overhead);
	rec_u64(&r, "rdtscp", (uint64_t)host_tsc_rdtscp);
	rec_str(&r, "pmu", "not_measured_in_the_linux_peer");
	rec_end(&r);
}

void peer_bench(int argc, char **argv, uint64_t tsc_khz)
{
	struct peer_cfg c;
	struct host_env env;
	struct host_region region;
	struct metric_table rows = { 0 };
	char err[512];
	parse(argc, argv, &c);
	host_tsc_init();
	send_calibration();
	if (host_env_init(&env, WRITES_DEFAULT, err, sizeof(err)) < 0)
		peer_exit(FB_STATUS_FAIL, err);
	env.batch_min_cycles = tsc_khz * HOST_BATCH_MIN_MS;
	if (host_region_map(&region, c.size, c.variant == HV_FORK_THP, err,
			    sizeof(err)) < 0) {
		fprintf(stderr, "peer: %s\n", err);
		peer_exit(FB_STATUS_NOMEM, err);
	}
	enum samples_result res = host_samples(&env, c.variant, c.scenario,
					       &region, c.reps, 1, NULL,
					       peer_vmstat_observer(), &rows,
					       err, sizeof(err));
	for (size_t i = 0; i < rows.n; i++)
		send_row(&rows.rows[i]);
	if (res != SAMPLES_OK) {
		fprintf(stderr, "peer: %s\n", err);
		peer_exit(FB_STATUS_FAIL, err);
	}
	peer_exit(FB_STATUS_PASS, NULL);
}
