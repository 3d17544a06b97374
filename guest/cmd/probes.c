/*
 * The TLB and cache probes (probes.h). Under QEMU TCG they run too, but
 * fbvmm writes their timings as NA: the emulator has no TLB or cache
 * costs to time (fb_vocab.h).
 */
#include "cmd/probes.h"
#include "cmd/bench_opts.h"
#include "fb_cpusizes.h"
#include "fb_passes.h"
#include "fb_sim.h"
#include "cmd/create.h"
#include "cmd/metric.h"
#include "kernel/console.h"
#include "kernel/record.h"
#include "kernel/tsc.h"
#include "kernel/uapi.h"

static uint64_t timed(void (*pass)(const uint64_t *, uint64_t),
		      const uint64_t *base, uint64_t pages)
{
	uint64_t t0 = tsc_start();
	pass(base, pages);
	return tsc_cycles(t0, tsc_end());
}

/* BEGIN markers so far: the fbsim plugin numbers its regions alike. */
static uint64_t sim_regions;

/*
 * A timed pass that is also fbsim region FB_SIM_TAG(probe, pass_no)
 * (a marker's tag is an immediate: hence a macro). The region number is
 * taken before BEGIN and the markers sit outside the timer, so neither
 * the count's store nor a marker is in the other's measurement.
 */
#define timed_region(probe, pass_no, region, pass, base, pages)             \
	__extension__({                                                     \
		*(region) = ++sim_regions;                                  \
		fb_sim_begin(FB_SIM_TAG(probe, pass_no));                   \
		uint64_t cycles_ = timed(pass, base, pages);                \
		fb_sim_end(FB_SIM_TAG(probe, pass_no));                     \
		cycles_;                                                    \
	})

/* With sim=on: which regions were this repetition's before and after. */
static void report_regions(unsigned rep, unsigned probe,
			   const uint64_t region[2])
{
	if (!bench.sim)
		return;
	for (unsigned pass = 0; pass < 2; pass++)
		rec_sim(fb_variant_names[bench.variant],
			fb_scenario_names[bench.scenario], bench.size, rep, pass,
			region[pass], FB_SIM_TAG(probe, pass));
}

/* The creation call, its child run to the end and reaped. */
static int create_and_reap(void)
{
	long pid = start_child();
	if (created(pid))
		return created(pid);
	return reap(pid);
}

static void report_pair(unsigned rep, enum fb_metric first, uint64_t before,
			uint64_t after, uint64_t n)
{
	metric(rep, first + FB_BA_CYCLES_BEFORE, before);
	metric(rep, first + FB_BA_CYCLES_AFTER, after);
	metric(rep, first + FB_BA_ACCESSES, n);
	metric_ratio(rep, first + FB_BA_PER_ACCESS_BEFORE, before, n);
	metric_ratio(rep, first + FB_BA_PER_ACCESS_AFTER, after, n);
}

/*
 * Beyond the STLB's reach the warm pass would miss already; within it,
 * every miss after the call is a translation the call (or the child's
 * run) took away. The after-pass also refills the one line per page it
 * reads when the call evicted it: a naive fork of a big parent does.
 */
int run_tlb(unsigned rep, uint64_t *parent, uint64_t pages)
{
	if (bench.pcid) { /* parse_args let it through: the CPU lacks PCID */
		metric_na(rep, FB_M_TLB_CYCLES_PER_ACCESS_AFTER,
			  "no_pcid:cpuid_1_ecx_bit17_clear");
		return 0;
	}
	uint64_t stlb = bench.stlb ? bench.stlb : fb_cpu_stlb_entries();
	if (stlb == 0) {
		metric_na(rep, FB_M_TLB_CYCLES_PER_ACCESS_AFTER,
			  "stlb_size_unknown:cpuid_0x18_and_0x80000006_silent");
		return 0;
	}
	if (pages == 0) {
		metric_na(rep, FB_M_TLB_CYCLES_PER_ACCESS_AFTER,
			  "parent_has_no_pages");
		return 0;
	}
	uint64_t n = pages < stlb ? pages : stlb, region[2];
	fb_read_pages(parent, n); /* warm */
	uint64_t before = timed_region(FB_SIM_PROBE_TLB, 0, &region[0],
				       fb_read_pages, parent, n);
	int r = create_and_reap();
	if (r)
		return r;
	uint64_t after = timed_region(FB_SIM_PROBE_TLB, 1, &region[1],
				      fb_read_pages, parent, n);
	report_pair(rep, FB_M_TLB_CYCLES_BEFORE, before, after, n);
	metric(rep, FB_M_TLB_STLB_ENTRIES, stlb);
	report_regions(rep, FB_SIM_PROBE_TLB, region);
	report_creation(rep);
	return 0;
}

static uint64_t *hot_set;
static uint64_t hot_pages, hot_kb;

/* Half the L2 (so it stays resident while warm), unless hot_kb says. */
static int make_hot_set(void)
{
	hot_kb = bench.hot_kb ? bench.hot_kb : fb_cpu_l2_kb() / 2;
	if (hot_kb == 0)
		return 0;
	hot_pages = (hot_kb * 1024 + 4095) / 4096;
	long base = sys_sbrk(hot_pages, 1);
	if (base < 0)
		return FB_STATUS_NOMEM;
	hot_set = (uint64_t *)base;
	return 0;
}

/*
 * The TLB refill is timed apart: a pass touching each page's first line
 * runs before each line pass, and the line passes skip those lines.
 */
int run_cache(unsigned rep)
{
	if (!hot_set && make_hot_set())
		return FB_STATUS_NOMEM;
	if (!hot_set) {
		metric_na(rep, FB_M_CACHE_CYCLES_PER_ACCESS_AFTER,
			  "l2_size_unknown:cpuid_4_and_0x80000006_silent");
		return 0;
	}
	uint64_t n = hot_pages * (FB_LINES_PER_PAGE - 1), region[2];
	fb_read_pages(hot_set, hot_pages);
	fb_read_lines(hot_set, hot_pages); /* warm */
	uint64_t before = timed_region(FB_SIM_PROBE_CACHE, 0, &region[0],
				       fb_read_lines, hot_set, hot_pages);
	int r = create_and_reap();
	if (r)
		return r;
	uint64_t refill = timed(fb_read_pages, hot_set, hot_pages);
	uint64_t after = timed_region(FB_SIM_PROBE_CACHE, 1, &region[1],
				      fb_read_lines, hot_set, hot_pages);
	report_pair(rep, FB_M_CACHE_CYCLES_BEFORE, before, after, n);
	metric(rep, FB_M_CACHE_TLB_REFILL_CYCLES, refill);
	metric(rep, FB_M_CACHE_HOT_KB, hot_kb);
	report_regions(rep, FB_SIM_PROBE_CACHE, region);
	report_creation(rep);
	return 0;
}
