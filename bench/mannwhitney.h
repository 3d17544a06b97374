/*
 * The test forkbench compare decides timings with: the two-sided
 * Mann-Whitney (Wilcoxon rank-sum) test, and medians. Kept apart from the
 * command so the unit tests can check it against enumerated values.
 *
 * Mann-Whitney rather than a t-test because timings are skewed (a long
 * right tail from interrupts and cache misses) and it assumes no
 * distribution, only that repetitions are independent. TSC timings tie
 * often (a coarse clock, the same cache path twice), so ties are handled
 * exactly, not approximately: the test conditions on the tie pattern.
 */
#ifndef FB_MANNWHITNEY_H
#define FB_MANNWHITNEY_H

#include <stddef.h>

/*
 * Up to this many values per side the p-value is exact. 20 + 20 keeps
 * every count below C(40,20) ~ 1.4e11, exact in 64-bit integers, and the
 * enumeration at about a million steps.
 */
#define MW_EXACT_MAX 20

struct mw_result {
	double u;  /* U of the first sample: pairs a > b, a tie counting half */
	double p;  /* two-sided p-value */
	int exact; /* 1: exact conditional distribution; 0: normal approx. */
};

/*
 * Two-sided test of a against b (neither may hold NaN).
 *
 * Exact when both samples have at most MW_EXACT_MAX values: the pooled
 * values keep their midranks, every split of them into na and nb values
 * is equally likely under the null hypothesis, and p is twice the smaller
 * tail of the rank sum's distribution over those C(na+nb, na) splits, at
 * most 1 (the convention of scipy.stats.permutation_test). Beyond that,
 * the normal approximation with tie and continuity correction.
 * -1 for an empty sample or out of memory.
 */
int mw_test(const double *a, size_t na, const double *b, size_t nb,
	    struct mw_result *r);

/*
 * The two-sided p of the normal approximation; tie_sum is the sum of
 * t^3 - t over the groups of t tied values in the pooled sample.
 */
double mw_normal_p(size_t n1, size_t n2, double u, double tie_sum);

/*
 * The smallest p mw_test can return for samples of n1 and n2 values,
 * whatever they hold: 2 / C(n1+n2, n1) where it is exact (one split of
 * C(n1+n2, n1) is the most extreme, doubled for two sides), else the
 * approximation's p for two separated samples of one value each.
 */
double mw_min_p(size_t n1, size_t n2);

/* Ascending, NaN last (compare keeps NA as NaN). */
void sort_values(double *v, size_t n);

/* Median of n >= 1 ascending values: the mean of the middle two if even. */
double median_sorted(const double *v, size_t n);

#endif
