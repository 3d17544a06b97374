/*
 * The Linux peer's "bench key=value..." command: one configuration of
 * forkbench host's scenarios (variant linux_*, scenario, size, reps), run
 * by the same code (bench/host_samples.h) inside the guest Linux, its
 * rows sent as metric records.
 */
#ifndef PEER_BENCH_H
#define PEER_BENCH_H

#include <stdint.h>

/* tsc_khz: the guest TSC's rate (the host's word), 0 when unknown. */
__attribute__((noreturn)) void peer_bench(int argc, char **argv,
					  uint64_t tsc_khz);

#endif
