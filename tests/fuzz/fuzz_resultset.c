/*
 * metrics_read (bench/resultset.c) on arbitrary files: plot and compare
 * read result sets that may be hand-edited, truncated or from another
 * version. An accepted file must also survive a round trip: its rows
 * written back with metrics_write_row read back as the same rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "resultset.h"
#include "schema.h"

static int same_value(const struct metric_row *a, const struct metric_row *b)
{
	if (a->has_value != b->has_value)
		return 0;
	if (!a->has_value)
		return 1;
	/*
	 * The shortest decimal that reads back gives every double back
	 * exactly, -0 included; NaN is only ever NaN.
	 */
	if (isnan(a->value) || isnan(b->value))
		return isnan(a->value) && isnan(b->value);
	return memcmp(&a->value, &b->value, sizeof(a->value)) == 0;
}

static int same_row(const struct metric_row *a, const struct metric_row *b)
{
	return strcmp(a->variant, b->variant) == 0 &&
	       strcmp(a->scenario, b->scenario) == 0 && a->size == b->size &&
	       a->rep == b->rep && strcmp(a->metric, b->metric) == 0 &&
	       same_value(a, b) && strcmp(a->unit, b->unit) == 0 &&
	       strcmp(a->note, b->note) == 0;
}

static void check_round_trip(const struct metric_table *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct metric_table again;
	char err[512] = "";

	if (!f)
		abort();
	fprintf(f, "%s\n", RESULTS_CSV_HEADER);
	for (size_t i = 0; i < t->n; i++)
		metrics_write_row(f, &t->rows[i]);
	fclose(f);
	if (metrics_read(fuzz_file((const uint8_t *)text, len), &again, err,
			 sizeof(err)) < 0)
		fuzz_fail("rows written back do not read: %s\n%s", err, text);
	if (again.n != t->n)
		fuzz_fail("%zu rows written back, %zu read", t->n, again.n);
	for (size_t i = 0; i < t->n; i++)
		if (!same_row(&t->rows[i], &again.rows[i]))
			fuzz_fail("row %zu changed on the round trip:\n%s", i,
				  text);
	metrics_free(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metric_table t;
	char err[512] = "";

	if (metrics_read(fuzz_file(data, size), &t, err, sizeof(err)) < 0) {
		/* The reason names path and line, never the file's bytes. */
		fuzz_check_message("metrics_read", err, NULL, 0);
		if (t.rows || t.n)
			fuzz_fail("a failed read left rows behind");
		return 0;
	}
	check_round_trip(&t);
	metrics_free(&t);
	return 0;
}
