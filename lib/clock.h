/* The host tools' clocks: elapsed time, and the wall clock as text. */
#ifndef FB_CLOCK_H
#define FB_CLOCK_H

#include <stddef.h>

/* Seconds on CLOCK_MONOTONIC: for durations, never for dates. */
double now_seconds(void);

/* The two spellings of "now" in results: meta.json's and run ids'. */
#define UTC_ISO8601 "%Y-%m-%dT%H:%M:%SZ" /* 2026-11-21T12:15:00Z */
#define UTC_STAMP "%Y%m%d-%H%M%S"        /* 20261121-121500 */

/* The current UTC time in strftime format fmt (UTC_*) into buf. */
void utc_now(char *buf, size_t len, const char *fmt);

#endif
