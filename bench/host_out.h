/*
 * forkbench host's result set: metrics.csv and configs.csv grow in
 * temporary files, one configuration at a time, and are put in place at
 * the end, normal or interrupted (atomic_write.h); meta.json is written
 * last.
 */
#ifndef FB_HOST_OUT_H
#define FB_HOST_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "atomic_write.h"
#include "host_opts.h"
#include "resultset.h"

struct host_out {
	char dir[2048];
	struct atomic_file metrics, configs;
	unsigned long rows;
	unsigned ok, failed;
};

/* How one configuration went. */
struct host_config {
	enum host_variant v;
	enum host_scenario s;
	uint64_t size;
	int ok;
	const char *reason; /* "" when ok */
	double wall_s;
};

/* What meta.json says about the run besides the host. */
struct host_facts {
	const struct host_opts *opts;
	int argc;
	char **argv;          /* from "host" on */
	char created[32];     /* UTC, ISO 8601 */
	unsigned long tsc_khz;
	const char *tsc_khz_source; /* tsc_freq.h; NULL: not measured */
	uint64_t tsc_overhead;
	int rdtscp, invariant_tsc;
	const char *exec_path;
	unsigned planned;     /* configurations the options select */
	long cpus;            /* online */
	int cpu;              /* the CPU the run is pinned to */
	char cpus_allowed[256]; /* the CPUs it could have used, "0-3" */
	uint64_t batch_min_cycles; /* a batch lasts at least; 0: unbatched */
	double load_start, load_end; /* 1-minute load average, -1 unknown */
	int interrupted;
};

/*
 * Create dir (and its parents) unless it already holds a metrics.csv, and
 * open the temporary files with their headers. -1 with err.
 */
int host_out_open(struct host_out *o, const char *dir, char *err,
		  size_t errlen);

/* One finished configuration: its configs.csv row and its metric rows. */
int host_out_config(struct host_out *o, const struct host_config *c,
		    const struct metric_table *rows);

/*
 * Put both CSVs in place, then write meta.json (atomically). -1 with err
 * when something could not be written.
 */
int host_out_close(struct host_out *o, const struct host_facts *f, char *err,
		   size_t errlen);

/* Write meta.json's object to f (exposed for the unit test). */
int host_write_meta(FILE *f, const struct host_out *o,
		    const struct host_facts *x);

#endif
