/*
 * The samples of one configuration, for forkbench host and the Linux
 * peer's init alike: the warm-up (rep 0, note "warmup": first-call costs,
 * lazy binding, the thread stack cache, and it sizes the batches), then
 * reps 1..N. The parent is written once before the warm-up, and again
 * before every sample only where the call write-protects it
 * (host_region.h). The load average is read once, outside every timed
 * region.
 */
#ifndef FB_HOST_SAMPLES_H
#define FB_HOST_SAMPLES_H

#include <signal.h>

#include "host_measure.h"

enum samples_result { SAMPLES_OK, SAMPLES_FAILED, SAMPLES_INTERRUPTED };

/*
 * What else to record of each sample, taken just outside it: before()
 * then the sample, then after(), which appends its rows labelled like
 * label (variant, scenario, size, rep; note "warmup" on rep 0), per loop
 * of the sample's batch (loops). -1 from after() fails the sample.
 */
struct sample_observer {
	void (*before)(void *ctx);
	int (*after)(void *ctx, const struct metric_row *label, unsigned loops,
		     struct metric_table *rows);
	void *ctx;
};

/*
 * The rows of every sample into rows (emptied first). stop, when not
 * NULL and set, ends it between samples; obs, when not NULL, records
 * more of each. FAILED leaves the reason.
 */
enum samples_result host_samples(struct host_env *e, enum host_variant v,
				 enum host_scenario s,
				 const struct host_region *r, unsigned reps,
				 long cpus_online,
				 const volatile sig_atomic_t *stop,
				 const struct sample_observer *obs,
				 struct metric_table *rows, char *reason,
				 size_t len);

#endif
