/*
 * Aggregation for forkbench plot: the per-repetition rows of a metrics
 * table reduced to one point per parent size (median, min, max), in the
 * unit a figure wants. Kept apart from the gnuplot side so the unit tests
 * can check the numbers without rendering anything.
 */
#ifndef FB_PLOT_AGG_H
#define FB_PLOT_AGG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "resultset.h"

/* The units figures are drawn in. */
/*
 * The units figures are drawn in. PLOT_INSTR: a qemu-tcg-det set, whose
 * timings are instructions (-icount) and are drawn as they are, never
 * converted to time through the nominal 1 GHz.
 */
/* PLOT_COUNT: counts as they are (the fbsim model's sim_*, unit count). */
enum plot_unit { PLOT_US, PLOT_MS, PLOT_CYCLES, PLOT_INSTR, PLOT_COUNT };

/* One parent size: the spread of its numeric repetitions. */
struct plot_point {
	uint64_t size;
	double median, min, max;
	size_t n; /* repetitions with a value */
};

struct plot_series {
	struct plot_point *pts; /* ascending size */
	size_t n;
};

/* Which rows make a series: all three must match. */
struct plot_key {
	const char *variant, *scenario, *metric;
};

/*
 * The factor from a row's unit to want: cycles become time through
 * tsc_khz (cycles per millisecond), time units scale. -1 with the reason
 * in err when it cannot be done (unknown unit, no TSC frequency, time
 * asked as cycles).
 */
int plot_unit_factor(const char *unit, double tsc_khz, enum plot_unit want,
		     double *factor, char *err, size_t errlen);

/* Median of n values, sorted in place (mean of the middle two if even). */
double plot_median(double *v, size_t n);

/*
 * The series of rows matching k, converted to want. NA rows are skipped,
 * so a size whose repetitions are all NA is left out. out->n == 0 when
 * nothing matched. -1 with err for a unit that cannot be converted or no
 * memory; out is then empty.
 */
int plot_series_build(const struct metric_table *t, const struct plot_key *k,
		      double tsc_khz, enum plot_unit want,
		      struct plot_series *out, char *err, size_t errlen);
void plot_series_free(struct plot_series *s);

/* The median at size, or NAN when the series has no point there. */
double plot_series_median_at(const struct plot_series *s, uint64_t size);

/* Does t hold a numeric value for the scenario and metric (any variant)? */
int plot_has_values(const struct metric_table *t, const char *scenario,
		    const char *metric);

/* Short name of a unit for column headers ("us", "ms", "cycles"). */
const char *plot_unit_name(enum plot_unit u);

/*
 * Append to buf (", "-separated) each distinct note of the NA rows of
 * metric, not already there: why it is missing. The number appended.
 */
size_t plot_na_reasons(const struct metric_table *t, const char *metric,
		       char *buf, size_t len);

/*
 * Write s as CSV: size_bytes,median_U,min_U,max_U,reps with U the unit.
 * A header line first, for people; scripts skip it.
 */
void plot_series_write(FILE *f, const struct plot_series *s,
		       enum plot_unit u);

/*
 * Safe as a file name part and a gnuplot word: [A-Za-z0-9_.-], not
 * empty. Variants are written by our tools, but a hand-edited set could
 * hold anything.
 */
int plot_name_safe(const char *s);

/* Distinct variants of t in order of first appearance. */
struct plot_names {
	char (*name)[32];
	size_t n;
};
int plot_variants(const struct metric_table *t, struct plot_names *out);
void plot_names_free(struct plot_names *n);

#endif
