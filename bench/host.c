/*
 * forkbench host: the guest's process-creation scenarios on this host's
 * Linux, as a result set in the guest's schema. The sweep goes size by
 * size (the parent region is mapped once per size and shared by all its
 * configurations), then variant, then scenario.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend.h"
#include "clock.h"
#include "commands.h"
#include "host_batch.h"
#include "host_cpu.h"
#include "host_measure.h"
#include "host_note.h"
#include "host_opts.h"
#include "host_out.h"
#include "host_samples.h"
#include "host_tsc.h"
#include "parse.h"
#include "tsc_freq.h"

#define EXIT_INTERRUPTED 130

/* Set by SIGINT/SIGTERM: finish nothing new, keep what is finished. */
static volatile sig_atomic_t host_stop;

static void on_stop(int sig)
{
	host_stop = sig;
}

struct saved_signals {
	struct sigaction intr, term, chld;
};

/*
 * SA_RESTART so waitpid and read in the middle of a repetition carry on.
 * The handler stays installed: a signal often comes twice (timeout(1)
 * sends it to the process and then to its group), and the sweep stops
 * within one repetition anyway. SIGCHLD back to default in case we
 * inherited SIG_IGN, which would reap the children before waitpid.
 */
static void catch_signals(struct saved_signals *old)
{
	struct sigaction sa, dfl;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	host_stop = 0;
	sigaction(SIGINT, &sa, &old->intr);
	sigaction(SIGTERM, &sa, &old->term);
	sigaction(SIGCHLD, &dfl, &old->chld);
}

static void restore_signals(const struct saved_signals *old)
{
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
	sigaction(SIGCHLD, &old->chld, NULL);
}


struct sweep {
	const struct host_opts *o;
	struct host_env env;
	struct host_out out;
	struct metric_table rows; /* the configuration in progress */
	unsigned total, done;
	double work_total, work_done; /* for the eta, see config_work */
	double started;
	long cpus_online; /* for the load threshold */
	int write_failed;
};

enum outcome { CONFIG_OK, CONFIG_FAILED, CONFIG_INTERRUPTED };

/*
 * A configuration's rough share of the sweep's time, for the eta: a
 * constant for the calls (batches of at least 1 ms), plus the parent's
 * size where fork copies its page tables and every sample re-dirties it
 * through COW faults; the other variants write it once per
 * configuration. Sizes grow along the sweep, so
 * counting configurations alone would promise the 1G ones in seconds.
 */
static double config_work(enum host_variant v, uint64_t size)
{
	int fork = v == HV_FORK || v == HV_FORK_THP;
	return (double)(1u << 20) + (double)size / (fork ? 1 : 32);
}

static enum outcome run_reps(struct sweep *w, enum host_variant v,
			     enum host_scenario s, const struct host_region *r,
			     char *reason, size_t len)
{
	switch (host_samples(&w->env, v, s, r, w->o->reps, w->cpus_online,
			     &host_stop, NULL, &w->rows, reason, len)) {
	case SAMPLES_OK: return CONFIG_OK;
	case SAMPLES_FAILED: return CONFIG_FAILED;
	case SAMPLES_INTERRUPTED: break;
	}
	return CONFIG_INTERRUPTED;
}

static void progress(const struct sweep *w, const struct host_config *c)
{
	char size[24];
	double spent = now_seconds() - w->started;
	double eta = spent / w->work_done * (w->work_total - w->work_done);
	size_text(c->size, size, sizeof(size));
	fprintf(stderr, "host: [%u/%u] %s %s %s %s%s%s (%.1f s, eta %.0f s)\n",
		w->done, w->total, host_variant_names[c->v],
		host_scenario_names[c->s], size, c->ok ? "ok" : "failed",
		c->ok ? "" : ": ", c->reason, c->wall_s, eta);
}

/* One configuration, run (or failed by region_err) and recorded. */
static enum outcome run_config(struct sweep *w, enum host_variant v,
			       enum host_scenario s, const struct host_region *r,
			       const char *region_err)
{
	char reason[512] = "";
	double t0 = now_seconds();
	enum outcome res = CONFIG_FAILED;
	if (region_err)
		snprintf(reason, sizeof(reason), "%s", region_err);
	else
		res = run_reps(w, v, s, r, reason, sizeof(reason));
	if (res == CONFIG_INTERRUPTED)
		return res;
	struct host_config c = { v, s, r->size, res == CONFIG_OK,
				 res == CONFIG_OK ? "" : reason, now_seconds() - t0 };
	if (host_out_config(&w->out, &c, &w->rows) < 0)
		w->write_failed = 1;
	w->done++;
	w->work_done += config_work(c.v, c.size);
	progress(w, &c);
	return res;
}

static int selected(const struct host_opts *o, unsigned v, unsigned s)
{
	return (o->variants >> v & 1) && (o->scenarios >> s & 1) &&
	       host_applies((enum host_variant)v, (enum host_scenario)s);
}

/* The configurations of variant v on r; 0, or -1 when interrupted. */
static int run_variant(struct sweep *w, unsigned v, const struct host_region *r,
		       const char *region_err)
{
	for (unsigned s = 0; s < HS_COUNT; s++)
		if (selected(w->o, v, s) &&
		    run_config(w, (enum host_variant)v, (enum host_scenario)s, r,
			       region_err) == CONFIG_INTERRUPTED)
			return -1;
	return 0;
}

static int variant_selected(const struct host_opts *o, unsigned v)
{
	for (unsigned s = 0; s < HS_COUNT; s++)
		if (selected(o, v, s))
			return 1;
	return 0;
}

/*
 * Every configuration of one parent size; 0, or -1 when interrupted. The
 * 4K-page parent is mapped once for all variants but linux_fork_thp,
 * whose huge-page parent replaces it (never both in memory).
 */
static int run_size(struct sweep *w, uint64_t size)
{
	struct host_region r;
	char err[256];
	const char *region_err = NULL;
	int thp = 0, rc = 0;
	if (host_region_map(&r, size, 0, err, sizeof(err)) < 0)
		region_err = err; /* r.size is still size, for the rows */
	for (unsigned v = 0; v < HV_COUNT && rc == 0; v++) {
		if (!variant_selected(w->o, v))
			continue;
		if ((v == HV_FORK_THP) != thp) {
			thp = !thp;
			host_region_unmap(&r);
			region_err = host_region_map(&r, size, thp, err,
						     sizeof(err)) < 0 ? err : NULL;
		}
		rc = run_variant(w, v, &r, region_err);
	}
	host_region_unmap(&r);
	return rc;
}

/* How many configurations, and how much work, the sweep holds. */
static void plan(struct sweep *w)
{
	const struct host_opts *o = w->o;
	w->total = host_config_count(o);
	for (unsigned i = 0; i < o->n_sizes; i++)
		for (unsigned v = 0; v < HV_COUNT; v++)
			for (unsigned s = 0; s < HS_COUNT; s++)
				if (selected(o, v, s))
					w->work_total += config_work(
						(enum host_variant)v, o->sizes[i]);
}

static void default_out(char *buf, size_t len)
{
	char stamp[32];
	utc_now(stamp, sizeof(stamp), UTC_STAMP);
	snprintf(buf, len, "results/%s-linux", stamp);
}

static void fill_facts(struct host_facts *f, const struct host_opts *o,
		       int argc, char **argv)
{
	memset(f, 0, sizeof(*f));
	utc_now(f->created, sizeof(f->created), UTC_ISO8601);
	f->opts = o;
	f->argc = argc;
	f->argv = argv;
	f->planned = host_config_count(o);
	f->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(&f->load_start, 1) != 1)
		f->load_start = -1;
}

/* RDTSCP, the empty-region overhead and the TSC rate, once per run. */
static void calibrate_tsc(struct host_facts *f)
{
	struct tsc_freq tf;
	host_tsc_init();
	tsc_freq_host(KVM_DEVICE_DEFAULT, &tf);
	f->tsc_khz = (unsigned long)tf.khz;
	f->tsc_khz_source = tf.source;
	f->tsc_overhead = host_tsc_overhead;
	f->rdtscp = host_tsc_rdtscp;
	f->invariant_tsc = host_cpu_has_invariant_tsc();
}

/*
 * Other runnable processes turn waits into scheduler ticks (a few ms
 * each) and the medians with them: say so before the numbers are taken.
 */
static void warn_if_busy(const struct host_facts *f)
{
	if (host_load_disturbs(f->load_start, f->cpus))
		fprintf(stderr, "host: warning: load average %.2f on %ld CPUs "
			"(above %.2f); other processes compete for the CPUs, "
			"expect scheduler-tick outliers (samples noted "
			"disturbed:load:)\n", f->load_start, f->cpus,
			host_load_threshold(f->cpus));
}

/*
 * The CPU to run on (--cpu, else the last allowed one), pinned before
 * anything is calibrated or created, so the children inherit it. 0; 2
 * for a CPU this process may not use; 1 when the affinity cannot be
 * read or set. The allowed set, as a list, into f.
 */
static int pin_cpu(const struct host_opts *o, struct host_facts *f)
{
	cpu_set_t allowed;
	char err[512];
	int rc = 0;
	if (host_cpus_allowed(&allowed, err, sizeof(err)) < 0)
		rc = 1;
	else if (host_cpu_pick(&allowed, o->cpu, &f->cpu, err, sizeof(err)) < 0)
		rc = 2;
	else if (host_cpu_pin(f->cpu, err, sizeof(err)) < 0)
		rc = 1;
	if (rc) {
		fprintf(stderr, "forkbench host: %s\n", err);
		return rc;
	}
	host_cpu_list_text(&allowed, f->cpus_allowed, sizeof(f->cpus_allowed));
	fprintf(stderr, "host: pinned to CPU %d (allowed: %s)\n", f->cpu,
		f->cpus_allowed);
	return 0;
}

/* The sweep proper; returns the exit code. */
static int sweep(struct sweep *w, struct host_facts *f)
{
	struct saved_signals old;
	catch_signals(&old);
	w->started = now_seconds();
	for (unsigned i = 0; i < w->o->n_sizes && !host_stop; i++)
		if (run_size(w, w->o->sizes[i]) < 0)
			break;
	f->interrupted = host_stop != 0;
	restore_signals(&old);
	if (getloadavg(&f->load_end, 1) != 1)
		f->load_end = -1;
	char err[512];
	if (host_out_close(&w->out, f, err, sizeof(err)) < 0 || w->write_failed) {
		fprintf(stderr, "forkbench host: %s\n",
			w->write_failed ? "cannot write the CSV files" : err);
		return 1;
	}
	fprintf(stderr, "host: %u of %u configurations (%u ok, %u failed) in "
		"%.1f s -> %s%s\n", w->out.ok + w->out.failed, w->total,
		w->out.ok, w->out.failed, now_seconds() - w->started, w->out.dir,
		f->interrupted ? " (interrupted)" : "");
	if (f->interrupted)
		return EXIT_INTERRUPTED;
	return w->out.failed ? 1 : 0;
}

int cmd_host(int argc, char **argv)
{
	struct host_opts o;
	char err[512], stamped[64];
	switch (host_opts_parse(argc, argv, &o, err, sizeof(err))) {
	case HOST_HELP:
		host_usage(stdout);
		return 0;
	case HOST_BAD:
		fprintf(stderr, "forkbench host: %s\n", err);
		return 2;
	case HOST_RUN:
		break;
	}
	struct host_facts f;
	fill_facts(&f, &o, argc, argv);
	int rc = pin_cpu(&o, &f);
	if (rc)
		return rc;
	const char *dir = o.out;
	if (!dir) {
		default_out(stamped, sizeof(stamped));
		dir = stamped;
	}
	struct sweep w;
	memset(&w, 0, sizeof(w));
	w.o = &o;
	w.cpus_online = f.cpus;
	plan(&w);
	if (host_out_open(&w.out, dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "forkbench host: %s\n", err);
		return 2;
	}
	calibrate_tsc(&f);
	if (host_env_init(&w.env, o.writes, err, sizeof(err)) < 0) {
		fprintf(stderr, "forkbench host: %s\n", err);
		host_out_close(&w.out, &f, err, sizeof(err));
		rc = 1;
	} else {
		/* 0 when no TSC rate is known: one loop per batch */
		w.env.batch_min_cycles = f.batch_min_cycles =
			(uint64_t)f.tsc_khz * HOST_BATCH_MIN_MS;
		f.exec_path = w.env.exec_path;
		warn_if_busy(&f);
		rc = sweep(&w, &f);
		host_env_free(&w.env);
	}
	metrics_free(&w.rows);
	return rc;
}
