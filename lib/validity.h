/*
 * Do the guest's cycle figures mean anything on this run? The guest times
 * fb_calib_loop and the privileged operations fork is made of (CR3
 * reload, INVLPG, a page-fault round trip, a 4 KiB copy) in its ring 0;
 * the host times the same loop natively. valid needs the loop's
 * guest/host ratio inside a two-sided band and every operation inside the
 * range of a hardware-virtualized guest: a hypervisor that traps CR3
 * loads, INVLPG or page faults (shadow paging, nested without EPT, a
 * software KVM) runs the loop at native speed and fork 10-100x slower.
 */
#ifndef FB_VALIDITY_H
#define FB_VALIDITY_H

#include <stdint.h>

#include "backend.h"
#include "fb_calib.h"

/* The loop's guest/host ratio of a hardware-virtualized guest. */
#define VALIDITY_RATIO_LO 0.8
#define VALIDITY_RATIO_HI 1.25
/*
 * The host's own loop: a dependent dec/jnz chain retires one iteration per
 * core cycle, and a busy core (validity_host_cycles spins first so the
 * clock has ramped up) runs between its nominal frequency, which the TSC
 * counts, and a turbo of at most about 4x that. Outside this band the host
 * itself is not running natively (an emulated host, as under nested TCG,
 * where every loop runs 4-7 TSC cycles per iteration), and core cycles
 * cannot be derived from its loop.
 */
#define VALIDITY_HOST_TSC_PER_ITER_LO 0.25
#define VALIDITY_HOST_TSC_PER_ITER_HI 2.0
/* Above this the guest's ring 0 is emulated, not merely disturbed. */
#define VALIDITY_EMULATED_RATIO 3.0

/* What the guest's calib record said; cycles are its TSC cycles. */
struct guest_calib {
	uint64_t alu_cycles;               /* 0: no calibration record */
	int have_ops;
	uint64_t op_cycles[FB_OP_COUNT];
};

/* Core cycles an operation of a hardware-virtualized guest may take. */
struct op_range {
	double lo, hi;
};
extern const struct op_range validity_op_range[FB_OP_COUNT];

enum op_state { OP_NOT_JUDGED, OP_OK, OP_TOO_SLOW, OP_TOO_FAST };

struct validity {
	const char *verdict; /* valid, suspect, emulated, deterministic, unknown */
	char why[512];       /* for people: names every check that failed */
	double ratio;        /* guest/host loop cycles; < 0 when not measured */
	uint64_t guest_cycles, host_cycles;
	/* each operation in host core cycles (< 0: not converted) */
	double op_core[FB_OP_COUNT];
	enum op_state op_state[FB_OP_COUNT];
	int ratio_ok;        /* the loop inside the band (-1: not judged) */
	int host_ok;         /* the host's loop looks native (-1: not judged) */
};

/*
 * Cycles of FB_CALIB_ITERATIONS on this host: best of a few runs after a
 * spin of about 10 ms, the cost of the two timestamp reads taken out.
 */
uint64_t validity_host_cycles(void);
void validity_judge(enum backend b, const struct guest_calib *g,
		    uint64_t host_cycles, struct validity *v);
const char *op_state_name(enum op_state s);

#endif
