/*
 * metrics.csv values as written: the shortest decimal that reads back
 * as the value, integers in full, and no undefined cast on the way for
 * values beyond any integer (a fuzzer found one).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resultset.h"

/* The value column of the row metrics_write_row writes for v. */
static const char *written(double v, int has_value)
{
	static char line[512];
	struct metric_row r;
	memset(&r, 0, sizeof(r));
	strcpy(r.variant, "cow");
	strcpy(r.scenario, "tlb");
	strcpy(r.metric, "tlb_cycles_per_access_after");
	strcpy(r.unit, "cycles");
	r.value = v;
	r.has_value = has_value;
	FILE *f = fmemopen(line, sizeof(line), "w");
	metrics_write_row(f, &r);
	fclose(f);
	char *field = line;
	for (int i = 0; i < 5; i++) /* variant..metric: no commas in them */
		field = strchr(field, ',') + 1;
	*strchr(field, ',') = '\0';
	return field;
}

Test(resultset_value, shortest_decimal_that_reads_back)
{
	cr_assert_str_eq(written(0.716, 1), "0.716");
	cr_assert_str_eq(written(2.5, 1), "2.5");
	cr_assert_str_eq(written(1.0 / 3.0, 1), "0.3333333333333333");
	cr_assert_eq(strtod(written(1.0 / 3.0, 1), NULL), 1.0 / 3.0);
}

Test(resultset_value, integers_in_full_never_with_an_exponent)
{
	cr_assert_str_eq(written(0, 1), "0");
	cr_assert_str_eq(written(1000000, 1), "1000000");
	cr_assert_str_eq(written(2467000, 1), "2467000");
	cr_assert_str_eq(written(-42, 1), "-42");
	cr_assert_str_eq(written(-0.0, 1), "-0"); /* its sign kept */
}

Test(resultset_value, beyond_any_integer_still_exact)
{
	const char *s = written(7.81184e22, 1);
	cr_assert_eq(strtod(s, NULL), 7.81184e22, "%s", s);
	cr_assert_str_eq(written(0, 0), "NA");
}
