/*
 * The statistics behind forkbench compare: the Mann-Whitney U test
 * (exact and normal approximation), medians, and the timing verdict.
 * Expected values are worked by hand (shown) or from the textbook
 * formulas evaluated independently.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "mannwhitney.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static void assert_close(double got, double want, double tol)
{
	cr_assert(fabs(got - want) <= tol, "got %.10g, want %.10g", got, want);
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
	assert_close(r.p, 2.0 / 252, 1e-12);
	assert_close(r.p, 0.0079365, 1e-7);
}

Test(mannwhitney, swapped_samples_same_p_complementary_u)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct mw_result r;
	cr_assert_eq(mw_test(b, N(b), a, N(a), &r), 0);
	assert_close(r.u, 25, 0);
	assert_close(r.p, 2.0 / 252, 1e-12);
}

Test(mannwhitney, identical_samples_p_one)
{
	const double a[] = { 7, 7, 7, 7 }, b[] = { 7, 7, 7 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, N(a), b, N(b), &r), 0);
	assert_close(r.p, 1, 0);
	cr_assert_not(r.exact, "all tied: not the exact test");
}

Test(mannwhitney, same_values_both_sides_p_one)
{
	const double a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 3, 4 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, N(a), b, N(b), &r), 0);
	assert_close(r.u, 8, 1e-12); /* n1*n2/2: no shift at all */
	assert_close(r.p, 1, 0);
}

Test(mannwhitney, exact_distribution_small)
{
	/* n1 = 3, n2 = 4: 35 orderings, counts by U 1,1,2,3,4,4,5,4,4,3,2,1,1. */
	const double want[] = { 2.0 / 35, 4.0 / 35, 8.0 / 35, 14.0 / 35,
				22.0 / 35, 30.0 / 35, 1 };
	for (unsigned u = 0; u < N(want); u++) {
		assert_close(mw_exact_p(3, 4, u), want[u], 1e-12);
		assert_close(mw_exact_p(3, 4, 12 - u), want[u], 1e-12);
	}
}

Test(mannwhitney, exact_distribution_largest)
{
	/* 20 x 20, the largest exact case: counts up to C(40,20) ~ 1.4e11. */
	assert_close(mw_exact_p(20, 20, 120), 0.030411256038764864, 1e-12);
	assert_close(mw_exact_p(20, 20, 200), 1, 0);
	cr_assert(isnan(mw_exact_p(21, 20, 100)));
}

Test(mannwhitney, ties_use_normal_approximation)
{
	/*
	 * a = {1,2,2,3,4,4}, b = {3,4,5,5,6,7}. Midranks: 1 -> 1, 2 -> 2.5,
	 * 3 -> 4.5, 4 -> 7, 5 -> 9.5, 6 -> 11, 7 -> 12. R1 = 24.5, so
	 * U = 24.5 - 21 = 3.5. Ties t = 2, 2, 3, 2: sum(t^3 - t) = 42.
	 * var = 36/12 * (13 - 42/132) = 38.045; z = (|3.5 - 18| - 0.5) /
	 * sqrt(var) = 2.2698; p = erfc(z / sqrt 2) = 0.023223.
	 */
	const double a[] = { 1, 2, 2, 3, 4, 4 }, b[] = { 3, 4, 5, 5, 6, 7 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, N(a), b, N(b), &r), 0);
	cr_assert_not(r.exact);
	assert_close(r.u, 3.5, 1e-12);
	assert_close(r.p, 0.023223192940087675, 1e-9);
	assert_close(mw_normal_p(6, 6, 3.5, 42), r.p, 1e-15);
}

Test(mannwhitney, large_samples_use_normal_approximation)
{
	/* 25 + 25 values without ties: beyond the exact table. b[i] =
	 * a[i] + 10.5, so U = sum over a of the b below it = 105. */
	double a[25], b[25];
	for (int i = 0; i < 25; i++) {
		a[i] = 100 + i;
		b[i] = 110.5 + i;
	}
	struct mw_result r;
	cr_assert_eq(mw_test(a, 25, b, 25, &r), 0);
	cr_assert_not(r.exact);
	assert_close(r.u, 105, 1e-12);
	assert_close(r.p, 5.909644085596031e-05, 1e-12);
}

Test(mannwhitney, normal_close_to_exact_at_the_limit)
{
	/* The approximation should agree to a few thousandths at 20 x 20. */
	double exact = mw_exact_p(20, 20, 120);
	double approx = mw_normal_p(20, 20, 120, 0);
	assert_close(approx, exact, 0.003);
}

Test(mannwhitney, empty_sample_is_an_error)
{
	const double a[] = { 1 };
	struct mw_result r;
	cr_assert_eq(mw_test(a, 1, a, 0, &r), -1);
	cr_assert_eq(mw_test(a, 0, a, 1, &r), -1);
}

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

Test(verdict, significant_and_large)
{
	cr_assert_eq(timing_verdict(0.001, 20, 0.05, 5), VERDICT_REGRESSION);
	cr_assert_eq(timing_verdict(0.001, -20, 0.05, 5), VERDICT_IMPROVEMENT);
}

Test(verdict, significant_but_under_threshold_is_same)
{
	cr_assert_eq(timing_verdict(0.0001, 2, 0.05, 5), VERDICT_SAME);
	cr_assert_eq(timing_verdict(0.0001, -2, 0.05, 5), VERDICT_SAME);
	cr_assert_eq(timing_verdict(0.0001, 5, 0.05, 5), VERDICT_SAME,
		     "the threshold itself is not beyond it");
}

Test(verdict, over_threshold_but_not_significant_is_same)
{
	cr_assert_eq(timing_verdict(0.2, 50, 0.05, 5), VERDICT_SAME);
	cr_assert_eq(timing_verdict(0.05, -50, 0.05, 5), VERDICT_SAME,
		     "p must be below alpha, not equal");
}

Test(verdict, zero_threshold_any_significant_change)
{
	cr_assert_eq(timing_verdict(0.01, 0.1, 0.05, 0), VERDICT_REGRESSION);
	cr_assert_eq(timing_verdict(0.01, 0, 0.05, 0), VERDICT_SAME);
}
