/*
 * The life of a sweep: its directory, the backend choice, the loop over
 * configurations with progress, and the result set assembled from the
 * per-configuration files at the end (or at an interrupt).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostinfo.h"
#include "meta.h"
#include "results.h"
#include "resultset.h"
#include "run.h"
#include "runout.h"

#define MAX_CONFIGS 1024

static int make_dirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static void run_id(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
}

/* Write name in dir from a string, atomically. */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096], tmp[4200];
	if (path_join(path, sizeof(path), dir, name) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	int bad = fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int save_args(const char *dir, int argc, char **argv)
{
	char text[8192] = "";
	size_t n = 0;
	for (int i = 0; i < argc && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n", argv[i]);
	return n < sizeof(text) ? write_file(dir, SWEEP_ARGS, text) : -1;
}

/* Ask kvm's validity check whether the guest runs hardware-virtualized. */
static const char *probe_kvm(const struct sweep_params *p, const char *dir,
			     char *why, size_t len)
{
	struct config c = { .variant = "vfork", .scenario = "create", .size = 0,
			    .key = "probe" };
	struct sweep_params q = *p;
	struct config_result res;
	char meta[4096], verdict[32] = "", ratio[32] = "?";
	q.backend = "kvm";
	q.reps = 1;
	q.timeout_s = 300;
	sweep_run_one(&q, &c, dir, &res);
	snprintf(meta, sizeof(meta), "%s/raw/probe.json", dir);
	if (!res.ok) {
		snprintf(why, len, "kvm cannot run the guest here (%s): using "
			 "deterministic QEMU TCG", res.reason);
		return "qemu-tcg-det";
	}
	meta_get(meta, "verdict", verdict, sizeof(verdict));
	meta_get(meta, "ratio", ratio, sizeof(ratio));
	if (strcmp(verdict, "valid") == 0) {
		snprintf(why, len, "kvm's validity check says hardware-virtualized "
			 "(guest/host calibration ratio %s)", ratio);
		return "kvm";
	}
	snprintf(why, len, "kvm's validity check says '%s' (guest/host "
		 "calibration ratio %s): cycle figures from kvm would not be "
		 "representative, so deterministic QEMU TCG", verdict, ratio);
	return "qemu-tcg-det";
}

/* The backend: given, chosen once and remembered, or read back on resume. */
static int pick_backend(struct sweep_params *p, const char *dir, int resuming,
			char *why, size_t len)
{
	static char chosen[32];
	char path[4096], line[1024];
	path_join(path, sizeof(path), dir, SWEEP_BACKEND);
	FILE *f = resuming ? fopen(path, "r") : NULL;
	if (f && fgets(line, sizeof(line), f)) {
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (tab) {
			*tab = '\0';
			snprintf(chosen, sizeof(chosen), "%.*s",
				 (int)sizeof(chosen) - 1, line);
			snprintf(why, len, "%.*s", (int)len - 1, tab + 1);
			p->backend = chosen;
			return 0;
		}
	} else if (f) {
		fclose(f);
	}
	if (strcmp(p->backend, "auto") == 0) {
		p->backend = probe_kvm(p, dir, why, len);
	} else {
		snprintf(why, len, "given with --backend");
	}
	snprintf(line, sizeof(line), "%.31s\t%.900s\n", p->backend, why);
	return write_file(dir, SWEEP_BACKEND, line);
}

static void format_duration(double s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%.0fs", s);
	else
		snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
}

/*
 * What a configuration costs, roughly: a boot plus work in proportion to
 * the parent size (measured on a default sweep: ~0.15 s at 0, ~2 s at
 * 256M, ~7 s at 1G). Big parents come last in a sweep, so counting
 * configurations alone would promise far too early an end.
 */
static double weight(const struct config *c)
{
	return 1.0 + (double)c->size / (24.0 * 1024 * 1024);
}

static void progress(const struct config *c, const struct config_result *r,
		     size_t done, size_t total, double elapsed,
		     double weight_ran, double weight_left)
{
	char el[16], eta[16];
	format_duration(elapsed, el, sizeof(el));
	format_duration(weight_ran > 0 ? elapsed / weight_ran * weight_left : 0,
			eta, sizeof(eta));
	fprintf(stderr, "run: [%zu/%zu] %s %s %llu: %s%s%s (%.1fs; elapsed %s, "
		"eta %s)\n", done, total, c->variant, c->scenario,
		(unsigned long long)c->size, r->ok ? "ok" : "FAILED",
		r->ok ? "" : ": ", r->ok ? "" : r->reason, r->wall_s, el, eta);
}

/* Append a configuration's rows (its CSV without the header). */
static int append_rows(FILE *out, const char *dir, const struct config *c)
{
	char path[4096], line[1024];
	snprintf(path, sizeof(path), "%s/raw/%s.csv", dir, c->key);
	FILE *in = fopen(path, "r");
	if (!in)
		return 0; /* failed configurations have no rows */
	int first = 1;
	while (fgets(line, sizeof(line), in)) {
		if (!first)
			fputs(line, out);
		first = 0;
	}
	fclose(in);
	return 0;
}

/* Append a configuration's status line; counts ok and failed. */
static int append_status(FILE *out, const char *dir, const struct config *c,
			 unsigned *ok, unsigned *failed)
{
	char path[4096], line[1024];
	snprintf(path, sizeof(path), "%s/raw/%s.status", dir, c->key);
	FILE *in = fopen(path, "r");
	if (!in)
		return 0; /* not run yet (interrupted) */
	if (fgets(line, sizeof(line), in)) {
		fputs(line, out);
		if (strstr(line, ",ok,"))
			++*ok;
		else
			++*failed;
	}
	fclose(in);
	return 0;
}

struct tally {
	unsigned ok, failed, not_run;
	double wall, guest;
};

/* metrics.csv and configs.csv from the per-configuration files. */
static int combine(const char *dir, const struct config *cs, size_t n,
		   struct tally *t)
{
	char mpath[4096], cpath[4096], mtmp[4200], ctmp[4200];
	path_join(mpath, sizeof(mpath), dir, METRICS_CSV);
	path_join(cpath, sizeof(cpath), dir, CONFIGS_CSV);
	snprintf(mtmp, sizeof(mtmp), "%s.tmp", mpath);
	snprintf(ctmp, sizeof(ctmp), "%s.tmp", cpath);
	FILE *m = fopen(mtmp, "w"), *c = fopen(ctmp, "w");
	int rc = m && c ? 0 : -1;
	if (rc == 0) {
		fprintf(m, "%s\n", RESULTS_CSV_HEADER);
		fprintf(c, "%s\n", CONFIGS_CSV_HEADER);
		for (size_t i = 0; i < n; i++) {
			append_rows(m, dir, &cs[i]);
			append_status(c, dir, &cs[i], &t->ok, &t->failed);
		}
		t->not_run = (unsigned)n - t->ok - t->failed;
	}
	rc |= m ? fclose(m) : 0;
	rc |= c ? fclose(c) : 0;
	if (rc || rename(mtmp, mpath) < 0 || rename(ctmp, cpath) < 0) {
		unlink(mtmp);
		unlink(ctmp);
		return -1;
	}
	return 0;
}

static void json_list(FILE *f, const char *key, const char *const *v,
		      unsigned n)
{
	fprintf(f, "\"%s\": [", key);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", v[i]);
	fprintf(f, "]");
}

/* One scalar copied from the first configuration's own metadata. */
static void copy_meta(FILE *f, const char *first_meta, const char *key,
		      int quoted)
{
	char v[512];
	if (!first_meta || meta_get(first_meta, key, v, sizeof(v)) < 0)
		fprintf(f, "  \"%s\": null,\n", key);
	else if (quoted)
		fprintf(f, "  \"%s\": \"%s\",\n", key, v);
	else
		fprintf(f, "  \"%s\": %s,\n", key, v);
}

static void write_sweep_json(FILE *f, const struct sweep_params *p)
{
	fprintf(f, "  \"sweep\": {");
	json_list(f, "variants", p->variants, p->nvariants);
	fprintf(f, ", ");
	json_list(f, "scenarios", p->scenarios, p->nscenarios);
	fprintf(f, ", \"sizes\": [");
	for (unsigned i = 0; i < p->nsizes; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)p->sizes[i]);
	fprintf(f, "], \"reps\": %u},\n", p->reps);
}

struct meta_facts {
	const struct sweep_params *p;
	const char *dir, *why, *first_meta;
	int argc;
	char **argv;
	const struct tally *t;
};

static void write_meta(FILE *f, const struct meta_facts *m)
{
	char esc[8192], cmd[4096] = "", when[32];
	size_t n = 0;
	for (int i = 0; i < m->argc && n < sizeof(cmd); i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "%s%s",
				      i ? " " : "", m->argv[i]);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "{\n  \"schema\": \"forkbench-resultset-1\",\n"
		   "  \"kind\": \"guest\",\n  \"created\": \"%s\",\n", when);
	hostinfo_json_escape(esc, sizeof(esc), cmd);
	fprintf(f, "  \"command\": \"forkbench %s\",\n", esc);
	fprintf(f, "  \"backend\": \"%s\",\n", m->p->backend);
	hostinfo_json_escape(esc, sizeof(esc), m->why);
	fprintf(f, "  \"backend_reason\": \"%s\",\n", esc);
	copy_meta(f, m->first_meta, "tsc_khz", 0);
	copy_meta(f, m->first_meta, "verdict", 1);
	copy_meta(f, m->first_meta, "ratio", 0);
	copy_meta(f, m->first_meta, "why", 1);
	copy_meta(f, m->first_meta, "git_revision", 1);
	write_sweep_json(f, m->p);
	fprintf(f, "  \"configs\": {\"ok\": %u, \"failed\": %u, \"not_run\": %u},\n",
		m->t->ok, m->t->failed, m->t->not_run);
	fprintf(f, "  \"overhead\": {\"wall_s\": %.3f, \"guest_s\": %.3f},\n",
		m->t->wall, m->t->guest);
	struct hostinfo h;
	char err[256];
	hostinfo_collect(&h, FB_SRC_DIR, err, sizeof(err));
	fprintf(f, "  \"host\": ");
	hostinfo_write_json(&h, f);
	fprintf(f, "\n}\n");
}

static int write_meta_file(const struct meta_facts *m)
{
	char path[4096], tmp[4200];
	path_join(path, sizeof(path), m->dir, META_JSON);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	write_meta(f, m);
	int bad = ferror(f) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The first configuration that produced metadata, for run-wide facts. */
static const char *first_meta(const char *dir, const struct config *cs,
			      size_t n, char *buf, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, len, "%s/raw/%s.json", dir, cs[i].key);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

static void install(void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}


/* Run what is not done yet; sums wall and guest time; how many ran. */
static size_t run_configs(struct sweep_params *p, const char *dir,
			const struct config *cs, size_t n,
			volatile sig_atomic_t *interrupted, struct tally *t)
{
	double t0 = now_seconds(), w_ran = 0, w_left = 0;
	size_t done = 0, ran = 0;
	for (size_t i = 0; i < n; i++) {
		int finished = sweep_done(dir, &cs[i]);
		done += finished;
		w_left += finished ? 0 : weight(&cs[i]);
	}
	for (size_t i = 0; i < n && !*interrupted; i++) {
		if (sweep_done(dir, &cs[i]))
			continue;
		struct config_result r;
		sweep_run_one(p, &cs[i], dir, &r);
		if (*interrupted)
			break; /* that configuration was cut short: not done */
		if (sweep_write_status(dir, &cs[i], &r) < 0)
			fprintf(stderr, "run: cannot record %s\n", cs[i].key);
		t->wall += r.wall_s;
		t->guest += r.guest_s > 0 ? r.guest_s : 0;
		w_ran += weight(&cs[i]);
		w_left -= weight(&cs[i]);
		ran++;
		progress(&cs[i], &r, ++done, n, now_seconds() - t0, w_ran, w_left);
	}
	return ran;
}

static void report_overhead(const struct tally *t, size_t ran)
{
	if (!ran || t->wall <= 0)
		return;
	fprintf(stderr, "run: overhead: %.2fs per configuration, %.2fs of it "
		"running the guest (for QEMU backends, QEMU's own start "
		"included), %.2fs outside (VMM setup, parsing, writing: "
		"%.0f%%)\n", t->wall / (double)ran, t->guest / (double)ran,
		(t->wall - t->guest) / (double)ran,
		100.0 * (t->wall - t->guest) / t->wall);
}

static int prepare_dir(const char *dir, int resuming, int argc, char **argv)
{
	char raw[4096], args[4096];
	snprintf(raw, sizeof(raw), "%s/raw", dir);
	path_join(args, sizeof(args), dir, SWEEP_ARGS);
	if (!resuming && access(args, F_OK) == 0) {
		fprintf(stderr, "forkbench run: %s already holds a sweep (use "
			"--resume %s, or another --out)\n", dir, dir);
		return -1;
	}
	if (make_dirs(raw) < 0 || (!resuming && save_args(dir, argc, argv) < 0)) {
		fprintf(stderr, "forkbench run: cannot write %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	return 0;
}

int run_sweep(struct sweep_params *p, const char *dir, int resuming,
	      int argc, char **argv, volatile sig_atomic_t *interrupted,
	      void (*on_interrupt)(int))
{
	static struct config cs[MAX_CONFIGS];
	char newdir[64], why[600], metabuf[4096];
	if (!dir) {
		char id[32];
		run_id(id, sizeof(id));
		snprintf(newdir, sizeof(newdir), "results/%s", id);
		dir = newdir;
	}
	if (prepare_dir(dir, resuming, argc, argv) < 0)
		return 2;
	install(on_interrupt);
	if (pick_backend(p, dir, resuming, why, sizeof(why)) < 0) {
		fprintf(stderr, "forkbench run: cannot write %s\n", dir);
		return 2;
	}
	size_t n = sweep_configs(p, cs, MAX_CONFIGS);
	fprintf(stderr, "run: %s: %zu configurations x %u reps on %s (%s)\n",
		dir, n, p->reps, p->backend, why);
	struct tally t = { 0 };
	size_t ran = run_configs(p, dir, cs, n, interrupted, &t);
	struct tally all = t;
	all.ok = all.failed = 0;
	if (combine(dir, cs, n, &all) < 0) {
		fprintf(stderr, "forkbench run: cannot write the result set in %s\n",
			dir);
		return 1;
	}
	struct meta_facts m = { p, dir, why, first_meta(dir, cs, n, metabuf,
							sizeof(metabuf)),
				argc, argv, &all };
	if (write_meta_file(&m) < 0)
		fprintf(stderr, "forkbench run: cannot write %s/%s\n", dir, META_JSON);
	report_overhead(&t, ran);
	fprintf(stderr, "run: %s: %u ok, %u failed, %u not run\n", dir, all.ok,
		all.failed, all.not_run);
	if (*interrupted) {
		fprintf(stderr, "run: interrupted; finish with: forkbench run "
			"--resume %s\n", dir);
		return 130;
	}
	return all.failed ? 1 : 0;
}
