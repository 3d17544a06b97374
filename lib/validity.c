/* The validity verdict of a run's cycle figures (validity.h). */
#include <stdio.h>
#include <string.h>

#include "validity.h"
#include "fb_tsc.h"

#define HOST_RUNS 7
/* About 10 ms on a native core: long enough for the clock to ramp up. */
#define HOST_SPIN_ITERATIONS 20000000u
#define OVERHEAD_RUNS 31

/*
 * The range of each operation in a guest that runs it as hardware does,
 * in core cycles (TSC cycles scaled by the host's loop, which retires one
 * iteration per core cycle). The bounds are ours, wide on purpose, set
 * between what the operations cost natively and what one trap to the
 * hypervisor costs:
 *  - with nested paging (Intel EPT, AMD NPT) a guest's CR3 loads, INVLPG
 *    and page faults need not exit (Intel SDM Vol. 3C, "VM-Execution
 *    Controls": CR3-load exiting, INVLPG exiting, the exception bitmap;
 *    AMD APM Vol. 2, "Nested Paging"), so they cost what they cost
 *    natively: tens to a few hundred cycles for a CR3 reload or an
 *    INVLPG, a few hundred for an exception round trip;
 *  - without it, under shadow paging, every one of them traps to the
 *    VMM (Adams & Agesen, "A Comparison of Software and Hardware
 *    Techniques for x86 Virtualization", ASPLOS 2006, section 6), and a
 *    round trip to the VMM alone costs on the order of a thousand cycles
 *    on recent CPUs before any emulation (Agesen, Mattson, Rugina,
 *    Sheldon, "Software Techniques for Avoiding Hardware Virtualization
 *    Exits", USENIX ATC 2012);
 *  - a 4 KiB rep movsq copy moves 8 to 64 bytes per cycle from cache:
 *    64 to 512 cycles, more when the lines come from memory.
 * The lower bounds catch a timer that did not time the operation.
 */
const struct op_range validity_op_range[FB_OP_COUNT] = {
	[FB_OP_CR3_RELOAD] = { 10, 1500 },
	[FB_OP_INVLPG] = { 2, 1000 },
	[FB_OP_PF_ROUND_TRIP] = { 50, 2500 },
	[FB_OP_COPY_4K] = { 32, 2000 },
};

const char *op_state_name(enum op_state s)
{
	switch (s) {
	case OP_OK: return "ok";
	case OP_TOO_SLOW: return "too_slow";
	case OP_TOO_FAST: return "too_fast";
	case OP_NOT_JUDGED: break;
	}
	return "not_judged";
}

static uint64_t host_timer_overhead(void)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < OVERHEAD_RUNS; i++) {
		uint64_t t0 = fb_tsc_start();
		uint64_t d = fb_tsc_start() - t0;
		best = d < best ? d : best;
	}
	return best;
}

uint64_t validity_host_cycles(void)
{
	uint64_t overhead = host_timer_overhead(), best = UINT64_MAX;
	fb_calib_loop(HOST_SPIN_ITERATIONS);
	for (int i = 0; i < HOST_RUNS; i++) {
		uint64_t t0 = fb_tsc_start();
		fb_calib_loop(FB_CALIB_ITERATIONS);
		uint64_t c = fb_tsc_cycles(t0, fb_tsc_start(), overhead);
		best = c < best ? c : best;
	}
	return best;
}

static void set_why(struct validity *v, const char *verdict, const char *why)
{
	v->verdict = verdict;
	snprintf(v->why, sizeof(v->why), "%s", why);
}

/*
 * Each operation in core cycles, judged against its range: TSC cycles
 * scaled by the host's loop, or taken as they are when that loop does not
 * look native.
 */
static int judge_ops(const struct guest_calib *g, struct validity *v)
{
	int failed = 0;
	double scale = v->host_ok ? FB_CALIB_ITERATIONS / (double)v->host_cycles
				  : 1.0;
	for (int i = 0; i < FB_OP_COUNT; i++) {
		double core = (double)g->op_cycles[i] * scale;
		const struct op_range *r = &validity_op_range[i];
		v->op_core[i] = core;
		v->op_state[i] = core > r->hi   ? OP_TOO_SLOW
				 : core < r->lo ? OP_TOO_FAST
						: OP_OK;
		failed += v->op_state[i] != OP_OK;
	}
	return failed;
}

/* "cr3_reload 12000 core cycles (hardware: 10-1500); ..." into why. */
static void name_failures(struct validity *v, const char *lead)
{
	size_t n = (size_t)snprintf(v->why, sizeof(v->why), "%s", lead);
	if (v->host_ok == 0 && n < sizeof(v->why))
		n += (size_t)snprintf(v->why + n, sizeof(v->why) - n,
				      "; host_loop %.2f TSC cycles per iteration "
				      "(native: %.2f-%.2f)",
				      (double)v->host_cycles / FB_CALIB_ITERATIONS,
				      VALIDITY_HOST_TSC_PER_ITER_LO,
				      VALIDITY_HOST_TSC_PER_ITER_HI);
	if (v->ratio_ok == 0 && n < sizeof(v->why))
		n += (size_t)snprintf(v->why + n, sizeof(v->why) - n,
				      "; alu_loop guest/host ratio %.2f "
				      "(hardware: %.2f-%.2f)", v->ratio,
				      VALIDITY_RATIO_LO, VALIDITY_RATIO_HI);
	for (int i = 0; i < FB_OP_COUNT && n < sizeof(v->why); i++)
		if (v->op_state[i] == OP_TOO_SLOW || v->op_state[i] == OP_TOO_FAST)
			n += (size_t)snprintf(
				v->why + n, sizeof(v->why) - n,
				"; %s %.0f core cycles (hardware: %.0f-%.0f)",
				fb_op_names[i], v->op_core[i],
				validity_op_range[i].lo, validity_op_range[i].hi);
}

static void judge_hardware(const struct guest_calib *g, struct validity *v)
{
	double per_iter = (double)v->host_cycles / FB_CALIB_ITERATIONS;
	v->host_ok = per_iter >= VALIDITY_HOST_TSC_PER_ITER_LO &&
		     per_iter <= VALIDITY_HOST_TSC_PER_ITER_HI;
	v->ratio_ok = v->ratio >= VALIDITY_RATIO_LO &&
		      v->ratio <= VALIDITY_RATIO_HI;
	int failed_ops = g->have_ops ? judge_ops(g, v) : 0;
	if (v->ratio > VALIDITY_EMULATED_RATIO) {
		v->verdict = "emulated";
		name_failures(v, "the guest's ring 0 runs far slower than the "
				 "host (software virtualization): cycle figures "
				 "are not representative");
	} else if (!v->ratio_ok || !v->host_ok || failed_ops) {
		v->verdict = "suspect";
		name_failures(v, "outside the range of a hardware-virtualized "
				 "guest, fork's cycles are not representative");
	} else if (!g->have_ops) {
		set_why(v, "suspect", "the guest sent no privileged-operation "
				      "calibration");
	} else {
		set_why(v, "valid", "the guest runs the loop at native speed and "
				    "CR3 reloads, INVLPG, page faults and 4 KiB "
				    "copies as hardware does");
	}
}

void validity_judge(enum backend b, const struct guest_calib *g,
		    uint64_t host_cycles, struct validity *v)
{
	memset(v, 0, sizeof(*v));
	v->guest_cycles = g->alu_cycles;
	v->host_cycles = host_cycles;
	v->ratio_ok = -1;
	v->host_ok = -1;
	for (int i = 0; i < FB_OP_COUNT; i++)
		v->op_core[i] = -1;
	v->ratio = g->alu_cycles && host_cycles
			   ? (double)g->alu_cycles / (double)host_cycles : -1.0;
	if (b == BACKEND_QEMU_TCG_DET)
		set_why(v, "deterministic",
			"QEMU TCG with -icount: time is driven by instructions "
			"executed; repeatable, good for regression checks, not "
			"for absolute cycles");
	else if (b == BACKEND_QEMU_TCG)
		set_why(v, "emulated",
			"QEMU TCG emulates the CPU in software: cycle figures "
			"are not representative of hardware");
	else if (v->ratio < 0)
		set_why(v, "unknown", "the guest sent no calibration record");
	else
		judge_hardware(g, v);
}
