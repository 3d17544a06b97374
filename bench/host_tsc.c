/* TSC calibration on the host: RDTSCP, empty-region overhead, kHz. */
#include <cpuid.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "host_tsc.h"

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

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 +
	       (b->tv_nsec - a->tv_nsec);
}

/*
 * Each clock read is paired with a TSC read right after it; sleeping in
 * between costs nothing and the few microseconds of pairing error are
 * 1e-4 of 50 ms.
 */
unsigned long host_tsc_khz(unsigned ms)
{
	struct timespec a, b, nap = { ms / 1000, (long)(ms % 1000) * 1000000 };
	if (clock_gettime(CLOCK_MONOTONIC, &a) < 0)
		return 0;
	uint64_t t0 = host_tsc_start();
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		; /* interrupted: sleep the rest */
	if (clock_gettime(CLOCK_MONOTONIC, &b) < 0)
		return 0;
	uint64_t t1 = host_tsc_start();
	int64_t ns = ns_between(&a, &b);
	if (ns <= 0)
		return 0;
	return (unsigned long)((double)(t1 - t0) * 1e6 / (double)ns + 0.5);
}
