/*
 * A run's results: metric records as long-form CSV (one row per
 * repetition and metric) and a JSON metadata file saying where the
 * numbers come from. Both are written atomically (atomic_write.h), and
 * only when the run ended cleanly, so an interrupted run leaves no half
 * file.
 */
#ifndef FB_RESULTS_H
#define FB_RESULTS_H

#include "atomic_write.h"
#include "options.h"
#include "records.h"
#include "schema.h"
#include "simrun.h"
#include "validity.h"

struct results {
	const char *csv_path, *meta_path;
	struct atomic_file csv; /* csv.f NULL: no CSV wanted */
	unsigned long rows;
	/* the run's backend: set after results_open; it decides the unit of
	 * timings (BACKEND_AUTO, the default, leaves the guest's unit) */
	enum backend backend;
	/* from the guest's hello and calib records */
	int have_calib;
	struct guest_calib calib;
	char calib_cycles[32], tsc_overhead[32], rdtscp[8], pmu[128];
	char phase_timer[32];
	char guest_tsc_khz[32], guest_mem_kib[32];
	struct sim_run sim; /* --sim: the model's regions (simrun.h) */
	const struct options *opt;
};

/* Open the CSV's temporary file (if a CSV is wanted). -1 with err. */
int results_open(struct results *r, const char *csv_path,
		 const char *meta_path, char *err, size_t errlen);
/* Every validated record of the run passes through here. */
void results_record(void *ctx, const struct record *rec);

struct run_facts {
	const struct options *opt;
	int argc;
	char **argv;
	unsigned long tsc_khz; /* what the host passed to the guest */
	const char *tsc_khz_source; /* where that came from (tsc_freq.h) */
	const char *guest_status;
	const char *src_dir;   /* for the git revision */
};

/*
 * Finish: with keep, rename the CSV into place and write the metadata;
 * without, remove the temporary file. -1 with err when writing failed.
 */
int results_close(struct results *r, int keep, const struct run_facts *f,
		  char *err, size_t errlen);

#endif
