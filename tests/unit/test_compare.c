/*
 * The decisions of forkbench compare: the multiple-test corrections
 * (Holm-Bonferroni, Benjamini-Hochberg) and the verdicts. Adjusted
 * values are worked by hand below; they agree with R's p.adjust.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "compare_stats.h"

#define N(a) (sizeof(a) / sizeof(*(a)))

static void assert_close(double got, double want, double tol)
{
	cr_assert(fabs(got - want) <= tol, "got %.12g, want %.12g", got, want);
}

/* Four p-values, not sorted: sorted they are 0.005, 0.01, 0.03, 0.04. */
static const double four[] = { 0.01, 0.04, 0.03, 0.005 };

Test(p_adjust, holm_by_hand)
{
	/*
	 * Sorted p times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04; made
	 * non-decreasing: 0.02, 0.03, 0.06, 0.06. Back in input order:
	 */
	const double want[] = { 0.03, 0.06, 0.06, 0.02 };
	double adj[4];
	cr_assert_eq(p_adjust(four, adj, 4, CORR_HOLM), 0);
	for (unsigned i = 0; i < N(want); i++)
		assert_close(adj[i], want[i], 1e-15);
}

Test(p_adjust, bh_by_hand)
{
	/*
	 * Sorted p times 4/rank: 0.02, 0.02, 0.04, 0.04; the running minimum
	 * from the largest down changes nothing. Back in input order:
	 */
	const double want[] = { 0.02, 0.04, 0.04, 0.02 };
	double adj[4];
	cr_assert_eq(p_adjust(four, adj, 4, CORR_BH), 0);
	for (unsigned i = 0; i < N(want); i++)
		assert_close(adj[i], want[i], 1e-15);
}

Test(p_adjust, none_copies)
{
	double adj[4];
	cr_assert_eq(p_adjust(four, adj, 4, CORR_NONE), 0);
	for (unsigned i = 0; i < N(four); i++)
		assert_close(adj[i], four[i], 0);
}

Test(p_adjust, in_place_capped_at_one)
{
	double p[] = { 0.5, 0.9, 0.2 };
	cr_assert_eq(p_adjust(p, p, 3, CORR_HOLM), 0);
	/* 0.2 * 3 = 0.6, 0.5 * 2 = 1.0, 0.9 * 1 -> 1 (non-decreasing). */
	assert_close(p[0], 1, 0);
	assert_close(p[1], 1, 0);
	assert_close(p[2], 0.6, 1e-15);
}

Test(p_adjust, bh_monotone_running_minimum)
{
	/* Sorted 0.01, 0.02, 0.03 times 3/rank: 0.03, 0.03, 0.03. */
	double p[] = { 0.03, 0.01, 0.02 };
	cr_assert_eq(p_adjust(p, p, 3, CORR_BH), 0);
	for (unsigned i = 0; i < N(p); i++)
		assert_close(p[i], 0.03, 1e-15);
}

Test(p_adjust, single_and_empty)
{
	double p[] = { 0.04 };
	cr_assert_eq(p_adjust(p, p, 1, CORR_HOLM), 0);
	assert_close(p[0], 0.04, 0);
	cr_assert_eq(p_adjust(p, p, 0, CORR_BH), 0);
}

Test(p_adjust, first_step_level)
{
	assert_close(first_step_level(0.05, 10, CORR_HOLM), 0.005, 1e-15);
	assert_close(first_step_level(0.05, 10, CORR_BH), 0.05, 0);
	assert_close(first_step_level(0.05, 10, CORR_NONE), 0.05, 0);
	assert_close(first_step_level(0.05, 0, CORR_HOLM), 0.05, 0);
}

Test(p_adjust, parse_names)
{
	enum correction c;
	cr_assert_eq(correction_parse("holm", &c), 0);
	cr_assert_eq(c, CORR_HOLM);
	cr_assert_eq(correction_parse("bh", &c), 0);
	cr_assert_eq(c, CORR_BH);
	cr_assert_eq(correction_parse("none", &c), 0);
	cr_assert_eq(c, CORR_NONE);
	cr_assert_eq(correction_parse("Holm", &c), -1);
	cr_assert_eq(correction_parse("", &c), -1);
	cr_assert_str_eq(correction_name(CORR_BH), "bh");
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
	cr_assert_eq(timing_verdict(NAN, 50, 0.05, 5), VERDICT_SAME);
}

Test(verdict, zero_threshold_any_significant_change)
{
	cr_assert_eq(timing_verdict(0.01, 0.1, 0.05, 0), VERDICT_REGRESSION);
	cr_assert_eq(timing_verdict(0.01, 0, 0.05, 0), VERDICT_SAME);
}

Test(verdict, deterministic_needs_no_p)
{
	cr_assert_eq(threshold_verdict(5.1, 5), VERDICT_REGRESSION);
	cr_assert_eq(threshold_verdict(-5.1, 5), VERDICT_IMPROVEMENT);
	cr_assert_eq(threshold_verdict(5, 5), VERDICT_SAME);
	cr_assert_eq(threshold_verdict(INFINITY, 5), VERDICT_REGRESSION);
}

Test(verdict, names)
{
	cr_assert_str_eq(verdict_name(VERDICT_REGRESSION), "regression");
	cr_assert_str_eq(verdict_name(VERDICT_MISMATCH), "MISMATCH");
	cr_assert_str_eq(verdict_name(VERDICT_NA), "n/a");
}
