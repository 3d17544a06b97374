/*
 * forkbench plot's aggregation: medians and spreads per size, NA skipped,
 * cycles converted to time; and the small pieces the figures rely on
 * (gnuplot quoting, the size axis, titles).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_agg.h"
#include "plot_data.h"
#include "plot_gp.h"
#include "plot_set.h"

/* Append a measured row (value) or, with na, a not-measured one. */
static void add(struct metric_table *t, const char *variant,
		const char *metric, uint64_t size, unsigned rep, double value,
		int na, const char *unit)
{
	struct metric_row r;
	memset(&r, 0, sizeof(r));
	snprintf(r.variant, sizeof(r.variant), "%s", variant);
	snprintf(r.scenario, sizeof(r.scenario), "create");
	snprintf(r.metric, sizeof(r.metric), "%s", metric);
	snprintf(r.unit, sizeof(r.unit), "%s", unit);
	r.size = size;
	r.rep = rep;
	r.has_value = !na;
	r.value = value;
	cr_assert_eq(metrics_append(t, &r), 0);
}

static const struct plot_key cow_ret = { "cow", "create", "cycles_to_return" };

Test(plot_median, odd_even_and_unsorted)
{
	double odd[] = { 9, 1, 5 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
	cr_expect_float_eq(plot_median(odd, 3), 5.0, 1e-12);
	cr_expect_float_eq(plot_median(even, 4), 2.5, 1e-12);
	cr_expect_float_eq(plot_median(one, 1), 7.0, 1e-12);
	cr_expect(isnan(plot_median(one, 0)));
}

Test(plot_unit, cycles_become_time_through_tsc_khz)
{
	double f;
	char err[128] = "";
	/* 2 GHz: 2,000,000 cycles per ms, so 2000 cycles per us. */
	cr_assert_eq(plot_unit_factor("cycles", 2e6, PLOT_US, &f, err,
				      sizeof(err)), 0);
	cr_expect_float_eq(4000 * f, 2.0, 1e-12);
	cr_assert_eq(plot_unit_factor("cycles", 2e6, PLOT_MS, &f, err,
				      sizeof(err)), 0);
	cr_expect_float_eq(4e6 * f, 2.0, 1e-12);
	cr_assert_eq(plot_unit_factor("ns", 0, PLOT_US, &f, err, sizeof(err)), 0);
	cr_expect_float_eq(1500 * f, 1.5, 1e-12);
	cr_assert_eq(plot_unit_factor("cycles", 0, PLOT_CYCLES, &f, err,
				      sizeof(err)), 0);
	cr_expect_float_eq(f, 1.0, 1e-12);
}

Test(plot_unit, what_cannot_be_converted_says_why)
{
	double f;
	char err[128] = "";
	cr_expect_eq(plot_unit_factor("cycles", 0, PLOT_US, &f, err,
				      sizeof(err)), -1);
	cr_expect(strstr(err, "tsc_khz"), "%s", err);
	cr_expect_eq(plot_unit_factor("pages", 2e6, PLOT_US, &f, err,
				      sizeof(err)), -1);
	cr_expect(strstr(err, "'pages'"), "%s", err);
	cr_expect_eq(plot_unit_factor("ns", 2e6, PLOT_CYCLES, &f, err,
				      sizeof(err)), -1);
}

Test(plot_series, median_min_max_per_size_in_us)
{
	struct metric_table t = { 0 };
	struct plot_series s;
	char err[128] = "";
	/* Size 0: 1000..5000 cycles (in a shuffled order); 1M: 2 reps. */
	const double v0[] = { 3000, 1000, 5000, 2000, 4000 };
	for (unsigned r = 0; r < 5; r++)
		add(&t, "cow", "cycles_to_return", 0, r, v0[r], 0, "cycles");
	add(&t, "cow", "cycles_to_return", 1 << 20, 0, 8000, 0, "cycles");
	add(&t, "cow", "cycles_to_return", 1 << 20, 1, 6000, 0, "cycles");
	cr_assert_eq(plot_series_build(&t, &cow_ret, 1e6, PLOT_US, &s, err,
				       sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.n, 2);
	/* 1 GHz: 1000 cycles per us. */
	cr_expect_eq(s.pts[0].size, 0);
	cr_expect_float_eq(s.pts[0].median, 3.0, 1e-9);
	cr_expect_float_eq(s.pts[0].min, 1.0, 1e-9);
	cr_expect_float_eq(s.pts[0].max, 5.0, 1e-9);
	cr_expect_eq(s.pts[0].n, 5);
	cr_expect_eq(s.pts[1].size, 1 << 20);
	cr_expect_float_eq(s.pts[1].median, 7.0, 1e-9);
	cr_expect_eq(s.pts[1].n, 2);
	plot_series_free(&s);
	metrics_free(&t);
}

Test(plot_series, na_rows_skipped_and_all_na_size_left_out)
{
	struct metric_table t = { 0 };
	struct plot_series s;
	char err[128] = "";
	add(&t, "cow", "cycles_to_return", 4096, 0, 2000, 0, "cycles");
	add(&t, "cow", "cycles_to_return", 4096, 1, 0, 1, "cycles");
	add(&t, "cow", "cycles_to_return", 8192, 0, 0, 1, "cycles");
	add(&t, "cow", "cycles_to_return", 8192, 1, 0, 1, "cycles");
	cr_assert_eq(plot_series_build(&t, &cow_ret, 1e6, PLOT_US, &s, err,
				       sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.n, 1, "the all-NA size must be left out");
	cr_expect_eq(s.pts[0].size, 4096);
	cr_expect_eq(s.pts[0].n, 1, "the NA rep must not count");
	cr_expect_float_eq(s.pts[0].median, 2.0, 1e-9);
	plot_series_free(&s);
	metrics_free(&t);
}

Test(plot_series, only_the_matching_rows)
{
	struct metric_table t = { 0 };
	struct plot_series s;
	char err[128] = "";
	add(&t, "cow", "cycles_to_return", 0, 0, 1000, 0, "cycles");
	add(&t, "copy", "cycles_to_return", 0, 0, 9e9, 0, "cycles");
	add(&t, "cow", "cycles_to_child", 0, 0, 9e9, 0, "cycles");
	cr_assert_eq(plot_series_build(&t, &cow_ret, 1e6, PLOT_US, &s, err,
				       sizeof(err)), 0);
	cr_assert_eq(s.n, 1);
	cr_expect_float_eq(s.pts[0].max, 1.0, 1e-9);
	plot_series_free(&s);
	struct plot_key none = { "vfork", "create", "cycles_to_return" };
	cr_assert_eq(plot_series_build(&t, &none, 1e6, PLOT_US, &s, err,
				       sizeof(err)), 0);
	cr_expect_eq(s.n, 0);
	cr_expect_null(s.pts);
	metrics_free(&t);
}

Test(plot_series, a_unit_that_cannot_be_converted_is_an_error)
{
	struct metric_table t = { 0 };
	struct plot_series s;
	char err[128] = "";
	add(&t, "cow", "cycles_to_return", 0, 0, 1000, 0, "cycles");
	cr_expect_eq(plot_series_build(&t, &cow_ret, 0, PLOT_US, &s, err,
				       sizeof(err)), -1);
	cr_expect_eq(s.n, 0);
	cr_expect(strstr(err, "tsc_khz"), "%s", err);
	metrics_free(&t);
}

Test(plot_series, written_as_csv_with_a_header)
{
	struct plot_point p[] = { { 0, 3, 1, 5, 5 }, { 1 << 20, 7.5, 6, 8, 2 } };
	struct plot_series s = { p, 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	plot_series_write(f, &s, PLOT_US);
	fclose(f);
	cr_expect_str_eq(buf, "size_bytes,median_us,min_us,max_us,reps\n"
			      "0,3,1,5,5\n1048576,7.5,6,8,2\n");
	free(buf);
}

Test(plot_names, variants_in_order_of_first_appearance)
{
	struct metric_table t = { 0 };
	struct plot_names n;
	add(&t, "copy", "m", 0, 0, 1, 0, "cycles");
	add(&t, "cow", "m", 0, 0, 1, 0, "cycles");
	add(&t, "copy", "m", 0, 1, 1, 0, "cycles");
	add(&t, "vfork", "m", 0, 0, 1, 1, "cycles");
	cr_assert_eq(plot_variants(&t, &n), 0);
	cr_assert_eq(n.n, 3);
	cr_expect_str_eq(n.name[0], "copy");
	cr_expect_str_eq(n.name[1], "cow");
	cr_expect_str_eq(n.name[2], "vfork");
	plot_names_free(&n);
	metrics_free(&t);
	cr_expect(plot_name_safe("linux_clone_vm"));
	cr_expect(!plot_name_safe("a b"));
	cr_expect(!plot_name_safe("../x"));
	cr_expect(!plot_name_safe(""));
}

Test(plot_gp, strings_quoted_for_gnuplot)
{
	struct plot_str v = { 0 };
	cr_assert_eq(plot_gp_string(&v, "subtitle", "O'Brien's CPU"), 0);
	cr_assert_eq(plot_gp_number(&v, "zero_x", 262144), 0);
	cr_expect_str_eq(v.s, "subtitle='O''Brien''s CPU'; zero_x=262144; ");
	plot_str_free(&v);
}

Test(plot_axis, size_zero_two_octaves_left_of_the_smallest)
{
	struct plot_ctx *c = calloc(1, sizeof(*c));
	cr_assert_not_null(c);
	add(&c->guest.t, "cow", "m", 0, 0, 1, 0, "cycles");
	add(&c->guest.t, "cow", "m", 1 << 20, 0, 1, 0, "cycles");
	add(&c->guest.t, "cow", "m", 16 << 20, 0, 1, 0, "cycles");
	add(&c->guest.t, "cow", "m", 1ull << 40, 0, 0, 1, "cycles"); /* NA */
	plot_size_axis(c);
	cr_expect_float_eq(c->zero_x, 256 * 1024, 1e-9);
	cr_expect_float_eq(c->xmin, 128 * 1024, 1e-9);
	cr_expect_float_eq(c->xmax, 32 << 20, 1e-9, "NA sizes do not count");
	metrics_free(&c->guest.t);
	add(&c->guest.t, "cow", "m", 4096, 0, 1, 0, "cycles");
	plot_size_axis(c);
	cr_expect_float_eq(c->zero_x, 0, 1e-9, "no size 0: no '0' tick");
	cr_expect_float_eq(c->xmin, 2048, 1e-9);
	metrics_free(&c->guest.t);
	free(c);
}

Test(plot_titles, machine_backend_and_what_the_verdict_means)
{
	struct plot_set s;
	memset(&s, 0, sizeof(s));
	snprintf(s.cpu, sizeof(s.cpu), "AMD EPYC");
	snprintf(s.backend, sizeof(s.backend), "qemu-tcg-det");
	snprintf(s.verdict, sizeof(s.verdict), "deterministic");
	plot_set_describe(&s);
	cr_expect_str_eq(s.subtitle, "AMD EPYC, backend qemu-tcg-det "
				     "(deterministic: not hardware cycles)");
	snprintf(s.backend, sizeof(s.backend), "linux");
	snprintf(s.verdict, sizeof(s.verdict), "native");
	snprintf(s.kernel, sizeof(s.kernel), "Linux 6.1\n");
	plot_set_describe(&s);
	cr_expect_str_eq(s.subtitle, "AMD EPYC, Linux 6.1 , backend linux "
				     "(native: this host's Linux)");
	cr_expect_str_eq(plot_verdict_text("bogus"), "validity unknown");
}
