/* The privileged-operation calibration (opcost.h). */
#include "kernel/opcost.h"
#include "kernel/fault.h"
#include "kernel/lib.h"
#include "kernel/tsc.h"
#include "kernel/vm.h"

#define RUNS 31

/* Never mapped: PML4 slot 255 stays empty in every address space (vm.h). */
#define PF_PROBE_VA USER_END

static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));

/*
 * Each op times itself, tightly around its instructions, as fork's own
 * timed regions do (fork.c timed_copy). Raw instructions, not write_cr3 or
 * tlb_flush_page: the calibration must not count as fork's TLB work in
 * vmstat.
 */
static uint64_t cr3_reload(void)
{
	uint64_t cr3, t0 = tsc_start();
	__asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
	return tsc_cycles(t0, tsc_end());
}

static uint64_t invlpg_one(void)
{
	uint64_t t0 = tsc_start();
	__asm__ volatile("invlpg (%0)" : : "r"(page_a) : "memory");
	return tsc_cycles(t0, tsc_end());
}

static uint64_t pf_round_trip(void)
{
	uint64_t t0 = tsc_start();
	pf_probe_touch(PF_PROBE_VA);
	return tsc_cycles(t0, tsc_end());
}

/* The copy fork's naive variant makes per page, timed as fork times it. */
static uint64_t copy_4k(void)
{
	void *d = page_a;
	const void *s = page_b;
	uint64_t n = sizeof(page_a) / 8, t0 = tsc_start();
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return tsc_cycles(t0, tsc_end());
}

static uint64_t median_cost(uint64_t (*op)(void))
{
	uint64_t d[RUNS];
	op(); /* warm: code, data and translations in place */
	for (unsigned i = 0; i < RUNS; i++)
		d[i] = op();
	return median_u64(d, RUNS);
}

void op_costs_measure(struct op_costs *c)
{
	static uint64_t (*const ops[FB_OP_COUNT])(void) = {
		[FB_OP_CR3_RELOAD] = cr3_reload,
		[FB_OP_INVLPG] = invlpg_one,
		[FB_OP_PF_ROUND_TRIP] = pf_round_trip,
		[FB_OP_COPY_4K] = copy_4k,
	};
	for (unsigned i = 0; i < FB_OP_COUNT; i++)
		c->cycles[i] = median_cost(ops[i]);
}
