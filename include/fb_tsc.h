/*
 * The timed-region primitives the guest and the host both use, so that
 * guest cycles and host Linux cycles are measured the same way: fenced
 * RDTSC at the start, RDTSCP at the end only when the CPU has it (some
 * KVMs fail on it, PLATFORM.md), and a calibrated empty-region overhead
 * subtracted.
 */
#ifndef FB_TSC_H
#define FB_TSC_H

#include <stdint.h>

/* The fences keep the timed instructions between the two reads. */
static inline uint64_t fb_tsc_start(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t fb_tsc_end(int rdtscp)
{
	uint32_t lo, hi, aux;
	if (rdtscp)
		__asm__ volatile("rdtscp; lfence"
				 : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	else
		__asm__ volatile("lfence; rdtsc; lfence"
				 : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Cycles of a region, overhead removed, never below 0. */
static inline uint64_t fb_tsc_cycles(uint64_t start, uint64_t end,
				     uint64_t overhead)
{
	if (end < start) /* another CPU's TSC a little behind: no time */
		return 0;
	uint64_t d = end - start;
	return d > overhead ? d - overhead : 0;
}

#endif
