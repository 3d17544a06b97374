/*
 * The figures of forkbench plot. Each gathers its series from the result
 * sets, writes them into OUT/data/, and sets the variables its gnuplot
 * script (plots/NAME.gp) reads; plot.c renders it.
 */
#ifndef FB_PLOT_FIGS_H
#define FB_PLOT_FIGS_H

#include <stddef.h>

#include "plot_data.h"

struct plot_fig {
	const char *name; /* basename of the figure and of its script */
	enum plot_prep (*prepare)(struct plot_ctx *c, struct plot_str *vars,
				  char *why, size_t whylen);
};

/* All figures, in the order they are rendered. */
extern const struct plot_fig plot_figures[];
extern const size_t plot_nfigures;

#endif
