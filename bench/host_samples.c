/* The samples of one configuration (host_samples.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_note.h"
#include "host_samples.h"

/* The labels of the sample's rows, for the observer's own. */
static void label_of(enum host_variant v, enum host_scenario s,
		     const struct host_region *r, unsigned rep,
		     struct metric_row *l)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->variant, sizeof(l->variant), "%s", host_variant_names[v]);
	snprintf(l->scenario, sizeof(l->scenario), "%s", host_scenario_names[s]);
	l->size = r->size;
	l->rep = rep;
	l->warmup = rep == 0;
	if (l->warmup)
		snprintf(l->note, sizeof(l->note), "%s", WARMUP_NOTE);
}

/* One sample, observed if asked; -1 when it failed. */
static int sample(struct host_env *e, enum host_variant v, enum host_scenario s,
		  const struct host_region *r, struct host_sample *smp,
		  const struct sample_observer *obs, struct metric_table *rows,
		  char *reason, size_t len)
{
	struct metric_row label;
	if (obs)
		obs->before(obs->ctx);
	if (host_measure(e, v, s, r, smp, rows, reason, len) < 0)
		return -1;
	if (!obs)
		return 0;
	label_of(v, s, r, smp->rep, &label);
	if (obs->after(obs->ctx, &label, smp->batch ? smp->batch : 1, rows) == 0)
		return 0;
	snprintf(reason, len, "out of memory");
	return -1;
}

enum samples_result host_samples(struct host_env *e, enum host_variant v,
				 enum host_scenario s,
				 const struct host_region *r, unsigned reps,
				 long cpus_online,
				 const volatile sig_atomic_t *stop,
				 const struct sample_observer *obs,
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
		if (sample(e, v, s, r, &smp, obs, rows, reason, len) < 0)
			/* Ctrl-C reaches the children too: not their fault. */
			return stop && *stop ? SAMPLES_INTERRUPTED
					     : SAMPLES_FAILED;
	}
	return SAMPLES_OK;
}
