/*
 * The measured scenarios of the bench command: each repetition's
 * creation call, its timings, counters and PMU metrics, as metric
 * records.
 */
#ifndef GUEST_SCENARIOS_H
#define GUEST_SCENARIOS_H

#include <stdint.h>

/*
 * Run one repetition of the configured scenario (bench_opts.h) from a
 * parent of `pages` touched pages at `parent`; 0, or an FB_STATUS_*.
 */
int scenario_run(unsigned rep, uint64_t *parent, uint64_t pages);

#endif
