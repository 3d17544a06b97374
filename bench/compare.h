/*
 * forkbench compare's parts: compare.c (options), compare_load.c (the two
 * result sets, read, grouped and checked against each other),
 * compare_eval.c (each row's test and verdict), compare_report.c (the
 * report in md, csv or json).
 */
#ifndef FB_COMPARE_H
#define FB_COMPARE_H

#include <stddef.h>

#include "compare_stats.h"
#include "resultset.h"

#define THRESHOLD_DEFAULT 5.0
/*
 * The Linux peer under -icount is not exact: its medians moved up to
 * 4.2% (median 0.26%) between two qemu-tcg-det sweeps of the same
 * configurations, one boot per size (54 timings, 5 reps, 2026-12-01;
 * the largest: one create call, which the timer tick hits or not and no
 * batch can average). Its instruction timings are compared with at
 * least this threshold.
 */
#define LINUX_PEER_TOLERANCE_PCT 5.0
#define ALPHA_DEFAULT 0.05
/* Google Benchmark's compare.py warns below 9 repetitions, so do we. */
#define FEW_REPS 9

enum out_format { FMT_MD, FMT_CSV, FMT_JSON };

struct settings {
	double threshold_pct, alpha;
	/* for timings in instructions: threshold_pct, or the Linux peer's
	 * tolerance when a side is a linux-guest set and that is larger */
	double det_threshold_pct;
	enum correction correction;
	enum out_format format;
	int all; /* print unchanged rows too */
	const char *base, *new_;
};

/* The measured repetitions of one (variant, scenario, size, metric). */
struct group {
	const struct metric_row *key; /* its first row: key fields and unit */
	double *v;                    /* ascending, NA as NaN at the end */
	size_t n, na;
};

/* One result set, read and grouped. */
struct side {
	const char *label; /* "BASE" or "NEW", for messages */
	char path[4096];   /* its metrics.csv */
	struct metric_table t;
	double *values; /* storage for every group's v */
	struct group *g;
	size_t ng;
	size_t warmups; /* warm-up rows left out of the groups */
	int linux_peer; /* its meta.json says kind linux-guest */
	/* sweep.parent_pages of its meta.json; "4K" when it has none */
	char parent_pages[8];
};

/*
 * Read one side (a result-set directory or its metrics.csv) and group its
 * rows; warm-up repetitions are checked like the rest but left out. -1
 * with the reason in err; free_side in any case.
 */
int load_side(struct side *s, const char *label, const char *arg, char *err,
	      size_t errlen);
void free_side(struct side *s);

/*
 * Both sides must hold the same keys in the same units, so their groups
 * pair up by index, and come from parents of one page size. -1 with the
 * keys (or the page sizes) at fault in err.
 */
int check_pairing(const struct side *base, const struct side *new_,
		  char *err, size_t errlen);

/* "variant/scenario/size/metric", the key as messages name it. */
void key_name(const struct metric_row *r, char *buf, size_t len);

static inline size_t measured(const struct group *g)
{
	return g->n - g->na;
}

/* How a row is judged. */
enum row_test {
	TEST_NONE,      /* NA on one side or both: nothing to test */
	TEST_MATCH,     /* exact counter or model quantity: values must match */
	TEST_THRESHOLD, /* deterministic timing (instructions): change only */
	TEST_MW_EXACT,  /* noisy: Mann-Whitney, exact conditional p */
	TEST_MW_NORMAL, /* noisy: Mann-Whitney, normal approximation */
};

/* One line of the report. */
struct report_row {
	const struct group *base, *new_;
	enum row_test test;
	double base_med, new_med, change_pct; /* NaN: not applicable */
	double p, p_adj, min_p;               /* NaN unless tested */
	enum verdict verdict;
	char note[64];
};

static inline int row_tested(const struct report_row *r)
{
	return r->test == TEST_MW_EXACT || r->test == TEST_MW_NORMAL;
}

/*
 * Test and judge rows[0..n) (base and new_ set). -1 with the reason in
 * err: out of memory, or a comparison refused because its repetitions
 * cannot reach significance.
 */
int evaluate_rows(struct report_row *rows, size_t n, const struct settings *s,
		  char *err, size_t errlen);

/* Print the report; returns the exit code: 1 if anything got worse. */
int print_report(const struct report_row *rows, size_t n,
		 const struct settings *s, const struct side *base,
		 const struct side *new_);

#endif
