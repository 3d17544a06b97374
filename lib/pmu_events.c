/* Event codes per CPU family and model. */
#include <stdio.h>
#include <string.h>

#include "hostinfo.h"
#include "pmu_events.h"

const char *const pmu_metric_names[PMU_METRICS] = {
#define FB_X_(id, name) name,
	FB_PMU_METRICS(FB_X_)
#undef FB_X_
};

static void set(struct pmu_event *e, unsigned event, unsigned umask)
{
	*e = (struct pmu_event){ .known = 1, .event = event, .umask = umask };
}

static void unknown(struct pmu_event *e, const char *why)
{
	*e = (struct pmu_event){ .known = 0 };
	snprintf(e->why, sizeof(e->why), "%s", why);
}

static int in(int model, const int *models, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (models[i] == model)
			return 1;
	return 0;
}

/* DTLB_LOAD_MISSES.WALK_COMPLETED and its store twin, by core. */
static void intel_dtlb(int family, int model, struct pmu_event *ev)
{
	static const int skylake_icelake[] = {
		0x4e, 0x5e, 0x55, 0x8e, 0x9e, 0xa5, 0xa6, /* Skylake..Comet Lake */
		0x6a, 0x6c, 0x7d, 0x7e, 0x8c, 0x8d,       /* Ice Lake, Tiger Lake */
	};
	static const int golden_cove[] = { 0x8f, 0x97, 0x9a, 0xb7, 0xba };
	if (family == 6 && in(model, skylake_icelake, sizeof(skylake_icelake) /
							     sizeof(int))) {
		set(&ev[PMU_DTLB_LOAD_WALKS], 0x08, 0x0e);
		set(&ev[PMU_DTLB_STORE_WALKS], 0x49, 0x0e);
	} else if (family == 6 && in(model, golden_cove, sizeof(golden_cove) /
								 sizeof(int))) {
		set(&ev[PMU_DTLB_LOAD_WALKS], 0x12, 0x0e);
		set(&ev[PMU_DTLB_STORE_WALKS], 0x13, 0x0e);
	} else {
		unknown(&ev[PMU_DTLB_LOAD_WALKS], "no_dtlb_event_known_for_this_model");
		unknown(&ev[PMU_DTLB_STORE_WALKS], "no_dtlb_event_known_for_this_model");
	}
}

/* Zen: core events; L3 events live in a separate PMU. */
static void amd_zen(struct pmu_event *ev)
{
	set(&ev[PMU_INSTRUCTIONS], 0xc0, 0x00);
	set(&ev[PMU_CYCLES], 0x76, 0x00);
	unknown(&ev[PMU_LLC_REFERENCES], "amd_l3_events_need_the_l3_pmu");
	unknown(&ev[PMU_LLC_MISSES], "amd_l3_events_need_the_l3_pmu");
	/* L1 DTLB misses that also miss the L2 TLB: page walks */
	set(&ev[PMU_DTLB_LOAD_WALKS], 0x45, 0xf0);
	unknown(&ev[PMU_DTLB_STORE_WALKS], "amd_counts_loads_and_stores_together");
}

void pmu_events_for(const char *vendor, int family, int model,
		    struct pmu_event out[PMU_METRICS])
{
	if (strcmp(vendor, "GenuineIntel") == 0) {
		/* architectural events (Intel SDM, Table 20-1) */
		set(&out[PMU_INSTRUCTIONS], 0xc0, 0x00);
		set(&out[PMU_CYCLES], 0x3c, 0x00);
		set(&out[PMU_LLC_REFERENCES], 0x2e, 0x4f);
		set(&out[PMU_LLC_MISSES], 0x2e, 0x41);
		intel_dtlb(family, model, out);
	} else if (strcmp(vendor, "AuthenticAMD") == 0 && family >= 0x17 &&
		   family <= 0x1a) {
		amd_zen(out);
	} else {
		for (int i = 0; i < PMU_METRICS; i++)
			unknown(&out[i], "no_events_known_for_this_cpu");
	}
}

int pmu_events_param(const struct pmu_event ev[PMU_METRICS], char *buf,
		     size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "pmu=");
	for (int i = 0; i < PMU_METRICS && n < len; i++) {
		const char *sep = i ? "," : "";
		if (ev[i].known)
			n += (size_t)snprintf(buf + n, len - n, "%s%02x.%02x", sep,
					      ev[i].event, ev[i].umask);
		else
			n += (size_t)snprintf(buf + n, len - n, "%s-", sep);
	}
	return n < len ? 0 : -1;
}

void host_pmu_events(struct pmu_event ev[PMU_METRICS])
{
	struct hostinfo h;
	char err[256];
	if (hostinfo_cpu_identity(&h, err, sizeof(err)) < 0)
		h.cpu_vendor[0] = '\0'; /* unknown CPU: every event unknown */
	pmu_events_for(h.cpu_vendor, h.family, h.model, ev);
}
