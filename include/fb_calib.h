/*
 * The calibration loop for the validity verdict: the guest times it in
 * its ring 0, the host times the very same instructions natively, and the
 * ratio says whether guest cycle figures mean anything. A dependent
 * dec/jnz chain: about one cycle per iteration on any out-of-order x86.
 */
#ifndef FB_CALIB_H
#define FB_CALIB_H

#include <stdint.h>

#define FB_CALIB_ITERATIONS 100000u

static inline void fb_calib_loop(uint64_t n)
{
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
}

#endif
