/* RDTSCP detection and the calibration of an empty timed region. */
#include "kernel/tsc.h"
#include "kernel/lib.h"
#include "kernel/x86.h"

#define CALIBRATION_RUNS 31

int tsc_has_rdtscp;
uint64_t tsc_overhead;

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
	tsc_overhead = median_u64(d, CALIBRATION_RUNS);
}
