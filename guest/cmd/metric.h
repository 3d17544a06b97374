/*
 * Metric records: one measured value of one repetition of the bench
 * command's configuration (bench_opts.h), as the host's results expect.
 */
#ifndef GUEST_METRIC_H
#define GUEST_METRIC_H

#include <stdint.h>

/* One metric of one repetition. */
void metric(unsigned rep, const char *name, uint64_t value, const char *unit);
/* A metric that could not be measured: value NA with the reason. */
void metric_na(unsigned rep, const char *name, const char *unit,
	       const char *why);

#endif
