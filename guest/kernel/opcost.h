/*
 * What the operations fork is made of cost on this CPU: a CR3 reload, an
 * INVLPG, a page-fault round trip and a 4 KiB copy, each the median of
 * individually timed runs (TSC cycles, timer overhead subtracted). The
 * host judges from them whether the guest runs them as hardware does
 * (lib/validity.c): a dec/jnz loop at native speed says nothing about
 * them when the hypervisor traps CR3 loads, INVLPG or page faults.
 */
#ifndef GUEST_OPCOST_H
#define GUEST_OPCOST_H

#include <stdint.h>

#include "fb_calib.h"

struct op_costs {
	uint64_t cycles[FB_OP_COUNT]; /* FB_OP_* order (fb_calib.h) */
};

/* Measure them all; the caller runs in ring 0 with its own mm. */
void op_costs_measure(struct op_costs *c);

#endif
