/*
 * Metric records: one measured value of one repetition of the bench
 * command's configuration (bench_opts.h), as the host's results expect.
 */
#ifndef GUEST_METRIC_H
#define GUEST_METRIC_H

#include <stdint.h>

#include "fb_vocab.h"

/*
 * Repetition 0 is the warm-up: its rows carry the note "warmup" (NA ones
 * "warmup;REASON"), and the host keeps them out of every statistic
 * (bench/resultset.h). Measured repetitions are 1..reps.
 */
#define METRIC_WARMUP_REP 0u

/* One metric of one repetition; its name and unit from fb_vocab.h. */
void metric(unsigned rep, enum fb_metric m, uint64_t value);
/* num / den with 3 decimals, from totals (den > 0): per-access costs. */
void metric_ratio(unsigned rep, enum fb_metric m, uint64_t num, uint64_t den);
/* A metric that could not be measured: value NA with the reason. */
void metric_na(unsigned rep, enum fb_metric m, const char *why);

#endif
