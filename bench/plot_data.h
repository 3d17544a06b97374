/*
 * What the figures of forkbench plot share: the result sets being
 * plotted, the size axis, and the data files written into OUT/data/
 * (one CSV per series, listed at the end of the run).
 */
#ifndef FB_PLOT_DATA_H
#define FB_PLOT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plot_agg.h"
#include "plot_gp.h"
#include "resultset.h"

/* One result set with what its meta.json says about how it was taken. */
struct plot_set {
	const char *dir;
	struct metric_table t;
	struct plot_names variants; /* only names safe for files */
	double tsc_khz;		    /* 0 when meta.json has none */
	int instructions; /* its timings are in instructions (qemu-tcg-det) */
	int peer;         /* the Linux peer guest (kind linux-guest) */
	char backend[32], verdict[32], cpu[128], kernel[160];
	char subtitle[512]; /* machine, backend, validity: for every title */
};

/* Paths of the files written, in order, for the closing list. */
struct plot_files {
	char **path;
	size_t n;
};

struct plot_ctx {
	struct plot_set guest, native; /* native.dir NULL without LINUX_SET */
	char datadir[4096];
	/* The log size axis: where size 0 is drawn, and the range. */
	double zero_x, xmin, xmax;
	struct plot_files files;
};

/*
 * What preparing one figure produced: skipped for lack of data (why says
 * which), ready to render, bad input (a unit that cannot be converted), or
 * a failure to write its data (why says which file).
 */
enum plot_prep { PLOT_SKIP, PLOT_READY, PLOT_BAD_INPUT, PLOT_IO_ERROR };

/* Record a written file's path (copied). -1 on no memory. */
int plot_files_add(struct plot_files *f, const char *path);
void plot_files_free(struct plot_files *f);

/* Compute c's size axis from the measured sizes of both sets. */
void plot_size_axis(struct plot_ctx *c);

/* Open OUT/data/NAME.csv for writing (its path into path), or NULL + why. */
FILE *plot_data_open(struct plot_ctx *c, const char *name, char *path,
		     size_t len, char *why, size_t whylen);
/* Close it, checking for write errors, and record it as written. */
enum plot_prep plot_data_close(struct plot_ctx *c, FILE *f, const char *path,
			       char *why, size_t whylen);

/* Write one series as OUT/data/NAME.csv. */
enum plot_prep plot_data_series(struct plot_ctx *c, const char *name,
				const struct plot_series *s, enum plot_unit u,
				char *why, size_t whylen);

/* plot_series_build on a set, its error naming the set's metrics.csv. */
/* The unit a figure wanting u draws this set in: a set in instructions
 * stays in instructions. */
enum plot_unit plot_set_unit(const struct plot_set *set, enum plot_unit u);
/* "instructions (qemu-tcg-det, -icount)" or "TSC cycles": the set's clock. */
const char *plot_set_clock(const struct plot_set *set);

enum plot_prep plot_data_build(const struct plot_set *set,
			       const struct plot_key *k, enum plot_unit u,
			       struct plot_series *s, char *why, size_t whylen);

/* One metric of every variant, each variant's series in its own file. */
struct plot_want {
	const char *scenario, *metric;
	enum plot_unit unit;
	const char *prefix; /* file name: PREFIX<variant>.csv */
};

/*
 * For each variant of set with values for w: OUT/data/PREFIX<variant>.csv,
 * and the variant appended to words (space separated, for a gnuplot
 * "for [v in words]").
 */
enum plot_prep plot_data_variants(struct plot_ctx *c,
				  const struct plot_set *set,
				  const struct plot_want *w,
				  struct plot_str *words, char *why,
				  size_t whylen);

/* Append a word and a space; -1 on no memory. */
int plot_words_add(struct plot_str *words, const char *word);

#endif
