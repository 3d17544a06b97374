/* Helpers every backend shares. */
#include <stdio.h>

#include "vmrun.h"

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
