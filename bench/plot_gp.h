/*
 * The gnuplot side of forkbench plot: building the variable assignments a
 * script reads (gnuplot -e "name='value'; ...") and running one script.
 */
#ifndef FB_PLOT_GP_H
#define FB_PLOT_GP_H

#include <stddef.h>

/* A growable string; all-zero is empty. */
struct plot_str {
	char *s;
	size_t n, cap;
};

int plot_str_append(struct plot_str *b, const char *text);
void plot_str_free(struct plot_str *b);

/*
 * Append "name='value'; " with value quoted for gnuplot (a single quote
 * doubled), so machine names and paths cannot break the command line.
 */
int plot_gp_string(struct plot_str *b, const char *name, const char *value);

/* Append "name=value; " for a number. */
int plot_gp_number(struct plot_str *b, const char *name, double value);

/* Outcome of plot_gp_run. */
enum plot_gp_rc { PLOT_GP_OK, PLOT_GP_MISSING, PLOT_GP_FAILED };

/*
 * gnuplot -e vars script, stdin from /dev/null, stderr passed through so
 * its own message shows what went wrong. The reason in err unless OK.
 */
enum plot_gp_rc plot_gp_run(const char *script, const char *vars, char *err,
			    size_t errlen);

#endif
