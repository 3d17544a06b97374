/*
 * The figures of the on-demand fork comparison (Zhao et al., EuroSys'21):
 * what a fork costs at the call (odf) and what it leaves for later, the
 * first write to each 2 MiB region (first_write). plot_figs.c lists them.
 */
#ifndef FB_PLOT_ODF_H
#define FB_PLOT_ODF_H

#include <stddef.h>

#include "plot_data.h"

enum plot_prep plot_odf(struct plot_ctx *c, struct plot_str *vars, char *why,
			size_t whylen);
enum plot_prep plot_first_write(struct plot_ctx *c, struct plot_str *vars,
				char *why, size_t whylen);

#endif
