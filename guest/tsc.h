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

extern int tsc_has_rdtscp;
extern uint64_t tsc_overhead;

/* Detect RDTSCP and measure the empty-region overhead. */
void tsc_init(void);

static inline uint64_t tsc_start(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;
	if (tsc_has_rdtscp)
		__asm__ volatile("rdtscp; lfence"
				 : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	else
		__asm__ volatile("lfence; rdtsc; lfence"
				 : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Cycles of a region, overhead removed (never below 0). */
static inline uint64_t tsc_cycles(uint64_t start, uint64_t end)
{
	uint64_t d = end - start;
	return d > tsc_overhead ? d - tsc_overhead : 0;
}

#endif
