/* Helpers every backend shares. */
#include <stdio.h>
#include <time.h>

#include "hostinfo.h"
#include "run.h"

/* The host's PMU event codes for the guest (pmu_events.h). */
void host_pmu_events(struct pmu_event ev[PMU_METRICS])
{
	struct hostinfo h;
	char err[256];
	if (hostinfo_cpu_identity(&h, err, sizeof(err)) < 0)
		h.cpu_vendor[0] = '\0'; /* unknown CPU: every event unknown */
	pmu_events_for(h.cpu_vendor, h.family, h.model, ev);
}

int guest_cmdline(char *buf, size_t len, uint64_t tsc_khz, const char *user)
{
	struct pmu_event ev[PMU_METRICS];
	char pmu[128];
	host_pmu_events(ev);
	if (pmu_events_param(ev, pmu, sizeof(pmu)) < 0)
		return -1;
	int n = snprintf(buf, len, "tsc_khz=%llu %s %s",
			 (unsigned long long)tsc_khz, pmu, user);
	return n < 0 || (size_t)n >= len || (size_t)n >= FB_CMDLINE_MAX ? -1
									 : 0;
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
