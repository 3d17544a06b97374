/* The samples of one configuration (host_samples.h). */
#include <stdlib.h>

#include "host_note.h"
#include "host_samples.h"

enum samples_result host_samples(struct host_env *e, enum host_variant v,
				 enum host_scenario s,
				 const struct host_region *r, unsigned reps,
				 long cpus_online,
				 const volatile sig_atomic_t *stop,
				 struct metric_table *rows, char *reason,
				 size_t len)
{
	struct host_sample smp = { 0, 0, 0, 0 };
	if (getloadavg(&smp.load, 1) == 1)
		smp.loaded = host_load_disturbs(smp.load, cpus_online);
	rows->n = 0;
	host_region_dirty(r);
	for (smp.rep = 0; smp.rep <= reps; smp.rep++) {
		if (stop && *stop)
			return SAMPLES_INTERRUPTED;
		if (smp.rep > 0 && host_region_redirty_each_sample(v))
			host_region_dirty(r);
		if (host_measure(e, v, s, r, &smp, rows, reason, len) < 0)
			/* Ctrl-C reaches the children too: not their fault. */
			return stop && *stop ? SAMPLES_INTERRUPTED
					     : SAMPLES_FAILED;
	}
	return SAMPLES_OK;
}
