/*
 * Do the guest's cycle figures mean anything on this run? The guest times
 * fb_calib_loop in its ring 0; the host times the same loop natively; the
 * backend and the ratio give the verdict.
 */
#ifndef FB_VALIDITY_H
#define FB_VALIDITY_H

#include <stdint.h>

#include "backend.h"

/* Above this guest/host ratio the guest is not running natively. */
#define VALIDITY_MAX_RATIO 3.0

struct validity {
	const char *verdict; /* valid, emulated, deterministic, unknown */
	const char *why;     /* one sentence for people */
	double ratio;        /* guest/host cycles; < 0 when not measured */
	uint64_t guest_cycles, host_cycles;
};

/* Cycles of FB_CALIB_ITERATIONS on this host: best of a few runs. */
uint64_t validity_host_cycles(void);
/* guest_cycles 0: the guest sent no calibration. */
void validity_judge(enum backend b, uint64_t guest_cycles,
		    uint64_t host_cycles, struct validity *v);

#endif
