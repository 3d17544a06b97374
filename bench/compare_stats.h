/*
 * The decisions forkbench compare makes from its numbers: adjusting the
 * p-values of all tested rows of one comparison together, and each row's
 * verdict. Kept apart from the command so the unit tests can check them.
 */
#ifndef FB_COMPARE_STATS_H
#define FB_COMPARE_STATS_H

#include <stddef.h>

/*
 * One comparison tests every timing row at once; at alpha 0.05, 150 rows
 * without a change would give about 7 false alarms. Holm-Bonferroni keeps
 * the chance of any false alarm below alpha under any dependence between
 * rows; Benjamini-Hochberg bounds the expected share of false alarms
 * among the flagged rows instead (more power, a weaker promise).
 */
enum correction { CORR_HOLM, CORR_BH, CORR_NONE };

/* "holm", "bh", "none"; -1 for anything else. */
int correction_parse(const char *name, enum correction *c);
const char *correction_name(enum correction c);

/*
 * Adjust p[0..n) into adj[0..n) (in the same order; p may be adj).
 * Adjusted p-values are compared with alpha as they are: a row is
 * significant when adj < alpha. -1 out of memory.
 */
int p_adjust(const double *p, double *adj, size_t n, enum correction c);

/*
 * What the smallest raw p of n tested rows must be below for any row to
 * be significant after correction c: Holm's first step compares it with
 * alpha / n; Benjamini-Hochberg (its last step) and no correction with
 * alpha itself. A family whose best achievable p is not below this can
 * flag nothing.
 */
double first_step_level(double alpha, size_t n, enum correction c);

enum verdict {
	VERDICT_SAME,
	VERDICT_REGRESSION,
	VERDICT_IMPROVEMENT,
	VERDICT_MATCH,    /* exact counter, equal */
	VERDICT_MISMATCH, /* exact counter differs, or NA on one side only */
	VERDICT_NA,       /* NA on both sides */
};

const char *verdict_name(enum verdict v);

/*
 * A change beyond threshold_pct (either way; the threshold itself is
 * not beyond it): slower is a regression, faster an improvement. Alone it
 * decides deterministic timings (instructions), which have no noise.
 */
enum verdict threshold_verdict(double change_pct, double threshold_pct);

/*
 * A noisy timing's verdict: a change must be both significant (its
 * adjusted p < alpha) and large (threshold_verdict) to count; either
 * alone is noise or irrelevance.
 */
enum verdict timing_verdict(double p, double change_pct, double alpha,
			    double threshold_pct);

#endif
