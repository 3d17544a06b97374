/*
 * "bench key=value...": parse a configuration, build the parent (pid 1
 * with SIZE of touched memory), and run the repetitions.
 */
#include "cmd/bench.h"
#include "cmd/bench_opts.h"
#include "cmd/pmu.h"
#include "cmd/scenarios.h"
#include "fb_calib.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/fork.h"
#include "kernel/opcost.h"
#include "kernel/procinit.h"
#include "kernel/record.h"
#include "kernel/sched.h"
#include "kernel/simmark.h"
#include "kernel/tsc.h"
#include "kernel/uapi.h"

#define WORDS_PER_PAGE 512

static int write_protects(enum fb_variant v)
{
	return v == FB_V_COW || v == FB_V_ODF || v == FB_V_HUGE_COPY ||
	       v == FB_V_HUGE_SPLIT;
}

/*
 * A COW fork leaves the parent's pages write-protected, an on-demand fork
 * its PTE tables: write them again so every repetition forks the same
 * dirty, writable parent. The other variants never write-protect the
 * parent.
 */
static void redirty(uint64_t *parent, uint64_t pages)
{
	if (!write_protects(bench.variant) &&
	    !(FB_WRITES & (1u << bench.scenario)))
		return;
	for (uint64_t p = 0; p < pages; p++)
		parent[p * WORDS_PER_PAGE] = p;
}

/*
 * Time the shared calibration loop, which the host compares with its own,
 * and the privileged operations fork is made of, which it compares with
 * what hardware does (lib/validity.c).
 */
static void report_calibration(void)
{
	uint64_t best = fb_calib_cycles(tsc_has_rdtscp, tsc_overhead);
	struct rec r;
	rec_begin(&r, "calib");
	rec_u64(&r, "iterations", FB_CALIB_ITERATIONS);
	rec_u64(&r, "cycles", best);
	rec_u64(&r, "tsc_overhead", tsc_overhead);
	struct op_costs ops;
	op_costs_measure(&ops);
	for (unsigned i = 0; i < FB_OP_COUNT; i++)
		rec_u64(&r, fb_op_names[i], ops.cycles[i]);
	rec_u64(&r, "phase_timer_per_page", fork_timer_per_page);
	rec_u64(&r, "rdtscp", (uint64_t)tsc_has_rdtscp);
	rec_str(&r, "pmu", pmu_missing_reason());
	rec_str(&r, "pmu_events", boot.pmu_events[0] ? boot.pmu_events : "-");
	rec_end(&r);
}

static unsigned nomem(uint64_t pages)
{
	kprintf("bench: guest RAM too small for a %lu MiB parent (%lu pages)\n",
		bench.size >> 20, pages);
	return FB_STATUS_NOMEM;
}

static int bench_init(long unused)
{
	(void)unused;
	uint64_t pages = bench.size / 4096;
	long base = pages ? sys_sbrk(pages, bench.huge_parent ? SBRK_HUGE
							      : SBRK_TOUCH)
			  : 0;
	if (base < 0)
		return (int)nomem(pages);
	sched_child_first = bench.child_first;
	pmu_init();
	fork_phase_timer_calibrate();
	report_calibration();
	fork_phases_on = bench.phases || bench.scenario == FB_SC_PHASES;
	kprintf("bench: %s %s size %lu reps %u policy %s (tsc overhead %lu, "
		"rdtscp %d)\n", fb_scenario_names[bench.scenario],
		fb_variant_names[bench.variant], bench.size, bench.reps,
		bench.child_first ? "child" : "parent", tsc_overhead,
		tsc_has_rdtscp);
	/* rep 0 is the warm-up: reported as such, never in statistics */
	for (unsigned rep = 0; rep <= bench.reps; rep++) {
		redirty((uint64_t *)base, pages);
		int r = scenario_run(rep, (uint64_t *)base, pages);
		if (r)
			return r;
	}
	return FB_STATUS_PASS;
}

unsigned cmd_bench(int argc, char **argv)
{
	bench_parse(argc, argv);
	if (bench.sim)
		sim_enable();
	proc_boot(bench_init, 0);
	return FB_STATUS_FAIL; /* not reached */
}
