/*
 * A result set: one directory holding
 *   metrics.csv  long form, RESULTS_CSV_HEADER: one row per repetition and
 *                metric (value NA with a note when not measured)
 *   configs.csv  CONFIGS_CSV_HEADER: one row per configuration and how
 *                it went (ok, or failed with its reason)
 *   meta.json    provenance: command, backend, validity, host, git...
 * forkbench run writes guest result sets, forkbench host Linux ones, in
 * the same schema, so plot and compare read both alike.
 */
#ifndef FB_RESULTSET_H
#define FB_RESULTSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fb_vocab.h"

#define METRICS_CSV "metrics.csv"
#define CONFIGS_CSV "configs.csv"
#define META_JSON "meta.json"
#define CONFIGS_CSV_HEADER \
	"variant,scenario,size,status,exit_code,reason,wall_s,guest_s"

struct metric_row {
	char variant[32], scenario[32];
	uint64_t size;
	unsigned rep;
	char metric[64];
	int has_value; /* 0: NA */
	double value;  /* exact for integers below 2^53 */
	char unit[16];
	char note[128];
	int warmup;    /* the warm-up repetition: kept, never in statistics */
};

/*
 * The warm-up repetition (guest and host alike): rep 0, note "warmup",
 * or "warmup;REASON" when its value is NA. Measured repetitions are
 * numbered from 1.
 */
#define WARMUP_NOTE FB_WARMUP_NOTE
int note_is_warmup(const char *note);

struct metric_table {
	struct metric_row *rows;
	size_t n, cap;
};

/*
 * Read a metrics.csv. -1 with "PATH:LINE: reason" in err for a missing
 * file, a wrong header, a wrong field count, or a malformed number.
 */
int metrics_read(const char *path, struct metric_table *t, char *err,
		 size_t errlen);
/*
 * The metrics.csv of result set dir, its warm-up rows dropped (what every
 * statistic and figure works on). -1 with "DIR: reason" in err when dir
 * is no directory, or metrics_read's reason.
 */
int metrics_read_set(const char *dir, struct metric_table *t, char *err,
		     size_t errlen);
void metrics_free(struct metric_table *t);
/* Drop the warm-up rows: what every statistic and figure works on. */
void metrics_drop_warmup(struct metric_table *t);
int metrics_append(struct metric_table *t, const struct metric_row *r);
void metrics_write_row(FILE *f, const struct metric_row *r);

/* How one configuration went: its configs.csv row. */
struct config_row {
	const char *variant, *scenario;
	uint64_t size;
	int ok, exit_code;
	const char *reason;   /* "" when ok */
	double wall_s;
	double guest_s;       /* < 0: unknown (an empty field) */
};

/* One configs.csv row (CONFIGS_CSV_HEADER), for run and host alike. */
void configs_write_row(FILE *f, const struct config_row *r);

/* Split one CSV line into at most max fields (RFC 4180 quoting). */
int csv_split(char *line, char **fields, int max);

/* "dir/name" into buf; -1 if it does not fit. */
int path_join(char *buf, size_t len, const char *dir, const char *name);

#endif
