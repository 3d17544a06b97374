/*
 * The Mann-Whitney test behind forkbench compare: the exact conditional
 * p-value with ties, the normal approximation beyond 20 reps, the
 * smallest achievable p, and medians.
 *
 * Exact p-values are checked against brute force done here, independently
 * of bench/mannwhitney.c: every split of the pooled sample into the two
 * sides is enumerated as a bitmask, each with its rank sum from midranks
 * counted directly (no sorting, no dynamic programming). Fixed values
 * were also enumerated with Python's itertools.combinations over all
 * C(n1+n2, n1) splits with exact fractions (scipy is not installed here;
 * its permutation_test uses the same two-sided convention).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "mannwhitney.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static void assert_close(double got, double want, double tol)
{
	cr_assert(fabs(got - want) <= tol, "got %.12g, want %.12g", got, want);
}

/* ---- the brute-force oracle --------------------------------------------- */

/* Twice the midrank of pool[i]: 2 * (values below) + (values equal) + 1. */
static unsigned doubled_midrank(const double *pool, unsigned n, unsigned i)
{
	unsigned below = 0, equal = 0;
	for (unsigned j = 0; j < n; j++) {
		below += pool[j] < pool[i];
		equal += pool[j] == pool[i];
	}
	return 2 * below + equal + 1;
}

/*
 * Two-sided exact conditional p: over every subset of n1 of the pooled
 * positions (all equally likely under the null), twice the smaller of
 * P(rank sum <= observed) and P(rank sum >= observed), at most 1.
 */
static double brute_p(const double *a, unsigned na, const double *b,
		      unsigned nb)
{
	double pool[24];
	unsigned r2[24], n = na + nb, obs = 0;
	cr_assert(n <= 24);
	for (unsigned i = 0; i < na; i++)
		pool[i] = a[i];
	for (unsigned i = 0; i < nb; i++)
		pool[na + i] = b[i];
	for (unsigned i = 0; i < n; i++)
		r2[i] = doubled_midrank(pool, n, i);
	for (unsigned i = 0; i < na; i++)
		obs += r2[i];
	uint64_t below = 0, above = 0, total = 0;
	for (uint32_t m = 0; m < (1u << n); m++) {
		if ((unsigned)__builtin_popcount(m) != na)
			continue;
		unsigned s = 0;
		for (unsigned i = 0; i < n; i++)
			s += m >> i & 1 ? r2[i] : 0;
		total++;
		below += s <= obs;
		above += s >= obs;
	}
	double tail = (double)(below < above ? below : above);
	return fmin(1, 2 * tail / (double)total);
}

/* A fixed-seed generator, so the random cases are the same everywhere. */
static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 16;
}

static double mw_p(const double *a, size_t na, const double *b, size_t nb)
{
	struct mw_result r;
	cr_assert_eq(mw_test(a, na, b, nb, &r), 0);
	cr_assert(r.exact);
	return r.p;
}

/* ---- exact p-values ----------------------------------------------------- */

Test(mannwhitney, ties_shifted_by_ten_percent_exact)
{
	/*
	 * The case. Midranks: 90 -> 1.5, 100 -> 4.5, 110 -> 8.5, so
	 * BASE's rank sum is 1.5 + 4 * 4.5 = 19.5. Of the C(10,5) = 252
	 * splits, sums <= 19.5: both 90s and three 100s (16.5, 4 ways), one
	 * 90 and four 100s (19.5, 2 ways): 6. Two-sided: 12/252 = 1/21.
	 */
	const double a[] = { 90, 100, 100, 100, 100 };
	const double b[] = { 90, 110, 110, 110, 110 };
	assert_close(mw_p(a, N(a), b, N(b)), 1.0 / 21, 1e-15);
	assert_close(mw_p(a, N(a), b, N(b)), 0.0476, 5e-5);
	assert_close(brute_p(a, N(a), b, N(b)), 1.0 / 21, 1e-15);
	/* The normal approximation it replaces: U = 4.5, ties 2, 4, 4. */
	assert_close(mw_normal_p(5, 5, 4.5, 6 + 60 + 60), 0.0935, 5e-4);
}

Test(mannwhitney, ties_known_values)
{
	/* Enumerated with itertools.combinations, exact fractions. */
	const double a1[] = { 1, 2, 2, 3, 4, 4 }, b1[] = { 3, 4, 5, 5, 6, 7 };
	assert_close(mw_p(a1, N(a1), b1, N(b1)), 1.0 / 42, 1e-15);
	const double a2[] = { 10, 10, 11, 12 }, b2[] = { 11, 12, 12, 13, 13 };
	assert_close(mw_p(a2, N(a2), b2, N(b2)), 1.0 / 9, 1e-15);
	const double a3[] = { 5, 5, 5, 6 }, b3[] = { 5, 6, 6, 6, 7, 7 };
	assert_close(mw_p(a3, N(a3), b3, N(b3)), 17.0 / 105, 1e-15);
}

Test(mannwhitney, ties_match_brute_force_random)
{
	/* 200 random small samples from 5 values: ties everywhere. */
	uint32_t seed = 12345;
	for (int t = 0; t < 200; t++) {
		double a[10], b[10];
		unsigned na = 1 + lcg(&seed) % 9, nb = 1 + lcg(&seed) % 9;
		for (unsigned i = 0; i < na; i++)
			a[i] = lcg(&seed) % 5;
		for (unsigned i = 0; i < nb; i++)
			b[i] = 1 + lcg(&seed) % 5;
		assert_close(mw_p(a, na, b, nb), brute_p(a, na, b, nb), 1e-12);
	}
}

Test(mannwhitney, ties_match_brute_force_ten_by_ten)
{
	/* 10 vs 10 with heavy ties: all 184756 splits enumerated. */
	const double a[] = { 3, 1, 4, 1, 5, 2, 6, 5, 3, 5 };
	const double b[] = { 5, 8, 9, 7, 9, 3, 2, 3, 8, 4 };
	assert_close(mw_p(a, N(a), b, N(b)), brute_p(a, N(a), b, N(b)), 1e-12);
}

Test(mannwhitney, separated_samples_exact)
{
	/* Complete separation: U = 0, the most extreme of C(10,5) = 252
	 * orderings on either side, so p = 2/252. */
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, N(a), b, N(b), &r), 0);
	cr_assert(r.exact);
	assert_close(r.u, 0, 0);
	assert_close(r.p, 2.0 / 252, 1e-15);
}

Test(mannwhitney, swapped_samples_same_p_complementary_u)
{
	const double a[] = { 90, 100, 100, 100, 100 };
	const double b[] = { 90, 110, 110, 110, 110 };
	struct mw_result r;
	cr_assert_eq(mw_test(b, N(b), a, N(a), &r), 0);
	assert_close(r.u, 25 - 4.5, 1e-12);
	assert_close(r.p, 1.0 / 21, 1e-15);
}

Test(mannwhitney, identical_samples_p_one)
{
	const double a[] = { 7, 7, 7, 7 }, b[] = { 7, 7, 7 };
	assert_close(mw_p(a, N(a), b, N(b)), 1, 0);
	const double c[] = { 1, 2, 3, 4 }, d[] = { 1, 2, 3, 4 };
	assert_close(mw_p(c, N(c), d, N(d)), 1, 0);
}

Test(mannwhitney, exact_distribution_small_no_ties)
{
	/*
	 * n1 = 3, n2 = 4, no ties: 35 orderings, counts by U 1,1,2,3,4,4,5,
	 * 4,4,3,2,1,1 (enumerated by hand), so twice P(U <= u) is 2/35,
	 * 4/35, 8/35, 14/35 for u = 0..3. U counts the pairs a > b.
	 */
	const double b[] = { 1, 3, 5, 7 };
	const double want[] = { 2.0 / 35, 4.0 / 35, 8.0 / 35, 14.0 / 35 };
	const double a[][3] = { { 0, 0.1, 0.2 },   /* U = 0 */
				{ 0, 0.1, 2 },     /* U = 1 */
				{ 0, 2, 2.1 },     /* U = 2 */
				{ 0, 2, 4 } };     /* U = 3 */
	for (unsigned u = 0; u < N(want); u++) {
		struct mw_result r;
		cr_assert_eq(mw_test(a[u], 3, b, 4, &r), 0);
		assert_close(r.u, u, 0);
		assert_close(r.p, want[u], 1e-15);
	}
}

Test(mannwhitney, exact_largest_twenty_by_twenty)
{
	/*
	 * 20 x 20 without ties, U = 120: every a lies between b = 50 and
	 * b = 60, above 6 of the b values. 2 P(U <= 120) = 0.0304112560387649
	 * (a separate recurrence over U in Python: the last value is an a,
	 * adding n2 to U, or a b).
	 */
	double a[20], b[20];
	for (int i = 0; i < 20; i++) {
		b[i] = i * 10;
		a[i] = 51 + i * 0.1;
	}
	struct mw_result r;
	cr_assert_eq(mw_test(a, 20, b, 20, &r), 0);
	cr_assert(r.exact);
	assert_close(r.u, 120, 0);
	assert_close(r.p, 0.030411256038764864, 1e-13);
}

/* ---- normal approximation beyond 20 reps -------------------------------- */

Test(mannwhitney, beyond_twenty_normal_with_ties)
{
	/*
	 * 21 vs 21: a = 7 each of 0, 1, 2; b = 7 each of 1, 2, 3. Tie groups
	 * 0:7, 1:14, 2:14, 3:7, midranks 4, 14.5, 28.5, 39; R1 = 7 * 47 = 329,
	 * U = 329 - 231 = 98; sum(t^3 - t) = 2 * 336 + 2 * 2730 = 6132.
	 * var = 441/12 * (43 - 6132/1722) = 1449.3; z = (|98 - 220.5| - 0.5)
	 * / sqrt(var) = 3.2046; p = erfc(z / sqrt 2) = 0.0013527.
	 */
	double a[21], b[21];
	for (int i = 0; i < 21; i++) {
		a[i] = i % 3;
		b[i] = i % 3 + 1;
	}
	struct mw_result r;
	cr_assert_eq(mw_test(a, 21, b, 21, &r), 0);
	cr_assert_not(r.exact);
	assert_close(r.u, 98, 1e-12);
	assert_close(r.p, mw_normal_p(21, 21, 98, 6132), 0);
	assert_close(r.p, 0.0013527, 1e-7);
}

Test(mannwhitney, beyond_twenty_one_side_is_enough)
{
	const double a[] = { 1, 2, 3 };
	double b[21];
	for (int i = 0; i < 21; i++)
		b[i] = 10 + i;
	struct mw_result r;
	cr_assert_eq(mw_test(a, 3, b, 21, &r), 0);
	cr_assert_not(r.exact);
}

Test(mannwhitney, normal_close_to_exact_at_the_limit)
{
	/* At 20 x 20 the approximation agrees to a few thousandths. */
	assert_close(mw_normal_p(20, 20, 120, 0), 0.030411256038764864, 0.003);
}

Test(mannwhitney, empty_sample_is_an_error)
{
	const double a[] = { 1 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, 1, a, 0, &r), -1);
	cr_assert_eq(mw_test(a, 0, a, 1, &r), -1);
}

/* ---- smallest achievable p ---------------------------------------------- */

Test(min_p, n_vs_n_is_two_over_binomial)
{
	assert_close(mw_min_p(3, 3), 2.0 / 20, 1e-15);       /* 0.1 */
	assert_close(mw_min_p(4, 4), 2.0 / 70, 1e-15);       /* 0.029 */
	assert_close(mw_min_p(5, 5), 2.0 / 252, 1e-15);      /* 0.0079 */
	assert_close(mw_min_p(10, 10), 2.0 / 184756, 1e-18); /* 1.1e-5 */
	assert_close(mw_min_p(20, 20), 2.0 / 137846528820.0, 1e-24);
	assert_close(mw_min_p(3, 4), 2.0 / 35, 1e-15);
	assert_close(mw_min_p(1, 1), 1, 0);
}

Test(min_p, reached_by_separated_samples_even_with_ties)
{
	const double lo[] = { 1, 1, 1, 1 }, hi[] = { 2, 2, 2, 2, 2 };
	assert_close(mw_p(lo, 4, hi, 5), mw_min_p(4, 5), 1e-15);
	const double a[] = { 1, 2, 3, 4 }, b[] = { 5, 6, 7, 8, 9 };
	assert_close(mw_p(a, 4, b, 5), mw_min_p(4, 5), 1e-15);
}

Test(min_p, beyond_twenty_is_what_the_approximation_can_reach)
{
	/* Two constant, separated samples: nothing gives a smaller p. */
	double a[25], b[25];
	for (int i = 0; i < 25; i++) {
		a[i] = 1;
		b[i] = 2;
	}
	struct mw_result r;
	cr_assert_eq(mw_test(a, 25, b, 25, &r), 0);
	assert_close(mw_min_p(25, 25), r.p, 0);
	for (int i = 0; i < 25; i++)
		b[i] = 2 + i;
	cr_assert_eq(mw_test(a, 25, b, 25, &r), 0);
	cr_assert(r.p >= mw_min_p(25, 25));
}

/* ---- medians ------------------------------------------------------------ */

Test(median, odd_count)
{
	double v[] = { 9, 1, 5, 3, 7 };
	sort_values(v, N(v));
	assert_close(median_sorted(v, N(v)), 5, 0);
}

Test(median, even_count_averages_the_middle_two)
{
	double v[] = { 10, 1, 4, 3 };
	sort_values(v, N(v));
	assert_close(median_sorted(v, N(v)), 3.5, 0);
}

Test(median, single_value)
{
	const double v[] = { 42 };
	assert_close(median_sorted(v, 1), 42, 0);
}

Test(median, sort_puts_nan_last)
{
	double v[] = { NAN, 3, 1, NAN, 2 };
	sort_values(v, N(v));
	assert_close(v[0], 1, 0);
	assert_close(v[1], 2, 0);
	assert_close(v[2], 3, 0);
	cr_assert(isnan(v[3]) && isnan(v[4]));
	assert_close(median_sorted(v, 3), 2, 0); /* the measured part */
}
