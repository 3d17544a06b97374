/*
 * forkbench ci: the options, and what the check leaves behind: the
 * report file, the summary, the exit code (ci.h has the parts).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "ci_build.h"
#include "cli.h"
#include "commands.h"

#define PROG "forkbench ci"
#define MAX_JOBS 64

static void usage(FILE *f)
{
	struct ci_profile p;
	ci_profile_default(&p);
	fprintf(f,
"usage: forkbench ci --base REV [options]\n"
"       forkbench ci --baseline DIR [options]\n"
"       forkbench ci --save-baseline DIR [options]\n"
"A performance check of the working tree of the git checkout it runs in.\n"
"Both sides run the CI profile on " CI_BACKEND ", where a run repeats\n"
"exactly, so one measured repetition (after the warm-up) is enough:\n"
"  variants  %s\n"
"  scenarios %s\n"
"  sizes     %s\n"
"  reps      %u\n"
"forkbench compare then judges them: an instruction count more than the\n"
"threshold above the base is a regression, any change in an exact counter\n"
"(pages_copied, frames_freed...) a mismatch.\n"
"\n"
"      --base REV        build REV (fbvmm and guest.elf) in a temporary git\n"
"                        worktree and compare the working tree with it; its\n"
"                        results are cached by REV's tree, compiler, QEMU\n"
"                        and profile, so the next check against it only\n"
"                        measures the working tree\n"
"      --baseline DIR    compare the working tree with a saved result\n"
"                        (make perf-check: results/baseline); one made with\n"
"                        another compiler or QEMU is skipped, saying so\n"
"      --save-baseline DIR  measure the working tree into DIR (make\n"
"                        perf-baseline)\n"
"      --threshold PCT   smallest instruction-count change that counts, in\n"
"                        %% (default %g)\n"
"      --report FILE     the markdown report (default " CI_STATE "/report.md\n"
"                        in the checkout)\n"
"      --cache DIR       default $XDG_CACHE_HOME/forkbench/ci, else\n"
"                        ~/.cache/forkbench/ci\n"
"      --no-cache        neither read nor write the cache\n"
"      --require-clean   refuse a working tree with uncommitted changes or\n"
"                        untracked files (for CI); without it the tree is\n"
"                        measured as it is and the report says dirty\n"
"      --build DIR       where make builds the working tree's fbvmm and\n"
"                        guest.elf: its BUILD, relative to the checkout or\n"
"                        absolute (default " CI_NEW_BUILD ", make's own)\n"
"      --jobs N          sweeps and compiler jobs at once (default: the\n"
"                        CPUs this process may use)\n"
"      --variants LIST, --scenarios LIST, --sizes LIST\n"
"                        narrow the profile (tests, bisecting a change);\n"
"                        the report says so\n"
"  -h, --help\n"
"\n"
"Both sweeps are run by this program, with each side's fbvmm and\n"
"guest.elf. Each step's time is printed as it ends, then compare's table\n"
"of changed metrics and its summary.\n"
"Exit codes: 0 no regression (or skipped, saying why), 1 a regression or\n"
"a counter mismatch, 2 could not run (bad arguments, a bad revision, a\n"
"dirty tree with --require-clean, a build or a sweep that failed: the\n"
"reason in one line), 130 interrupted.\n",
		p.variants, p.scenarios, p.sizes, p.reps, CI_THRESHOLD_DEFAULT);
}

enum { O_BASE = 256, O_BASELINE, O_SAVE, O_THRESHOLD, O_REPORT, O_CACHE,
       O_NO_CACHE, O_REQUIRE_CLEAN, O_BUILD, O_JOBS, O_VARIANTS,
       O_SCENARIOS, O_SIZES };

/* The CPUs this process may run on: as many sweeps as that at once. */
static unsigned default_jobs(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

static int set_mode(struct ci_options *o, enum ci_mode m, const char *arg,
		    char *err, size_t errlen)
{
	if (o->against) {
		snprintf(err, errlen, "only one of --base, --baseline and "
			 "--save-baseline");
		return -1;
	}
	o->mode = m;
	o->against = arg;
	return 0;
}

static int set_threshold(struct ci_options *o, const char *arg, char *err,
			 size_t errlen)
{
	char *end;
	o->threshold = strtod(arg, &end);
	if (*arg && !*end && isfinite(o->threshold) && o->threshold >= 0)
		return 0;
	snprintf(err, errlen, "--threshold '%s': not a percentage (e.g. 1)",
		 arg);
	return -1;
}

static int set_jobs(struct ci_options *o, const char *arg, char *err,
		    size_t errlen)
{
	char *end;
	errno = 0;
	long n = strtol(arg, &end, 10);
	if (*arg >= '0' && *arg <= '9' && !*end && !errno && n >= 1 &&
	    n <= MAX_JOBS) {
		o->jobs = (unsigned)n;
		return 0;
	}
	snprintf(err, errlen, "--jobs '%s': expected 1..%d", arg, MAX_JOBS);
	return -1;
}

static int set_list(struct ci_options *o, enum ci_list which,
		    const char *arg, char *err, size_t errlen)
{
	o->profile.narrowed = 1;
	return ci_profile_set(&o->profile, which, arg, err, errlen);
}

/* One option getopt_long returned; -1 with the reason in err. */
static int apply(int c, const char *arg, struct ci_options *o, char *err,
		 size_t errlen)
{
	switch (c) {
	case O_BASE: return set_mode(o, CI_BASE, arg, err, errlen);
	case O_BASELINE: return set_mode(o, CI_BASELINE, arg, err, errlen);
	case O_SAVE: return set_mode(o, CI_SAVE, arg, err, errlen);
	case O_THRESHOLD: return set_threshold(o, arg, err, errlen);
	case O_REPORT: o->report = arg; return 0;
	case O_CACHE: o->cache = arg; return 0;
	case O_NO_CACHE: o->no_cache = 1; return 0;
	case O_REQUIRE_CLEAN: o->require_clean = 1; return 0;
	case O_BUILD: o->build = arg; return 0;
	case O_JOBS: return set_jobs(o, arg, err, errlen);
	case O_VARIANTS: return set_list(o, CI_VARIANTS, arg, err, errlen);
	case O_SCENARIOS:
		return set_list(o, CI_SCENARIOS_LIST, arg, err, errlen);
	case O_SIZES: return set_list(o, CI_SIZES_LIST, arg, err, errlen);
	}
	return -1;
}

/* 0 to run, 1 after --help, -1 with err. */
static int parse_args(int argc, char **argv, struct ci_options *o, char *err,
		      size_t errlen)
{
	static const struct option longs[] = {
		{ "base", required_argument, 0, O_BASE },
		{ "baseline", required_argument, 0, O_BASELINE },
		{ "save-baseline", required_argument, 0, O_SAVE },
		{ "threshold", required_argument, 0, O_THRESHOLD },
		{ "report", required_argument, 0, O_REPORT },
		{ "cache", required_argument, 0, O_CACHE },
		{ "no-cache", no_argument, 0, O_NO_CACHE },
		{ "require-clean", no_argument, 0, O_REQUIRE_CLEAN },
		{ "build", required_argument, 0, O_BUILD },
		{ "jobs", required_argument, 0, O_JOBS },
		{ "variants", required_argument, 0, O_VARIANTS },
		{ "scenarios", required_argument, 0, O_SCENARIOS },
		{ "sizes", required_argument, 0, O_SIZES },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	memset(o, 0, sizeof(*o));
	o->threshold = CI_THRESHOLD_DEFAULT;
	o->build = CI_NEW_BUILD;
	o->jobs = default_jobs();
	ci_profile_default(&o->profile);
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, errlen);
			return -1;
		}
		if (apply(c, optarg, o, err, errlen) < 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!o->against) {
		snprintf(err, errlen, "expected --base REV, --baseline DIR or "
			 "--save-baseline DIR (see " PROG " --help)");
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM stop the check after the running step (whose
 * children get them too); no SA_RESTART, so a wait sees it at once.
 */
static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * git run from a hook has these pointing at the hook's repository and
 * index; ours must find the checkout from the directory we run in.
 */
static void clean_git_env(void)
{
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
}

/* The report, the summary, and the one-line reason of a check not done. */
static void finish(const struct ci_run *r, int rc)
{
	char err[4400];
	if (r->o.mode == CI_SAVE && rc == CI_EXIT_OK) {
		printf("forkbench ci: saved the working tree's results in %s "
		       "(%.1f s); commit them with a message that says why the "
		       "numbers changed\n", r->o.against, r->total);
		return;
	}
	if (r->report[0] && ci_report_write(r, err, sizeof(err)) < 0)
		fprintf(stderr, PROG ": %s\n", err);
	if (r->verdict == CI_ERROR)
		fprintf(stderr, PROG ": %s\n", r->why);
	ci_report_print(r);
	fflush(stdout); /* the total last, also where stdout is a pipe */
	fprintf(stderr, "ci: total: %.1f s\n", r->total);
}

int cmd_ci(int argc, char **argv)
{
	static struct ci_run r;
	char err[1024];
	memset(&r, 0, sizeof(r));
	int parsed = parse_args(argc, argv, &r.o, err, sizeof(err));
	if (parsed == 1) {
		usage(stdout);
		return 0;
	}
	if (parsed < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return CI_EXIT_CANNOT;
	}
	ci_build_clean_env();
	clean_git_env();
	catch_signals();
	r.stop = &stop;
	int rc = ci_check(&r);
	finish(&r, rc);
	free(r.cmp.md);
	return rc;
}
