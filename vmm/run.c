/* Helpers every backend shares. */
#include <stdio.h>
#include <time.h>

#include "run.h"

int guest_cmdline(char *buf, size_t len, uint64_t tsc_khz, const char *user)
{
	int n = snprintf(buf, len, "tsc_khz=%llu %s",
			 (unsigned long long)tsc_khz, user);
	return n < 0 || (size_t)n >= len || (size_t)n >= FB_CMDLINE_MAX ? -1
									 : 0;
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
