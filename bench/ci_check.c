/*
 * forkbench ci's steps, in order (ci.h): where it runs, what each side
 * is, the builds, the sweeps, the comparison. A step that cannot be done
 * ends the check with its reason (exit 2); the base's worktree is
 * removed whatever happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ci.h"
#include "ci_build.h"
#include "ci_cache.h"
#include "ci_fs.h"
#include "ci_git.h"
#include "ci_proc.h"
#include "ci_sweep.h"
#include "clock.h"
#include "mkdirp.h"
#include "resultset.h"

/* End the check: it could not be done, for the reason given. */
static int cannot(struct ci_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int cannot(struct ci_run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	r->verdict = CI_ERROR;
	return CI_EXIT_CANNOT;
}

/* A step was interrupted (SIGINT, SIGTERM): its children were too. */
static int interrupted(struct ci_run *r)
{
	snprintf(r->why, sizeof(r->why), "interrupted");
	r->verdict = CI_ERROR;
	return CI_EXIT_INTERRUPTED;
}

/*
 * One check at a time per checkout: two would build into the same
 * directory. The lock is the open file; it goes with the process.
 */
static int lock_state(struct ci_run *r)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/lock", r->state);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return cannot(r, "cannot open %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	fprintf(stderr, "ci: waiting for another forkbench ci in %s\n", r->top);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR || *r->stop)
			return interrupted(r);
	return 0;
}

/* The checkout, forkbench ci's directory in it, the report, the tools. */
static int prepare(struct ci_run *r)
{
	char err[4200];
	/*
	 * A saved baseline needs no history: a tree without git (a release
	 * tarball) can still check itself, from where it is run.
	 */
	if (git_toplevel(r->top, sizeof(r->top), err, sizeof(err)) < 0) {
		if (r->o.mode == CI_BASE)
			return cannot(r, "%s", err);
		if (!getcwd(r->top, sizeof(r->top)))
			return cannot(r, "cannot tell the current directory: %s",
				      strerror(errno));
		r->new_.no_git = 1;
	}
	snprintf(r->state, sizeof(r->state), "%s/" CI_STATE, r->top);
	if (r->o.report)
		snprintf(r->report, sizeof(r->report), "%s", r->o.report);
	else
		snprintf(r->report, sizeof(r->report), "%s/report.md", r->state);
	if (mkdirp(r->state, err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	int rc = lock_state(r);
	if (rc)
		return rc;
	if (ci_toolchain_read(&r->tc, err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	ci_profile_text(&r->o.profile, r->profile, sizeof(r->profile));
	return 0;
}

/* What the working tree is: HEAD and its changes. */
static int describe_new(struct ci_run *r)
{
	struct ci_side *n = &r->new_;
	char head[GIT_HASH_MAX], err[4200];
	char *argv[] = { "git", "-C", r->top, "rev-parse", "--verify", "--quiet",
			 "HEAD", NULL };
	snprintf(n->info.name, sizeof(n->info.name), "working tree");
	n->info.tc = r->tc;
	snprintf(n->info.profile, sizeof(n->info.profile), "%s", r->profile);
	snprintf(n->set, sizeof(n->set), "%s/sets/new", r->state);
	if (n->no_git) {
		snprintf(n->info.revision, sizeof(n->info.revision), "unknown");
		return r->o.require_clean
			       ? cannot(r, "--require-clean: %s is not a git "
					"checkout: its changes cannot be told",
					r->top)
			       : 0;
	}
	if (proc_line(argv, NULL, head, sizeof(head)) < 0)
		snprintf(head, sizeof(head), "no-commit");
	n->changes = git_changes(r->top, n->changed, sizeof(n->changed), err,
				 sizeof(err));
	if (n->changes < 0)
		return cannot(r, "%s", err);
	/* clean, the tree built is HEAD's: recorded as a base's would be */
	if (!n->changes && git_resolve(r->top, "HEAD", head, n->info.tree, err,
				       sizeof(err)) < 0)
		n->info.tree[0] = '\0';
	snprintf(n->info.revision, sizeof(n->info.revision), "%s%s", head,
		 n->changes ? "-dirty" : "");
	if (r->o.require_clean && n->changes)
		return cannot(r, "--require-clean: the working tree has %d "
			      "uncommitted change%s (%s): commit or remove them, "
			      "or leave --require-clean out to measure it as "
			      "it is", n->changes, n->changes == 1 ? "" : "s",
			      n->changed);
	return 0;
}

/* --base REV: what it names, and whether its results are cached. */
static int resolve_base(struct ci_run *r)
{
	struct ci_side *b = &r->base;
	char err[4200], root[4096];
	if (git_resolve(r->top, r->o.against, b->info.revision, b->info.tree,
			err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	snprintf(b->info.name, sizeof(b->info.name), "%s", r->o.against);
	b->info.tc = r->tc;
	snprintf(b->info.profile, sizeof(b->info.profile), "%s", r->profile);
	if (r->o.no_cache) {
		snprintf(b->set, sizeof(b->set), "%s/sets/base", r->state);
		return 0;
	}
	if (ci_cache_root(r->o.cache, root, sizeof(root), err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	ci_cache_entry(root, &b->info, b->set, sizeof(b->set));
	b->cached = ci_cache_has(b->set);
	return 0;
}

/* Name what differs between the baseline's toolchain and ours. */
static void toolchain_diff(const struct ci_toolchain *was,
			   const struct ci_toolchain *is, char *buf, size_t len)
{
	size_t n = 0;
	if (strcmp(was->compiler, is->compiler) != 0)
		n += (size_t)snprintf(buf, len, "compiler '%s', here '%s'",
				      was->compiler, is->compiler);
	if (strcmp(was->qemu, is->qemu) != 0 && n < len)
		snprintf(buf + n, len - n, "%sQEMU '%s', here '%s'",
			 n ? "; " : "", was->qemu, is->qemu);
}

/*
 * --baseline DIR: a saved result. Made with another compiler or QEMU it
 * cannot be compared (the instruction counts are theirs): skipped, not
 * failed. Made with another profile it must be regenerated: an error.
 */
static int check_baseline(struct ci_run *r)
{
	struct ci_side *b = &r->base;
	char err[4200], diff[1200] = "";
	snprintf(b->set, sizeof(b->set), "%s", r->o.against);
	if (ci_set_read(b->set, &b->info, err, sizeof(err)) < 0)
		return cannot(r, "%s (make perf-baseline writes a baseline)",
			      err);
	toolchain_diff(&b->info.tc, &r->tc, diff, sizeof(diff));
	if (diff[0]) {
		snprintf(r->why, sizeof(r->why), "%s was made with another "
			 "toolchain (%s): its instruction counts do not apply "
			 "here (make perf-baseline on this toolchain to check "
			 "against it)", b->set, diff);
		r->verdict = CI_SKIPPED;
		return CI_EXIT_OK;
	}
	if (strcmp(b->info.profile, r->profile) != 0)
		return cannot(r, "%s holds the profile '%s', this check runs "
			      "'%s': make perf-baseline (and commit it) when the "
			      "profile changes", b->set, b->info.profile,
			      r->profile);
	return 0;
}

/* A worktree of the base in a temporary directory, built. */
static int build_base(struct ci_run *r, char *wt, size_t len)
{
	char err[6000], log[4300];
	const char *tmp = getenv("TMPDIR");
	double t0 = now_seconds();
	snprintf(r->work, sizeof(r->work), "%s/forkbench-ci.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(r->work)) {
		int e = errno;
		r->work[0] = '\0';
		return cannot(r, "cannot create a temporary directory: %s",
			      strerror(e));
	}
	snprintf(wt, len, "%s/base", r->work);
	snprintf(log, sizeof(log), "%s/base-build.log", r->state);
	if (git_worktree_add(r->top, wt, r->base.info.revision, log, err,
			     sizeof(err)) < 0)
		return cannot(r, "base %s: %s", r->o.against, err);
	if (ci_build(wt, "build", r->o.jobs, log, err, sizeof(err)) < 0)
		return *r->stop ? interrupted(r)
				: cannot(r, "base %s (%.12s) does not build: %s",
					 r->o.against, r->base.info.revision,
					 err);
	ci_step(r, now_seconds() - t0, "build base %s (%.12s) in a worktree",
		r->o.against, r->base.info.revision);
	return 0;
}

static int build_new(struct ci_run *r)
{
	char err[6000], log[4300];
	double t0 = now_seconds();
	snprintf(log, sizeof(log), "%s/new-build.log", r->state);
	if (ci_build(r->top, r->o.build, r->o.jobs, log, err, sizeof(err)) < 0)
		return *r->stop ? interrupted(r)
				: cannot(r, "the working tree does not build: %s",
					 err);
	ci_step(r, now_seconds() - t0, "build working tree");
	return 0;
}

/* Sweep the sides that need it: the working tree, the base unless cached. */
static int sweep(struct ci_run *r, const char *wt, struct ci_sweep *s,
		 unsigned *n)
{
	static char fbvmm[2][4200], guest[2][4200];
	char dir[4300], err[8000];
	unsigned at_once, configs = ci_profile_configs(&r->o.profile);
	double t0 = now_seconds();
	/* make ran in the checkout: a relative BUILD is relative to it */
	const char *top = r->o.build[0] == '/' ? "" : r->top;
	const char *sep = r->o.build[0] == '/' ? "" : "/";
	snprintf(fbvmm[0], sizeof(fbvmm[0]), "%s%s%s/fbvmm", top, sep,
		 r->o.build);
	snprintf(guest[0], sizeof(guest[0]), "%s%s%s/guest.elf", top, sep,
		 r->o.build);
	s[0] = (struct ci_sweep){ "new", fbvmm[0], guest[0], "" };
	*n = 1;
	if (wt[0]) {
		snprintf(fbvmm[1], sizeof(fbvmm[1]), "%s/build/fbvmm", wt);
		snprintf(guest[1], sizeof(guest[1]), "%s/build/guest.elf", wt);
		s[(*n)++] = (struct ci_sweep){ "base", fbvmm[1], guest[1], "" };
	}
	snprintf(dir, sizeof(dir), "%s/sweeps", r->state);
	rmtree(dir);
	if (mkdirp(dir, err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	if (ci_sweep_all(s, *n, &r->o.profile, r->o.jobs, dir, r->stop,
			 &at_once, err, sizeof(err)) < 0)
		return *r->stop ? interrupted(r) : cannot(r, "%s", err);
	ci_step(r, now_seconds() - t0, "sweep %s (%u configuration%s, %u "
		"sweep%s at a time)",
		*n == 2 ? "base and working tree" : "working tree",
		*n * configs, *n * configs == 1 ? "" : "s", at_once,
		at_once == 1 ? "" : "s");
	return 0;
}

/* A side's sweep as its measured set in dir (made afresh). */
static int store_set(struct ci_run *r, const char *dir, const char *sweep,
		     const struct ci_info *info)
{
	char err[4400];
	rmtree(dir);
	if (mkdirp(dir, err, sizeof(err)) < 0 ||
	    ci_set_write(dir, sweep, info, err, sizeof(err)) < 0)
		return cannot(r, "%s", err);
	return 0;
}

/* The sweeps' results where compare (and later checks) find them. */
static int store(struct ci_run *r, const struct ci_sweep *s, unsigned n)
{
	char err[4400], root[4096];
	if (r->o.mode == CI_SAVE) {
		if (mkdirp(r->o.against, err, sizeof(err)) < 0 ||
		    ci_set_write(r->o.against, s[0].dir, &r->new_.info, err,
				 sizeof(err)) < 0)
			return cannot(r, "%s", err);
		return 0;
	}
	int rc = store_set(r, r->new_.set, s[0].dir, &r->new_.info);
	if (rc || n == 1)
		return rc;
	if (r->o.no_cache)
		return store_set(r, r->base.set, s[1].dir, &r->base.info);
	if (ci_cache_root(r->o.cache, root, sizeof(root), err, sizeof(err)) < 0 ||
	    mkdirp(root, err, sizeof(err)) < 0 ||
	    ci_cache_store(root, r->base.set, s[1].dir, &r->base.info, err,
			   sizeof(err)) < 0)
		return cannot(r, "cannot cache the base's results: %s", err);
	return 0;
}

static int judge(struct ci_run *r)
{
	double t0 = now_seconds();
	ci_compare(r);
	ci_step(r, now_seconds() - t0, "compare");
	switch (r->cmp.code) {
	case 0:
		r->verdict = CI_PASSED;
		return CI_EXIT_OK;
	case 1:
		r->verdict = CI_FAILED;
		return CI_EXIT_REGRESSION;
	}
	r->verdict = CI_ERROR; /* ci_compare said why */
	return CI_EXIT_CANNOT;
}

/* Which side is what, before anything is built. */
static int sides(struct ci_run *r)
{
	int rc = describe_new(r);
	if (rc)
		return rc;
	switch (r->o.mode) {
	case CI_BASE:
		rc = resolve_base(r);
		if (!rc && r->base.cached)
			ci_step(r, 0, "base %s (%.12s): results from the cache",
				r->o.against, r->base.info.revision);
		return rc;
	case CI_BASELINE:
		return check_baseline(r);
	case CI_SAVE:
		return 0;
	}
	return 0;
}

/* 0 to go on to the next step, else the check's exit code. */
static int go_on(struct ci_run *r, int rc)
{
	if (!rc && *r->stop)
		return interrupted(r); /* a signal while a step ended well */
	return rc;
}

static int steps(struct ci_run *r, char *wt, size_t len)
{
	struct ci_sweep s[2];
	unsigned n;
	int rc = go_on(r, prepare(r));
	if (!rc)
		rc = go_on(r, sides(r));
	if (rc || r->verdict == CI_SKIPPED)
		return rc;
	if (r->o.mode == CI_BASE && !r->base.cached)
		rc = go_on(r, build_base(r, wt, len));
	if (!rc)
		rc = go_on(r, build_new(r));
	if (!rc)
		rc = go_on(r, sweep(r, wt, s, &n));
	if (!rc)
		rc = go_on(r, store(r, s, n));
	if (rc || r->o.mode == CI_SAVE)
		return rc;
	return judge(r);
}

int ci_check(struct ci_run *r)
{
	char wt[4200] = "";
	r->t0 = now_seconds();
	int rc = steps(r, wt, sizeof(wt));
	if (wt[0])
		git_worktree_remove(r->top, wt);
	if (r->work[0])
		rmtree(r->work);
	r->total = now_seconds() - r->t0;
	return rc;
}
