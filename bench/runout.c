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
#include <unistd.h>

#include "atomic_write.h"
#include "bzimage.h"
#include "clock.h"
#include "csvjson.h"
#include "errmsg.h"
#include "hostinfo.h"
#include "meta.h"
#include "mkdirp.h"
#include "resultset.h"
#include "rsmeta.h"
#include "runout.h"
#include "sweep_sim.h"
#include "schema.h"
#include "sweep_group.h"

#define MAX_CONFIGS 1024

/* Write name in dir from a string, atomically; -1 with err. */
static int write_file(const char *dir, const char *name, const char *text,
		      char *err, size_t errlen)
{
	char path[4096];
	if (path_join(path, sizeof(path), dir, name) < 0) {
		errmsg_cannot(err, errlen, "write", dir, ENAMETOOLONG);
		return -1;
	}
	return atomic_write(path, text, strlen(text), err, errlen);
}

static int save_args(const char *dir, int argc, char **argv, char *err,
		     size_t errlen)
{
	char text[8192] = "";
	size_t n = 0;
	for (int i = 0; i < argc && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n", argv[i]);
	if (n < sizeof(text))
		return write_file(dir, SWEEP_ARGS, text, err, errlen);
	errmsg_cannot(err, errlen, "write", dir, E2BIG);
	return -1;
}

/*
 * The backend: given, chosen once and remembered, or read back on resume.
 * -1 with err when it cannot be remembered.
 */
static int pick_backend(struct sweep_params *p, const char *dir, int resuming,
			char *why, size_t len, char *err, size_t errlen)
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
		if (sweep_which_backend(p, chosen, sizeof(chosen), why, len) < 0) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		p->backend = chosen;
	} else {
		snprintf(why, len, "given with --backend");
	}
	snprintf(line, sizeof(line), "%.31s\t%.900s\n", p->backend, why);
	return write_file(dir, SWEEP_BACKEND, line, err, errlen);
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

/* Append a finished configuration's rows (its CSV without the header). */
static int append_rows(FILE *out, const char *dir, const struct config *c,
		       char *err, size_t errlen)
{
	char path[4096], line[1024];
	snprintf(path, sizeof(path), "%s/raw/%s.csv", dir, c->key);
	FILE *in = fopen(path, "r");
	if (!in) {
		errmsg_cannot(err, errlen, "read", path, errno);
		return -1;
	}
	int first = 1;
	while (fgets(line, sizeof(line), in)) {
		if (!first)
			fputs(line, out);
		first = 0;
	}
	int bad = ferror(in);
	if (bad)
		errmsg_cannot(err, errlen, "read", path, errno);
	fclose(in);
	return bad ? -1 : 0;
}

/* A configuration's status line: 1, 0 if it has none (not run), or -1. */
static int read_status(const char *dir, const struct config *c, char *line,
		       size_t len, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/raw/%s.status", dir, c->key);
	FILE *in = fopen(path, "r");
	if (!in && errno == ENOENT)
		return 0;
	int got = in && fgets(line, (int)len, in);
	int bad = !in || ferror(in);
	if (bad)
		errmsg_cannot(err, errlen, "read", path, errno);
	if (in)
		fclose(in);
	return bad ? -1 : got;
}

struct tally {
	unsigned ok, failed, not_run;
	double wall, guest;
	double first_record; /* summed over first_records configurations */
	size_t first_records;
};

/*
 * A status line says ok in its fourth field. The first three never hold
 * a comma; the reason after it may hold ",ok,".
 */
static int status_ok(const char *line)
{
	for (int i = 0; i < 3 && line; i++) {
		line = strchr(line, ',');
		line = line ? line + 1 : NULL;
	}
	return line && strncmp(line, "ok,", 3) == 0;
}

/*
 * A configuration's line in configs.csv and, when it passed, its rows in
 * metrics.csv (fbvmm keeps a CSV only for a run that passed, so a missing
 * one is an error, not an empty configuration). Counts ok and failed.
 */
static int append_config(FILE *m, FILE *c, const char *dir,
			 const struct config *cf, struct tally *t, char *err,
			 size_t errlen)
{
	char line[4096]; /* a reason of up to 1K, quoted */
	int st = read_status(dir, cf, line, sizeof(line), err, errlen);
	if (st <= 0)
		return st;
	fputs(line, c);
	if (!status_ok(line)) {
		t->failed++;
		return 0;
	}
	t->ok++;
	return append_rows(m, dir, cf, err, errlen);
}

/* metrics.csv and configs.csv, in memory, from the per-configuration files. */
static int combine(FILE *m, FILE *c, const char *dir, const struct config *cs,
		   size_t n, struct tally *t, char *err, size_t errlen)
{
	fprintf(m, "%s\n", RESULTS_CSV_HEADER);
	fprintf(c, "%s\n", CONFIGS_CSV_HEADER);
	for (size_t i = 0; i < n; i++)
		if (append_config(m, c, dir, &cs[i], t, err, errlen) < 0)
			return -1;
	t->not_run = (unsigned)n - t->ok - t->failed;
	return 0;
}

struct meta_facts {
	const struct sweep_params *p;
	const char *dir, *why, *first_meta;
	const char *sim_meta; /* the first that ran the model, or NULL */
	int argc;
	char **argv;
	const struct tally *t;
};

/*
 * What a guest sweep knows only from its configurations' own metadata
 * (fbvmm --meta, vmm/results.c): the first one that has it speaks for
 * the run, as every configuration runs on the same backend and clock.
 */
struct raw_facts {
	char source[64], verdict[64], why[1024], git[64];
	char sim[1900]; /* meta.json's "sim" object */
	char ops[2048], failed[256];
	double tsc_khz, overhead, ratio, guest_calib, host_calib;
	const char *from; /* raw/KEY.json, or NULL */
	const struct sweep_params *p;
};

/* "PACKAGE VERSION" from a forkbench-kernel.txt / kernel.txt, or NULL. */
static const char *package_of(const char *path, char *buf, size_t len)
{
	char line[256], pkg[128] = "", ver[64] = "";
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "package %127s", pkg);
		sscanf(line, "version %63s", ver);
	}
	fclose(f);
	if (!pkg[0])
		return NULL;
	snprintf(buf, len, "%s %s", pkg, ver);
	return buf;
}

/*
 * The Debian package a kernel came from, as scripts/linux_kernel.sh left
 * it: kernel.txt beside the default link, or forkbench-kernel.txt in the
 * unpacked package above boot/. NULL for any other bzImage.
 */
static const char *kernel_package(const char *kernel, char *buf, size_t len)
{
	char path[4096];
	const char *slash = strrchr(kernel, '/');
	int dir = slash ? (int)(slash - kernel + 1) : 0;
	snprintf(path, sizeof(path), "%.*skernel.txt", dir, kernel);
	if (package_of(path, buf, len))
		return buf;
	snprintf(path, sizeof(path), "%.*s../forkbench-kernel.txt", dir, kernel);
	return package_of(path, buf, len);
}

/* A string at path in the raw file, or NULL (written as null). */
static const char *raw_string(const char *file, const char *path, char *buf,
			      size_t len)
{
	return file && meta_get(file, path, buf, len) == 0 ? buf : NULL;
}

/* A number at path in the raw file, or -1 (written as null). */
static double raw_number(const char *file, const char *path)
{
	double v;
	return file && meta_get_number(file, path, &v) == 0 && v >= 0 ? v : -1;
}

static void read_raw(const struct meta_facts *m, struct raw_facts *r)
{
	const char *f = m->first_meta;
	r->from = f ? f + strlen(m->dir) + 1 : NULL; /* relative to the set */
	r->tsc_khz = raw_number(f, "tsc_khz");
	r->overhead = raw_number(f, "tsc_overhead_cycles");
	r->ratio = raw_number(f, "validity.ratio");
	r->guest_calib = raw_number(f, "validity.guest_calib_cycles");
	r->host_calib = raw_number(f, "validity.host_calib_cycles");
}

/*
 * The model's use: on or off, and its parameters (the plugin's header:
 * sizes and the preset or CPUID source) from a configuration it ran in.
 */
static void sim_facts(const struct meta_facts *m, struct raw_facts *r)
{
	char model[1024], esc[1100], from[600], where[1800] = "null";
	const char *f = m->sim_meta;
	if (f && meta_get(f, "sim.model", model, sizeof(model)) == 0) {
		json_escape(esc, sizeof(esc), model);
		json_escape(from, sizeof(from), f + strlen(m->dir) + 1);
		snprintf(where, sizeof(where), "\"%s\", \"model_from\": \"%s\"",
			 esc, from);
	}
	snprintf(r->sim, sizeof(r->sim), "{\"on\": %s, \"model\": %s}",
		 m->p->sim_on || m->sim_meta ? "true" : "false", where);
}

/* meta.json's "guest" object: where the run-wide guest facts came from. */
static void guest_members(struct rsmeta_obj *o, const void *ctx)
{
	const struct raw_facts *r = ctx;
	rsmeta_string(o, "facts_from", r->from);
	rsmeta_number(o, "guest_calib_cycles", r->guest_calib, "%.0f");
	rsmeta_number(o, "host_calib_cycles", r->host_calib, "%.0f");
	rsmeta_raw(o, "sim", r->sim);
}

/*
 * The "linux-guest" object: the guest's facts and the kernel that ran,
 * its version string from the bzImage, and the Debian package when it is
 * the one scripts/linux_kernel.sh fetched (kernel.txt beside it).
 */
static void linux_guest_members(struct rsmeta_obj *o, const void *ctx)
{
	const struct raw_facts *r = ctx;
	char version[256], err[512], package[256];
	guest_members(o, ctx);
	rsmeta_string(o, "kernel", r->p->guest);
	rsmeta_string(o, "kernel_version",
		      bzimage_check_file(r->p->guest, version, sizeof(version),
					 err, sizeof(err)) == 0 ? version : NULL);
	rsmeta_string(o, "kernel_package",
		      kernel_package(r->p->guest, package, sizeof(package)));
	rsmeta_string(o, "initrd", r->p->initrd);
}

static void write_meta(FILE *f, const struct meta_facts *m)
{
	struct raw_facts r;
	struct hostinfo h;
	char err[256];
	const char *fm = m->first_meta;
	read_raw(m, &r);
	sim_facts(m, &r);
	hostinfo_collect(&h, FB_SRC_DIR, err, sizeof(err));
	const struct sweep_params *p = m->p;
	int linux = sweep_is_linux(p);
	r.p = p;
	struct rsmeta x = {
		.kind = linux ? "linux-guest" : "guest",
		.command_prefix = "forkbench",
		.argc = m->argc, .argv = m->argv,
		/* the revision that measured, else this one's */
		.git_revision = raw_string(fm, "git_revision", r.git,
					   sizeof(r.git)),
		.backend = p->backend, .backend_reason = m->why,
		.tsc_khz = r.tsc_khz,
		.tsc_khz_source = raw_string(fm, "tsc_khz_source", r.source,
					     sizeof(r.source)),
		.tsc_overhead_cycles = r.overhead,
		.verdict = raw_string(fm, "validity.verdict", r.verdict,
				      sizeof(r.verdict)),
		.why = raw_string(fm, "validity.why", r.why, sizeof(r.why)),
		.ratio = r.ratio,
		.validity_ops = meta_get_json(fm, "validity.ops", r.ops,
					      sizeof(r.ops)) == 0 ? r.ops : NULL,
		.validity_failed = meta_get_json(fm, "validity.failed", r.failed,
						 sizeof(r.failed)) == 0
					   ? r.failed : NULL,
		.sweep = { p->variants, p->scenarios, p->nvariants,
			   p->nscenarios, p->sizes, p->nsizes, p->reps,
			   p->shard_k, p->shard_n, sweep_parent_pages(p) },
		.planned = m->t->ok + m->t->failed + m->t->not_run,
		.ok = m->t->ok, .failed = m->t->failed,
		.not_run = m->t->not_run,
		.wall_s = m->t->wall, .guest_s = m->t->guest,
		.kind_members = linux ? linux_guest_members : guest_members,
		.kind_ctx = &r,
		.host = &h,
	};
	rsmeta_write(f, &x);
}

static const char *const set_files[] = { METRICS_CSV, CONFIGS_CSV,
					 META_JSON };
#define SET_FILES 3

/*
 * Stage all the files, then rename them into place: a failure to write
 * any of them leaves the previous set whole.
 */
static int replace_set(const char *dir, char *const *text, const size_t *len,
		       char *err, size_t errlen)
{
	char path[SET_FILES][4096];
	int staged = 0, rc = 0;
	for (; staged < SET_FILES && rc == 0; staged++) {
		path_join(path[staged], sizeof(path[staged]), dir,
			  set_files[staged]);
		rc = atomic_stage(path[staged], text[staged], len[staged],
				      err, errlen);
	}
	for (int i = 0; i < staged; i++) {
		if (rc == 0)
			rc = atomic_commit(path[i], err, errlen);
		else
			atomic_unstage(path[i]);
	}
	return rc;
}

enum set_outcome {
	SET_WRITTEN,
	SET_NOT_BUILT,   /* a configuration's files unreadable: counts unknown */
	SET_NOT_WRITTEN, /* built (counts known), but could not be written */
};

/*
 * The result set (metrics.csv, configs.csv, meta.json) from the
 * per-configuration files: built in memory, then written. Fills t's
 * counts, which meta.json reports (m->t is t).
 */
static enum set_outcome write_result_set(const struct meta_facts *m,
					 const struct config *cs, size_t n,
					 struct tally *t, char *err,
					 size_t errlen)
{
	char *text[SET_FILES] = { 0 };
	size_t len[SET_FILES] = { 0 };
	FILE *f[SET_FILES];
	int mem_ok = 1;
	for (int i = 0; i < SET_FILES; i++) {
		f[i] = open_memstream(&text[i], &len[i]);
		mem_ok &= f[i] != NULL;
	}
	enum set_outcome out = SET_NOT_BUILT;
	if (mem_ok && combine(f[0], f[1], m->dir, cs, n, t, err, errlen) == 0) {
		write_meta(f[2], m);
		out = SET_WRITTEN;
	}
	for (int i = 0; i < SET_FILES; i++)
		mem_ok &= f[i] && fclose(f[i]) == 0;
	if (!mem_ok) {
		snprintf(err, errlen, "cannot build the result set of %s: %s",
			 m->dir, strerror(ENOMEM));
		out = SET_NOT_BUILT;
	}
	if (out == SET_WRITTEN && replace_set(m->dir, text, len, err, errlen) < 0)
		out = SET_NOT_WRITTEN;
	for (int i = 0; i < SET_FILES; i++)
		free(text[i]);
	return out;
}

/* The first configuration that ran the model and kept its metadata. */
static const char *first_sim_meta(const char *dir, const struct config *cs,
				  size_t n, char *buf, size_t len)
{
	char model[8];
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, len, "%s/raw/%s.json", dir, cs[i].key);
		if (access(buf, R_OK) == 0 &&
		    meta_get(buf, "sim.model", model, sizeof(model)) == 0)
			return buf;
	}
	return NULL;
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

static void install_signals(void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * Past the file size limit a write then fails with EFBIG, reported
	 * with the file's name, instead of SIGXFSZ killing the sweep without
	 * a word. fbvmm inherits this (and sets it itself).
	 */
	signal(SIGXFSZ, SIG_IGN);
}

/*
 * A configuration the host could not write results for stops the sweep:
 * the next ones would most likely fail alike (a full disk), and a guest
 * failure recorded for them would hide the cause and survive --resume.
 * It gets no status, so --resume runs it again. The reason into fault.
 */
static void stop_on_fault(const struct config *c, const char *reason,
			  char *fault, size_t faultlen)
{
	if (fault != reason)
		snprintf(fault, faultlen, "%s", reason);
	fprintf(stderr, "forkbench run: %s %s %llu: %s\n", c->variant,
		c->scenario, (unsigned long long)c->size, fault);
}

/*
 * The next configurations to run from cs[*i] on, not done yet, into
 * todo: one for our guest, every one of the same parent size for the
 * Linux peer (one boot each size). *i moves past them; how many.
 */
static size_t next_batch(const struct sweep_params *p, const char *dir,
			 const struct config *cs, size_t n, size_t *i,
			 struct config *todo)
{
	size_t k = 0, end = *i + (sweep_is_linux(p)
				  ? sweep_group_len(&cs[*i], n - *i) : 1);
	for (; *i < end; (*i)++)
		if (!sweep_done(dir, &cs[*i]))
			todo[k++] = cs[*i];
	return k;
}

static void run_batch(const struct sweep_params *p, const char *dir,
		      const struct config *todo, size_t k,
		      struct config_result *r)
{
	if (sweep_is_linux(p))
		sweep_run_group(p, todo, k, dir, r);
	else
		sweep_run_one(p, &todo[0], dir, &r[0]);
}

static void add_up(struct tally *t, const struct config_result *r)
{
	t->wall += r->wall_s;
	t->guest += r->guest_s > 0 ? r->guest_s : 0;
	if (r->first_record_s > 0) {
		t->first_record += r->first_record_s;
		t->first_records++;
	}
}

/*
 * Run what is not done yet; sums wall and guest time; how many ran. At a
 * write fault, stops with its reason in fault.
 */
static size_t run_configs(struct sweep_params *p, const char *dir,
			  const struct config *cs, size_t n,
			  volatile sig_atomic_t *interrupted, struct tally *t,
			  char *fault, size_t faultlen)
{
	double t0 = now_seconds(), w_ran = 0, w_left = 0;
	size_t done = 0, ran = 0;
	struct config todo[SWEEP_GROUP_MAX];
	struct config_result r[SWEEP_GROUP_MAX];
	for (size_t i = 0; i < n; i++) {
		int finished = sweep_done(dir, &cs[i]);
		done += finished;
		w_left += finished ? 0 : weight(&cs[i]);
	}
	for (size_t i = 0; i < n && !*interrupted && !fault[0];) {
		size_t k = next_batch(p, dir, cs, n, &i, todo);
		if (k == 0)
			continue;
		run_batch(p, dir, todo, k, r);
		if (*interrupted)
			break; /* cut short: not done */
		for (size_t j = 0; j < k; j++) {
			if (r[j].write_fault ||
			    sweep_write_status(dir, &todo[j], &r[j], fault,
					       faultlen) < 0) {
				stop_on_fault(&todo[j], r[j].write_fault
							    ? r[j].reason : fault,
					      fault, faultlen);
				break;
			}
			add_up(t, &r[j]);
			w_ran += weight(&todo[j]);
			w_left -= weight(&todo[j]);
			ran++;
			progress(&todo[j], &r[j], ++done, n,
				 now_seconds() - t0, w_ran, w_left);
		}
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
	if (t->first_records)
		fprintf(stderr, "run: boot to first record: %.2fs per "
			"boot (mean of %zu)\n",
			t->first_record / (double)t->first_records,
			t->first_records);
}

/* 0 to go on, else the exit code (reported). */
static int prepare_dir(const char *dir, int resuming, int argc, char **argv)
{
	char raw[4096], args[4096], err[1024];
	snprintf(raw, sizeof(raw), "%s/raw", dir);
	path_join(args, sizeof(args), dir, SWEEP_ARGS);
	if (!resuming && access(args, F_OK) == 0) {
		fprintf(stderr, "forkbench run: %s already holds a sweep (use "
			"--resume %s, or another --out)\n", dir, dir);
		return RUN_EXIT_USAGE;
	}
	if (mkdirp(raw, err, sizeof(err)) < 0 ||
	    (!resuming && save_args(dir, argc, argv, err, sizeof(err)) < 0)) {
		fprintf(stderr, "forkbench run: %s\n", err);
		return RUN_EXIT_WRITE;
	}
	return 0;
}

/* The exit code, and how to finish a sweep that stopped. */
static int verdict(const char *dir, int write_failed, int interrupted,
		   unsigned failed)
{
	if (write_failed) {
		fprintf(stderr, "run: stopped: results could not be written; "
			"fix that, then finish with: forkbench run --resume %s\n",
			dir);
		return RUN_EXIT_WRITE;
	}
	if (interrupted) {
		fprintf(stderr, "run: interrupted; finish with: forkbench run "
			"--resume %s\n", dir);
		return RUN_EXIT_INTERRUPTED;
	}
	return failed ? RUN_EXIT_FAILED : RUN_EXIT_OK;
}

/* Assemble the result set; reports it. 0, or -1 when it is not written. */
static int finish_set(const struct meta_facts *m, const struct config *cs,
		      size_t n, struct tally *all)
{
	char err[1024];
	enum set_outcome out = write_result_set(m, cs, n, all, err, sizeof(err));
	if (out != SET_WRITTEN)
		fprintf(stderr, "forkbench run: %s\n", err);
	if (out != SET_NOT_BUILT)
		fprintf(stderr, "run: %s: %u ok, %u failed, %u not run\n", m->dir,
			all->ok, all->failed, all->not_run);
	return out == SET_WRITTEN ? 0 : -1;
}

int run_sweep(struct sweep_params *p, const char *dir, int resuming,
	      int argc, char **argv, volatile sig_atomic_t *interrupted,
	      void (*on_interrupt)(int))
{
	static struct config cs[MAX_CONFIGS];
	char newdir[64], why[600], metabuf[4096], simbuf[4096], err[1024];
	char fault[1024] = "";
	if (!dir) {
		char id[32];
		utc_now(id, sizeof(id), UTC_STAMP);
		snprintf(newdir, sizeof(newdir), "results/%s", id);
		dir = newdir;
	}
	install_signals(on_interrupt);
	int rc = prepare_dir(dir, resuming, argc, argv);
	if (rc)
		return rc;
	if (pick_backend(p, dir, resuming, why, sizeof(why), err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "forkbench run: %s\n", err);
		return verdict(dir, 1, 0, 0);
	}
	char sim_why[4200];
	if (sweep_sim_resolve(p, sim_why, sizeof(sim_why)) < 0) {
		fprintf(stderr, "forkbench run: --sim on: %s\n", sim_why);
		return verdict(dir, 1, 0, 0);
	}
	fprintf(stderr, "run: the fbsim model: %s\n", sim_why);
	size_t n = sweep_shard(cs, sweep_configs(p, cs, MAX_CONFIGS),
			       p->shard_k, p->shard_n);
	char shard[48] = "";
	if (p->shard_n)
		snprintf(shard, sizeof(shard), " (shard %u/%u)", p->shard_k,
			 p->shard_n);
	fprintf(stderr, "run: %s: %zu configurations%s x %u reps on %s (%s)\n",
		dir, n, shard, p->reps, p->backend, why);
	struct tally t = { 0 };
	size_t ran = run_configs(p, dir, cs, n, interrupted, &t, fault,
				 sizeof(fault));
	struct tally all = t;
	all.ok = all.failed = 0;
	struct meta_facts m = { p, dir, why, first_meta(dir, cs, n, metabuf,
							sizeof(metabuf)),
				first_sim_meta(dir, cs, n, simbuf,
					       sizeof(simbuf)),
				argc, argv, &all };
	report_overhead(&t, ran);
	int unwritten = finish_set(&m, cs, n, &all) < 0;
	return verdict(dir, fault[0] || unwritten, *interrupted, all.failed);
}

int runout_assemble(const struct sweep_params *p, const char *dir,
		    const char *why, const struct config *cs, size_t n,
		    int argc, char **argv)
{
	char metabuf[4096], simbuf[4096];
	struct tally all = { .wall = -1, .guest = -1 };
	struct meta_facts m = { p, dir, why, first_meta(dir, cs, n, metabuf,
							sizeof(metabuf)),
				first_sim_meta(dir, cs, n, simbuf,
					       sizeof(simbuf)),
				argc, argv, &all };
	return finish_set(&m, cs, n, &all) < 0 ? -1 : (int)all.failed;
}
