/* The validity verdict of a run's cycle figures. */
#include "validity.h"
#include "fb_calib.h"
#include "fb_tsc.h"

#define HOST_RUNS 7

uint64_t validity_host_cycles(void)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < HOST_RUNS; i++) {
		uint64_t t0 = fb_tsc_start();
		fb_calib_loop(FB_CALIB_ITERATIONS);
		uint64_t c = fb_tsc_start() - t0;
		best = c < best ? c : best;
	}
	return best;
}

void validity_judge(enum backend b, uint64_t guest_cycles,
		    uint64_t host_cycles, struct validity *v)
{
	v->guest_cycles = guest_cycles;
	v->host_cycles = host_cycles;
	v->ratio = guest_cycles && host_cycles
			   ? (double)guest_cycles / (double)host_cycles : -1.0;
	if (b == BACKEND_QEMU_TCG_DET) {
		v->verdict = "deterministic";
		v->why = "QEMU TCG with -icount: time is driven by instructions "
			 "executed; repeatable, good for regression checks, not "
			 "for absolute cycles";
	} else if (b == BACKEND_QEMU_TCG) {
		v->verdict = "emulated";
		v->why = "QEMU TCG emulates the CPU in software: cycle figures "
			 "are not representative of hardware";
	} else if (v->ratio < 0) {
		v->verdict = "unknown";
		v->why = "the guest sent no calibration record";
	} else if (v->ratio <= VALIDITY_MAX_RATIO) {
		v->verdict = "valid";
		v->why = "the guest runs the calibration loop at native speed: "
			 "hardware-virtualized";
	} else {
		v->verdict = "emulated";
		v->why = "the guest's ring 0 runs the calibration loop far "
			 "slower than the host (software virtualization): cycle "
			 "figures are not representative";
	}
}
