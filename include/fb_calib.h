/*
 * The calibration loop for the validity verdict: the guest times it in
 * its ring 0, the host times the very same instructions natively, and the
 * ratio says whether guest cycle figures mean anything. A dependent
 * dec/jnz chain: about one cycle per iteration on any out-of-order x86.
 */
#ifndef FB_CALIB_H
#define FB_CALIB_H

#include <stdint.h>

#include "fb_tsc.h"

#define FB_CALIB_ITERATIONS 100000u

static inline void fb_calib_loop(uint64_t n)
{
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
}

/*
 * The loop's cycles as the guests report them: best of three, timed as
 * every region is (fb_tsc.h), the empty region's overhead taken out.
 */
static inline uint64_t fb_calib_cycles(int rdtscp, uint64_t overhead)
{
	uint64_t best = ~0ull;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = fb_tsc_start();
		fb_calib_loop(FB_CALIB_ITERATIONS);
		uint64_t c = fb_tsc_cycles(t0, fb_tsc_end(rdtscp), overhead);
		best = c < best ? c : best;
	}
	return best;
}

/*
 * The privileged operations fork is made of, calibrated beside the loop
 * (guest/kernel/opcost.c): X(ID, name). Their order is the order of the
 * "calib" record's op fields and of meta.json's validity.ops.
 */
#define FB_OPS(X)                                                             \
	X(CR3_RELOAD, "cr3_reload")                                           \
	X(INVLPG, "invlpg")                                                   \
	X(PF_ROUND_TRIP, "pf_round_trip")                                     \
	X(COPY_4K, "copy_4k")

enum fb_op {
#define FB_X_(id, name) FB_OP_##id,
	FB_OPS(FB_X_)
#undef FB_X_
	FB_OP_COUNT
};

static const char *const fb_op_names[FB_OP_COUNT] __attribute__((unused)) = {
#define FB_X_(id, name) name,
	FB_OPS(FB_X_)
#undef FB_X_
};

#endif
