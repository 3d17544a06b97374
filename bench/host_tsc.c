/* TSC calibration on the host: RDTSCP, empty-region overhead, kHz. */
#include <cpuid.h>
#include <stdlib.h>

#include "host_tsc.h"
#include "tsc_freq.h"

int host_tsc_rdtscp;
uint64_t host_tsc_overhead;

int host_cpu_has_rdtscp(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid_max(0x80000000u, NULL) < 0x80000001u)
		return 0;
	__cpuid(0x80000001u, a, b, c, d);
	return (d >> 27) & 1;
}

int host_cpu_has_invariant_tsc(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid_max(0x80000000u, NULL) < 0x80000007u)
		return 0;
	__cpuid(0x80000007u, a, b, c, d);
	return (d >> 8) & 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t host_median_u64(uint64_t *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

#define OVERHEAD_RUNS_MAX 4096

uint64_t host_tsc_measure_overhead(unsigned runs)
{
	static uint64_t d[OVERHEAD_RUNS_MAX]; /* not on the stack: 32 KiB */
	if (runs == 0)
		return 0;
	if (runs > OVERHEAD_RUNS_MAX)
		runs = OVERHEAD_RUNS_MAX;
	for (unsigned i = 0; i < runs; i++) {
		uint64_t t0 = host_tsc_start();
		d[i] = host_tsc_end() - t0;
	}
	return host_median_u64(d, runs);
}

void host_tsc_init(void)
{
	host_tsc_rdtscp = host_cpu_has_rdtscp();
	host_tsc_measure_overhead(256); /* warm the code and the caches */
	host_tsc_overhead = host_tsc_measure_overhead(1001);
}

/* The one calibration, shared with fbvmm's TSC source chain. */
unsigned long host_tsc_khz(unsigned ms)
{
	return (unsigned long)tsc_calibrate_khz(ms);
}
