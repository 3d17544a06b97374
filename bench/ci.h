/*
 * forkbench ci: a performance check in one command. The working tree of
 * the checkout it runs in against a base: a revision (--base REV, built
 * in a temporary worktree, its results cached by tree), or a saved
 * result (--baseline DIR, make perf-check); --save-baseline DIR writes
 * one (make perf-baseline). Both sides run the CI profile
 * (ci_profile.h) and are compared by forkbench compare.
 *
 * Parts: ci.c (options), ci_check.c (the steps in order), ci_profile.c,
 * ci_git.c, ci_build.c, ci_sweep.c, ci_set.c and ci_toolchain.c (a
 * measured side), ci_cache.c, ci_report.c (compare, the report), ci_proc.c
 * and ci_fs.c (children, directories).
 */
#ifndef FB_CI_H
#define FB_CI_H

#include <signal.h>
#include <stddef.h>

#include "ci_profile.h"
#include "ci_set.h"

#define CI_THRESHOLD_DEFAULT 1.0
/* forkbench ci's own directory in the checkout (its build/ is ignored) */
#define CI_STATE "build/ci"
/*
 * The working tree's build: make's own default, so that after `make` (or
 * make test, in CI) there is nothing left to build for it.
 */
#define CI_NEW_BUILD "build"

/* forkbench ci's exit codes. */
enum ci_exit {
	CI_EXIT_OK = 0,         /* no regression (or a skipped check) */
	CI_EXIT_REGRESSION = 1, /* a regression or a counter mismatch */
	CI_EXIT_CANNOT = 2,     /* could not run: bad arguments, build... */
	CI_EXIT_INTERRUPTED = 130,
};

enum ci_mode { CI_BASE, CI_BASELINE, CI_SAVE };

struct ci_options {
	enum ci_mode mode;
	const char *against; /* REV, the baseline or the directory to save */
	double threshold;
	const char *report;  /* NULL: build/ci/report.md in the checkout */
	const char *cache;   /* NULL: the default (ci_cache.h) */
	const char *build;   /* the working tree's BUILD, as make takes it */
	int no_cache, require_clean;
	unsigned jobs;
	struct ci_profile profile;
};

/* One side of the check. */
struct ci_side {
	struct ci_info info;
	char set[4096];   /* its measured directory (ci_set.h) */
	int cached;       /* the base came from the cache */
	int changes;      /* the working tree: paths git status lists */
	int no_git;       /* the working tree is no git checkout */
	char changed[512]; /* the first of them */
};

/* A step's name and how long it took, for the log and the report. */
struct ci_step {
	char name[200];
	double seconds;
};

#define CI_MAX_STEPS 12

/* What forkbench compare said. */
struct ci_compare {
	int code;   /* compare's exit code: 0, 1, 2 */
	char *md;   /* its markdown report (malloc'd) */
	size_t regressions, improvements, mismatches, unchanged, metrics;
};

enum ci_verdict { CI_PASSED, CI_FAILED, CI_SKIPPED, CI_ERROR };

struct ci_run {
	struct ci_options o;
	/* sized so that every path made of them fits */
	char top[3072];    /* the checkout */
	char state[3200];  /* top/build/ci */
	char report[4096];
	char work[4096];   /* the temporary directory of the base's worktree */
	char profile[1024];
	struct ci_toolchain tc;
	struct ci_side base, new_;
	struct ci_step steps[CI_MAX_STEPS];
	unsigned nsteps;
	double t0, total; /* the start, and the whole check's seconds */
	struct ci_compare cmp;
	enum ci_verdict verdict;
	char why[8192]; /* CI_SKIPPED, CI_ERROR: the reason in one line */
	volatile sig_atomic_t *stop;
};

/* Run the check r->o asks for; the exit code (enum ci_exit). */
int ci_check(struct ci_run *r);

/* Note a step that took seconds (printed to stderr as it ends). */
void ci_step(struct ci_run *r, double seconds, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Run forkbench compare on the two sides' sets with r->o.threshold into
 * r->cmp; on exit 2, its message into r->why.
 */
void ci_compare(struct ci_run *r);

/* Write r's markdown report to r->report. -1 with err. */
int ci_report_write(const struct ci_run *r, char *err, size_t errlen);

/* Print the summary of a finished check on stdout. */
void ci_report_print(const struct ci_run *r);

#endif
