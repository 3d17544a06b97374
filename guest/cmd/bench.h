/*
 * The "bench" command: one configuration (scenario, variant, parent size,
 * repetitions, bench_opts.h) measured in the guest, every repetition
 * reported raw as metric records (scenarios.h, metric.h).
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

unsigned cmd_bench(int argc, char **argv);

#endif
