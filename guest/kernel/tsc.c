/* RDTSCP detection and the calibration of an empty timed region. */
#include "kernel/tsc.h"
#include "kernel/x86.h"

#define CALIBRATION_RUNS 31

int tsc_has_rdtscp;
uint64_t tsc_overhead;

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

void tsc_init(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		tsc_has_rdtscp = (r[3] >> 27) & 1;
	}
	uint64_t d[CALIBRATION_RUNS];
	for (unsigned i = 0; i < CALIBRATION_RUNS; i++) {
		uint64_t t0 = tsc_start();
		d[i] = tsc_end() - t0;
	}
	sort(d, CALIBRATION_RUNS);
	tsc_overhead = d[CALIBRATION_RUNS / 2];
}
