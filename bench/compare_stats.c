/* Multiple-test correction and verdicts for forkbench compare. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_stats.h"

static const char *const correction_names[] = { "holm", "bh", "none" };

int correction_parse(const char *name, enum correction *c)
{
	for (int i = CORR_HOLM; i <= CORR_NONE; i++)
		if (strcmp(name, correction_names[i]) == 0) {
			*c = (enum correction)i;
			return 0;
		}
	return -1;
}

const char *correction_name(enum correction c)
{
	return correction_names[c];
}

/* A p-value and its row, so the adjusted values go back in input order. */
struct ranked_p {
	double p;
	size_t i;
};

static int cmp_ranked_p(const void *pa, const void *pb)
{
	const struct ranked_p *a = pa, *b = pb;
	return (a->p > b->p) - (a->p < b->p);
}

/*
 * Holm: the i-th smallest p (from 0) times n - i, made non-decreasing so
 * a smaller raw p never gets a larger adjusted one.
 */
static void holm(const struct ranked_p *r, double *adj, size_t n)
{
	double run = 0;
	for (size_t i = 0; i < n; i++) {
		run = fmax(run, fmin(1, (double)(n - i) * r[i].p));
		adj[r[i].i] = run;
	}
}

/* Benjamini-Hochberg: p * n / rank, the minimum from the largest down. */
static void bh(const struct ranked_p *r, double *adj, size_t n)
{
	double run = 1;
	for (size_t i = n; i-- > 0;) {
		run = fmin(run, r[i].p * (double)n / (double)(i + 1));
		adj[r[i].i] = run;
	}
}

int p_adjust(const double *p, double *adj, size_t n, enum correction c)
{
	if (c == CORR_NONE || n == 0) {
		memmove(adj, p, n * sizeof(*adj));
		return 0;
	}
	struct ranked_p *r = malloc(n * sizeof(*r));
	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked_p){ p[i], i };
	qsort(r, n, sizeof(*r), cmp_ranked_p);
	if (c == CORR_HOLM)
		holm(r, adj, n);
	else
		bh(r, adj, n);
	free(r);
	return 0;
}

double first_step_level(double alpha, size_t n, enum correction c)
{
	return c == CORR_HOLM && n ? alpha / (double)n : alpha;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_SAME: return "same";
	case VERDICT_REGRESSION: return "regression";
	case VERDICT_IMPROVEMENT: return "improvement";
	case VERDICT_MATCH: return "match";
	case VERDICT_MISMATCH: return "MISMATCH";
	case VERDICT_NA: return "n/a";
	}
	return "?";
}

enum verdict threshold_verdict(double change_pct, double threshold_pct)
{
	if (change_pct > threshold_pct)
		return VERDICT_REGRESSION;
	if (change_pct < -threshold_pct)
		return VERDICT_IMPROVEMENT;
	return VERDICT_SAME;
}

enum verdict timing_verdict(double p, double change_pct, double alpha,
			    double threshold_pct)
{
	if (!(p < alpha))
		return VERDICT_SAME;
	return threshold_verdict(change_pct, threshold_pct);
}
