/* Helpers every backend shares. */
#include <stdio.h>

#include "vmrun.h"

void note_first_record(struct run *r, double t_start)
{
	double at = r->stream->first_record_at;
	r->stats.first_record_s = at > 0 ? at - t_start : -1;
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
