/*
 * Metric records: one measured value of one repetition of the bench
 * command's configuration (bench_opts.h), as the host's results expect.
 */
#ifndef GUEST_METRIC_H
#define GUEST_METRIC_H

#include <stdint.h>

#include "fb_vocab.h"

/* One metric of one repetition; its name and unit from fb_vocab.h. */
void metric(unsigned rep, enum fb_metric m, uint64_t value);
/* A metric that could not be measured: value NA with the reason. */
void metric_na(unsigned rep, enum fb_metric m, const char *why);

#endif
