/*
 * forkbench host: one sample of a (variant, scenario) on the parent
 * region, on this host's Linux, producing the guest's metrics.
 */
#ifndef FB_HOST_MEASURE_H
#define FB_HOST_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "host_child.h"
#include "host_opts.h"
#include "host_region.h"
#include "resultset.h"

/* One sample's label and what its note says besides its own findings. */
struct host_sample {
	unsigned rep;   /* 0: the warm-up (note "warmup") */
	/*
	 * exit_wait, exec_wait: loops per sample (host_batch.h). 0 sizes it
	 * in this sample (the warm-up does) and leaves the size here for the
	 * samples after it.
	 */
	unsigned batch;
	int loaded;     /* the configuration's load average was too high */
	double load;    /* that 1-minute load average */
};

/*
 * One sample of scenario s with variant v on region r: its metric rows
 * (labelled smp->rep) appended to out. -1 with the reason in err (the
 * call failed, the child failed, out of memory).
 */
int host_measure(struct host_env *e, enum host_variant v,
		 enum host_scenario s, const struct host_region *r,
		 struct host_sample *smp, struct metric_table *out, char *err,
		 size_t errlen);

#endif
