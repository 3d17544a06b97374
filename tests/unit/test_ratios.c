/*
 * forkbench ratios' arithmetic on tables built here: every expected
 * ratio is worked out by hand in the comment beside it.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ratios.h"
#include "same_backend.h"

#define M1 (1ull << 20)
#define G1 (1ull << 30)

static void row(struct metric_table *t, const char *variant, uint64_t size,
		unsigned rep, double value, const char *unit, const char *na)
{
	struct metric_row r;
	memset(&r, 0, sizeof(r));
	snprintf(r.variant, sizeof(r.variant), "%s", variant);
	snprintf(r.scenario, sizeof(r.scenario), "create");
	snprintf(r.metric, sizeof(r.metric), "cycles_to_return");
	snprintf(r.unit, sizeof(r.unit), "%s", unit);
	r.size = size;
	r.rep = rep;
	r.has_value = na == NULL;
	r.value = value;
	if (na)
		snprintf(r.note, sizeof(r.note), "%s", na);
	cr_assert_eq(metrics_append(t, &r), 0);
}

/* Three reps around v: v - d, v, v + d; the median is v. */
static void three(struct metric_table *t, const char *variant, uint64_t size,
		  double v, double d, const char *unit)
{
	row(t, variant, size, 1, v + d, unit, NULL);
	row(t, variant, size, 2, v - d, unit, NULL);
	row(t, variant, size, 3, v, unit, NULL);
}

static const struct ratio *find(const struct ratio *r, size_t n,
				const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	cr_assert_fail("no ratio %s", name);
	return NULL;
}

/* A qemu-tcg-det set with every input, some goals met and some not. */
static void full_set(struct metric_table *t, const char *unit)
{
	three(t, "cow", G1, 26000000, 5000, unit);
	three(t, "cow", M1, 60000, 100, unit);
	three(t, "odf", G1, 400000, 300, unit);
	three(t, "huge_split", G1, 200000, 10, unit);
	three(t, "huge_copy", G1, 300000, 10, unit);
	three(t, "spawn", 0, 30000, 20, unit);
	three(t, "spawn", G1, 31000, 20, unit);
	/* copy: 550 per page above 1M: 200000 + 261888 * 550 at 1G */
	three(t, "copy", M1, 200000, 0, unit);
	three(t, "copy", G1, 144238400, 0, unit);
	/* An NA repetition is skipped, not counted as 0. */
	row(t, "odf", G1, 4, 0, unit, "rep lost");
}

Test(ratios, every_ratio_against_its_goal_on_qemu_tcg_det)
{
	struct metric_table t = { 0 };
	full_set(&t, "instructions");
	struct ratio_set g = { &t, "this set", "qemu-tcg-det", "instructions",
			       516 };
	struct ratio r[RATIOS_MAX];
	size_t n = ratios_compute(&g, NULL, r);
	cr_assert_eq(n, 6);
	/* 26000000 / 400000 = 65 >= 50 */
	const struct ratio *x = find(r, n, "odf_vs_cow");
	cr_expect_float_eq(x->value, 65.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_MET);
	cr_expect_str_eq(x->goal, ">= 50x");
	/* 26000000 / 200000 = 130 >= 100 */
	x = find(r, n, "huge_split_vs_cow");
	cr_expect_float_eq(x->value, 130.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_MET);
	/* 26000000 / 300000 = 86.67 < 100 */
	x = find(r, n, "huge_copy_vs_cow");
	cr_expect_float_eq(x->value, 26000000.0 / 300000.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_NOT_MET);
	/* 31000 / 30000 = 1.0333 <= 1.05 */
	x = find(r, n, "spawn_1g_vs_0");
	cr_expect_float_eq(x->value, 31000.0 / 30000.0, 1e-12);
	cr_expect_eq(x->verdict, RATIO_MET);
	/* (26000000 - 60000) / 261888 = 99.05 instructions a page > 20 */
	x = find(r, n, "cow_per_page");
	cr_expect_float_eq(x->value, 25940000.0 / 261888.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_NOT_MET);
	cr_expect_str_eq(x->unit, "instructions/page");
	cr_expect(strstr(x->detail, "cow@1G 26000000"), "%s", x->detail);
	/* 550 a page / 516 = 1.0659 <= 1.1 */
	x = find(r, n, "copy_page_vs_copy_4k");
	cr_expect_float_eq(x->value, 550.0 / 516.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_MET);
	cr_expect(strstr(x->detail, "copy_4k 516"), "%s", x->detail);
	metrics_free(&t);
}

Test(ratios, missing_inputs_are_na_saying_which)
{
	struct metric_table t = { 0 };
	three(&t, "cow", G1, 1000000, 0, "instructions");
	three(&t, "copy", G1, 9000000, 0, "instructions");
	three(&t, "copy", M1, 9000, 0, "instructions");
	/* spawn at 1G measured, every repetition NA */
	row(&t, "spawn", G1, 1, 0, "instructions", "nomem");
	row(&t, "spawn", G1, 2, 0, "instructions", "nomem");
	/* a median of 0 cannot divide */
	three(&t, "huge_split", G1, 0, 0, "instructions");
	struct ratio_set g = { &t, "this set", "qemu-tcg-det", "instructions",
			       NAN };
	struct ratio r[RATIOS_MAX];
	size_t n = ratios_compute(&g, NULL, r);
	const struct ratio *x = find(r, n, "odf_vs_cow");
	cr_expect(isnan(x->value));
	cr_expect_eq(x->verdict, RATIO_NA);
	cr_expect_str_eq(x->detail, "no odf create at 1G in this set");
	x = find(r, n, "spawn_1g_vs_0");
	cr_expect_eq(x->verdict, RATIO_NA);
	cr_expect_str_eq(x->detail, "spawn create at 1G in this set: every "
				    "repetition NA (nomem)");
	x = find(r, n, "huge_split_vs_cow");
	cr_expect_eq(x->verdict, RATIO_NA);
	cr_expect(strstr(x->detail, "huge_split@1G 0"), "%s", x->detail);
	x = find(r, n, "cow_per_page");
	cr_expect_str_eq(x->detail, "no cow create at 1M in this set");
	x = find(r, n, "copy_page_vs_copy_4k");
	cr_expect_eq(x->verdict, RATIO_NA);
	cr_expect_str_eq(x->unit, "x");
	cr_expect(strstr(x->detail, "no validity.ops.copy_4k.guest_cycles"),
		  "%s", x->detail);
	metrics_free(&t);
}

Test(ratios, cow_per_page_goal_only_judged_on_qemu_tcg_det)
{
	struct metric_table t = { 0 };
	full_set(&t, "cycles");
	struct ratio_set g = { &t, "this set", "kvm", "cycles", 516 };
	struct ratio r[RATIOS_MAX];
	size_t n = ratios_compute(&g, NULL, r);
	const struct ratio *x = find(r, n, "cow_per_page");
	/* the figure still there, in cycles, without a verdict */
	cr_expect_float_eq(x->value, 25940000.0 / 261888.0, 1e-9);
	cr_expect_str_eq(x->unit, "cycles/page");
	cr_expect_eq(x->verdict, RATIO_NO_GOAL);
	cr_expect(strstr(x->detail, "stated for qemu-tcg-det, this set is on "
				    "kvm"), "%s", x->detail);
	/* the quotients' goals hold on any backend */
	cr_expect_eq(find(r, n, "odf_vs_cow")->verdict, RATIO_MET);
	metrics_free(&t);
}

Test(ratios, linux_references_beside_ours)
{
	struct metric_table t = { 0 }, pt = { 0 };
	full_set(&t, "instructions");
	three(&pt, "linux_fork", G1, 37000000, 0, "instructions");
	three(&pt, "linux_fork", M1, 190000, 0, "instructions");
	three(&pt, "linux_fork_thp", G1, 2500000, 0, "instructions");
	struct ratio_set g = { &t, "this set", "qemu-tcg-det", "instructions",
			       516 };
	struct ratio_set p = { &pt, "PEER_SET", "qemu-tcg-det", "instructions",
			       NAN };
	struct ratio r[RATIOS_MAX];
	size_t n = ratios_compute(&g, &p, r);
	cr_assert_eq(n, 9);
	/* 37000000 / 400000 = 92.5 */
	const struct ratio *x = find(r, n, "linux_fork_vs_odf");
	cr_expect_float_eq(x->value, 92.5, 1e-9);
	cr_expect_eq(x->verdict, RATIO_REFERENCE);
	cr_expect_str_eq(x->goal, "");
	/* 37000000 / 2500000 = 14.8 */
	cr_expect_float_eq(find(r, n, "linux_fork_vs_thp")->value, 14.8, 1e-9);
	/* (37000000 - 190000) / 261888 = 140.56 */
	x = find(r, n, "linux_fork_per_page");
	cr_expect_float_eq(x->value, 36810000.0 / 261888.0, 1e-9);
	cr_expect_eq(x->verdict, RATIO_REFERENCE);
	metrics_free(&pt);
	/* without the peer's inputs: NA, naming PEER_SET */
	three(&pt, "linux_fork", M1, 190000, 0, "instructions");
	n = ratios_compute(&g, &p, r);
	x = find(r, n, "linux_fork_vs_thp");
	cr_expect_eq(x->verdict, RATIO_NA);
	cr_expect_str_eq(x->detail, "no linux_fork create at 1G in PEER_SET");
	metrics_free(&pt);
	metrics_free(&t);
}

Test(ratios, one_clock_per_set)
{
	struct metric_table t = { 0 };
	const char *unit;
	char err[256] = "";
	cr_expect_eq(ratios_unit(&t, &unit, err, sizeof(err)), 0);
	cr_expect_null(unit);
	three(&t, "cow", G1, 1, 0, "cycles");
	cr_expect_eq(ratios_unit(&t, &unit, err, sizeof(err)), 0);
	cr_expect_str_eq(unit, "cycles");
	row(&t, "odf", M1, 1, 1, "instructions", NULL);
	cr_expect_eq(ratios_unit(&t, &unit, err, sizeof(err)), -1);
	cr_expect(strstr(err, "both cycles and instructions (odf 1M)"), "%s",
		  err);
	metrics_free(&t);
}

Test(same_backend, one_name_or_kvm_beside_its_qemu_kvm_peer)
{
	cr_expect(same_backend("qemu-tcg-det", "qemu-tcg-det"));
	cr_expect(same_backend("kvm", "qemu-kvm"));
	cr_expect(same_backend("qemu-kvm", "kvm"));
	cr_expect(!same_backend("qemu-tcg-det", "qemu-tcg"));
	cr_expect(!same_backend("kvm", "linux"));
}
