/*
 * Which hardware event measures each PMU metric on this host's CPU. The
 * architectural Intel events hold everywhere; dTLB walks are model
 * specific; AMD Zen splits its events differently (ANCHORS.md,
 * "Measurement practice"). A metric without a known event carries the
 * reason, so it is reported missing, never as 0.
 */
#ifndef FB_PMU_EVENTS_H
#define FB_PMU_EVENTS_H

#include <stddef.h>

#include "fb_vocab.h"

/* The metrics in the "pmu=" order: include/fb_vocab.h. */
enum pmu_metric {
#define FB_X_(id, name) PMU_##id = FB_PMU_##id,
	FB_PMU_METRICS(FB_X_)
#undef FB_X_
	PMU_METRICS = FB_PMU_COUNT
};

struct pmu_event {
	int known;
	unsigned event, umask;
	char why[64]; /* when !known */
};

extern const char *const pmu_metric_names[PMU_METRICS];

/* vendor as CPUID spells it ("GenuineIntel", "AuthenticAMD"). */
void pmu_events_for(const char *vendor, int family, int model,
		    struct pmu_event out[PMU_METRICS]);

/*
 * The guest's kernel parameter: "pmu=c0.00,3c.00,..." in metric order,
 * "-" where no event is known. -1 if it does not fit.
 */
int pmu_events_param(const struct pmu_event ev[PMU_METRICS], char *buf,
		     size_t len);

/* The events for this host's CPU (hostinfo's identity; unknown: none). */
void host_pmu_events(struct pmu_event ev[PMU_METRICS]);

#endif
