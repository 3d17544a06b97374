/*
 * Cycle timing of a region: tsc_start(); ...; tsc_end(). The fences keep
 * the region's instructions between the two reads; RDTSCP is used for the
 * end only when CPUID says the CPU has it (some KVMs fail on it,
 * PLATFORM.md). tsc_overhead is the median cost of an empty region, to
 * be subtracted.
 */
#ifndef GUEST_TSC_H
#define GUEST_TSC_H

#include <stdint.h>

#include "fb_tsc.h"

extern int tsc_has_rdtscp;
extern uint64_t tsc_overhead;

/* Detect RDTSCP and measure the empty-region overhead. */
void tsc_init(void);

static inline uint64_t tsc_start(void)
{
	return fb_tsc_start();
}

static inline uint64_t tsc_end(void)
{
	return fb_tsc_end(tsc_has_rdtscp);
}

static inline uint64_t tsc_cycles(uint64_t start, uint64_t end)
{
	return fb_tsc_cycles(start, end, tsc_overhead);
}

#endif
