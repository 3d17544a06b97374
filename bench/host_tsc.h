/*
 * TSC timing on the host with the guest's primitives (include/fb_tsc.h),
 * so the two sets of cycles compare.
 */
#ifndef FB_HOST_TSC_H
#define FB_HOST_TSC_H

#include <stddef.h>
#include <stdint.h>

#include "fb_tsc.h"

extern int host_tsc_rdtscp;         /* set by host_tsc_init */
extern uint64_t host_tsc_overhead;  /* cycles, set by host_tsc_init */

static inline uint64_t host_tsc_start(void)
{
	return fb_tsc_start();
}

static inline uint64_t host_tsc_end(void)
{
	return fb_tsc_end(host_tsc_rdtscp);
}

static inline uint64_t host_tsc_cycles(uint64_t start, uint64_t end)
{
	return fb_tsc_cycles(start, end, host_tsc_overhead);
}

/* CPUID 0x80000001 EDX bit 27. */
int host_cpu_has_rdtscp(void);
/* CPUID 0x80000007 EDX bit 8: the TSC ticks at a constant rate. */
int host_cpu_has_invariant_tsc(void);

/* Median cost of an empty start/end region over runs tries, with
 * host_tsc_rdtscp as it is. */
uint64_t host_tsc_measure_overhead(unsigned runs);

/* Detect RDTSCP, then calibrate host_tsc_overhead. */
void host_tsc_init(void);

/* TSC ticks per millisecond, counted over ms milliseconds (at least
 * 50) of CLOCK_MONOTONIC_RAW; 0 when the clock cannot be read. */
unsigned long host_tsc_khz(unsigned ms);

/* Median of v[0..n) (sorts v); 0 for n == 0. */
uint64_t host_median_u64(uint64_t *v, size_t n);

#endif
