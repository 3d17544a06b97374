/*
 * forkbench ci's verdict: forkbench compare on the two sides, and the
 * markdown report around its table (for a pull-request comment): what
 * was compared with what, the rule, the toolchain, each step's time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_write.h"
#include "ci.h"
#include "ci_proc.h"

void ci_step(struct ci_run *r, double seconds, const char *fmt, ...)
{
	if (r->nsteps == CI_MAX_STEPS)
		return;
	struct ci_step *s = &r->steps[r->nsteps++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->name, sizeof(s->name), fmt, ap);
	va_end(ap);
	s->seconds = seconds;
	fprintf(stderr, "ci: %s: %.1f s\n", s->name, seconds);
}

/* compare's first summary line: "N regressions, N improvements, ...". */
static void read_counts(struct ci_compare *c)
{
	for (const char *p = c->md; p && *p; p += strcspn(p, "\n") + 1) {
		if (sscanf(p, "%zu regressions, %zu improvements, %zu counter "
			   "mismatches, %zu unchanged (of %zu metrics)",
			   &c->regressions, &c->improvements, &c->mismatches,
			   &c->unchanged, &c->metrics) == 5)
			return;
		if (!p[strcspn(p, "\n")])
			break;
	}
}

void ci_compare(struct ci_run *r)
{
	char threshold[32], log[4300];
	snprintf(threshold, sizeof(threshold), "%g", r->o.threshold);
	snprintf(log, sizeof(log), "%s/compare.log", r->state);
	char *argv[] = { PROC_SELF, "compare", "--threshold", threshold,
			 r->base.set, r->new_.set, NULL };
	struct ci_compare *c = &r->cmp;
	c->code = proc_capture(argv, NULL, log, &c->md);
	if (c->code == 0 || c->code == 1) {
		read_counts(c);
		return;
	}
	char why[2048];
	proc_log_reason(log, why, sizeof(why));
	snprintf(r->why, sizeof(r->why), "compare could not judge (exit %d): "
		 "%s%s", c->code, why[0] ? why : "no message",
		 r->o.mode == CI_BASELINE ? " (if the sweep's metrics changed "
		 "on purpose: make perf-baseline)" : "");
}

/* The verdict in a few words, as the report's title and the last line. */
static void headline(const struct ci_run *r, char *buf, size_t len)
{
	const struct ci_compare *c = &r->cmp;
	switch (r->verdict) {
	case CI_PASSED:
		snprintf(buf, len, "no regression%s", c->improvements ?
			 " (some metrics improved)" : "");
		break;
	case CI_FAILED:
		snprintf(buf, len, "%zu regression%s, %zu counter mismatch%s",
			 c->regressions, c->regressions == 1 ? "" : "s",
			 c->mismatches, c->mismatches == 1 ? "" : "es");
		break;
	case CI_SKIPPED:
		snprintf(buf, len, "skipped");
		break;
	case CI_ERROR:
		snprintf(buf, len, "could not run");
		break;
	}
}

static void describe_base(FILE *f, const struct ci_run *r)
{
	const struct ci_side *b = &r->base;
	if (r->o.mode == CI_BASELINE)
		fprintf(f, "- **base**: the saved baseline `%s`, made at %s\n",
			r->o.against, b->info.revision);
	else
		fprintf(f, "- **base**: `%s`, commit %.12s, tree %.12s%s\n",
			b->info.name, b->info.revision, b->info.tree,
			b->cached ? " (results cached)" : "");
}

static void describe_new(FILE *f, const struct ci_run *r)
{
	const struct ci_side *n = &r->new_;
	if (n->no_git) {
		fprintf(f, "- **new**: the working tree in %s (no git "
			"checkout)\n", r->top);
		return;
	}
	fprintf(f, "- **new**: the working tree at %.12s, ", n->info.revision);
	if (n->changes)
		fprintf(f, "dirty (%d changed path%s: %s)\n", n->changes,
			n->changes == 1 ? "" : "s", n->changed);
	else
		fprintf(f, "clean\n");
}

static void describe_rule(FILE *f, const struct ci_run *r)
{
	fprintf(f, "- **profile**%s: %s (one measured repetition after the "
		"warm-up: %s runs repeat exactly)\n",
		r->o.profile.narrowed ? " (narrowed by options)" : "",
		r->profile, CI_BACKEND);
	fprintf(f, "- **rule**: an instruction count more than %g%% above the "
		"base is a regression; any change in an exact counter is a "
		"mismatch\n", r->o.threshold);
	fprintf(f, "- **toolchain**: %s; %s\n", r->tc.compiler, r->tc.qemu);
}

static void steps_table(FILE *f, const struct ci_run *r, double total)
{
	fprintf(f, "\n| step | seconds |\n|---|---:|\n");
	for (unsigned i = 0; i < r->nsteps; i++)
		fprintf(f, "| %s | %.1f |\n", r->steps[i].name,
			r->steps[i].seconds);
	fprintf(f, "| total | %.1f |\n", total);
}

static void report_text(FILE *f, const struct ci_run *r)
{
	char head[128];
	headline(r, head, sizeof(head));
	fprintf(f, "## forkbench ci: %s\n\n", head);
	if (r->verdict == CI_SKIPPED || r->verdict == CI_ERROR)
		fprintf(f, "%s\n\n", r->why);
	if (r->base.info.revision[0])
		describe_base(f, r);
	if (r->new_.info.revision[0])
		describe_new(f, r);
	if (r->tc.qemu[0])
		describe_rule(f, r);
	if (r->cmp.md && (r->verdict == CI_PASSED || r->verdict == CI_FAILED))
		fprintf(f, "\n%s", r->cmp.md);
	steps_table(f, r, r->total);
}

int ci_report_write(const struct ci_run *r, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	report_text(m, r);
	int rc = -1;
	if (fclose(m) == 0)
		rc = atomic_write(r->report, text, len, err, errlen);
	else
		snprintf(err, errlen, "out of memory");
	free(text);
	return rc;
}

void ci_report_print(const struct ci_run *r)
{
	char head[128];
	headline(r, head, sizeof(head));
	if (r->cmp.md && (r->verdict == CI_PASSED || r->verdict == CI_FAILED))
		fputs(r->cmp.md, stdout);
	if (r->verdict == CI_SKIPPED)
		printf("forkbench ci: skipped: %s\n", r->why);
	else if (r->verdict != CI_ERROR)
		printf("forkbench ci: %s (report: %s)\n", head, r->report);
	/* a better baseline is only kept when someone saves it */
	if (r->o.mode == CI_BASELINE && r->verdict == CI_PASSED &&
	    r->cmp.improvements)
		printf("forkbench ci: %zu metrics improved: make perf-baseline "
		       "keeps them as the baseline\n", r->cmp.improvements);
}
