/* Monotonic seconds and UTC timestamps. */
#include <time.h>

#include "clock.h"

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* UTC, so result sets from machines in different zones sort together. */
void utc_now(char *buf, size_t len, const char *fmt)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (len && strftime(buf, len, fmt, &tm) == 0)
		buf[0] = '\0';
}
