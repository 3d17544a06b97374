/*
 * The statistics forkbench compare decides with: medians, the two-sided
 * Mann-Whitney U test, and the verdict for a timing metric. Kept apart
 * from the command so the unit tests can check them against known values.
 *
 * Mann-Whitney rather than a t-test because timings are skewed (a long
 * right tail from interrupts and cache misses) and it assumes no
 * distribution, only that repetitions are independent.
 */
#ifndef FB_MANNWHITNEY_H
#define FB_MANNWHITNEY_H

#include <stddef.h>

/* Above this many values per sample the exact distribution is not used. */
#define MW_EXACT_MAX 20

struct mw_result {
	double u;  /* U of the first sample: pairs a > b, a tie counting half */
	double p;  /* two-sided p-value */
	int exact; /* 1: exact distribution; 0: normal approximation */
};

/*
 * Two-sided test of a against b (neither may hold NaN). Exact when there
 * are no ties and both samples have at most MW_EXACT_MAX values; normal
 * approximation with tie and continuity correction otherwise. p is 1 when
 * every value is the same. -1 for an empty sample or out of memory.
 */
int mw_test(const double *a, size_t na, const double *b, size_t nb,
	    struct mw_result *r);

/* P(U <= u or U >= n1*n2 - u) without ties; n1, n2 <= MW_EXACT_MAX. */
double mw_exact_p(unsigned n1, unsigned n2, double u);

/*
 * The same from the normal approximation; tie_sum is the sum of t^3 - t
 * over the groups of t tied values in the pooled sample.
 */
double mw_normal_p(size_t n1, size_t n2, double u, double tie_sum);

/* Ascending, NaN last (compare keeps NA as NaN). */
void sort_values(double *v, size_t n);

/* Median of n >= 1 ascending values: the mean of the middle two if even. */
double median_sorted(const double *v, size_t n);

enum verdict {
	VERDICT_SAME,
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_MATCH,    /* exact counter, equal */
	VERDICT_MISMATCH, /* exact counter differs, or NA on one side only */
	VERDICT_NA,       /* NA on both sides */
};

/*
 * A timing's verdict: a change must be both significant (p < alpha) and
 * large (beyond threshold_pct either way) to count; either alone is noise
 * or irrelevance.
 */
enum verdict timing_verdict(double p, double change_pct, double alpha,
			    double threshold_pct);

#endif
