/* Loading the result sets forkbench plot draws (struct plot_set). */
#ifndef FB_PLOT_SET_H
#define FB_PLOT_SET_H

#include <stddef.h>

#include "plot_data.h"

/*
 * Read DIR/metrics.csv and DIR/meta.json into s. -1 with the reason in
 * err (the reader's "PATH:LINE: reason" for a corrupt CSV).
 */
int plot_set_load(struct plot_set *s, const char *dir, char *err,
		  size_t errlen);
void plot_set_free(struct plot_set *s);

/* Fill s->subtitle: machine, backend and validity, for every title. */
void plot_set_describe(struct plot_set *s);

/* What a validity verdict means for reading the figure. */
const char *plot_verdict_text(const char *verdict);

#endif
