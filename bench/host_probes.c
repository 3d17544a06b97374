/*
 * The TLB and cache probes on Linux (host_probes.h), pass for pass the
 * guest's (guest/cmd/probes.c), sized by the same CPUID rules
 * (fb_cpusizes.h). Under QEMU TCG the Linux peer runs them too and fbvmm
 * writes their timings as NA, as for our guest.
 */
#include "host_probes.h"
#include "fb_cpusizes.h"
#include "fb_passes.h"
#include "fb_sim.h"
#include "host_tsc.h"

static uint64_t timed(struct rep_ctx *x,
		      void (*pass)(const uint64_t *, uint64_t),
		      const uint64_t *base, uint64_t pages)
{
	long sw0 = host_nivcsw_now();
	uint64_t t0 = host_tsc_start();
	pass(base, pages);
	uint64_t cycles = host_tsc_cycles(t0, host_tsc_end());
	x->nivcsw += host_nivcsw_now() - sw0;
	return cycles;
}

/*
 * The creation call, its child run to the end (exit, or exec for
 * posix_spawn) and reaped. Not timed: the passes are, and only their
 * own preemptions disturb them.
 */
static int create_and_reap(struct host_env *e, struct rep_ctx *x)
{
	struct host_child c;
	int rc = host_child_start(e, x->v, x->v == HV_POSIX_SPAWN, &c);
	if (rc)
		return host_call_failed(x->v, rc, x->err, x->errlen);
	return host_child_reap(x->v, &c, x->err, x->errlen);
}

/* BEGIN markers so far: the fbsim plugin numbers its regions alike. */
static uint64_t sim_regions;

/*
 * A timed pass that is also fbsim region FB_SIM_TAG(probe, pass_no),
 * as in our guest's probes (a marker's tag is an immediate: hence a
 * macro); the markers stay outside the timer.
 */
#define timed_region(x, probe, pass_no, region, pass, base, pages)          \
	__extension__({                                                     \
		*(region) = ++sim_regions;                                  \
		fb_sim_begin(FB_SIM_TAG(probe, pass_no));                   \
		uint64_t cycles_ = timed(x, pass, base, pages);             \
		fb_sim_end(FB_SIM_TAG(probe, pass_no));                     \
		cycles_;                                                    \
	})

/* Say which regions were this sample's before and after passes. */
static void report_regions(const struct host_env *e, const struct rep_ctx *x,
			   unsigned probe, const uint64_t region[2])
{
	if (!e->sim_region)
		return;
	for (unsigned pass = 0; pass < 2; pass++)
		e->sim_region(host_variant_names[x->v],
			      host_scenario_names[x->s], x->size, x->smp->rep,
			      pass, region[pass], FB_SIM_TAG(probe, pass));
}

/* The before/after group at first (FB_BA_* order, fb_vocab.h). */
static int emit_pair(const struct rep_ctx *x, enum fb_metric first,
		     uint64_t before, uint64_t after, uint64_t n)
{
	if (host_emit_value(x, first + FB_BA_CYCLES_BEFORE, before) < 0 ||
	    host_emit_value(x, first + FB_BA_CYCLES_AFTER, after) < 0 ||
	    host_emit_value(x, first + FB_BA_ACCESSES, n) < 0 ||
	    host_emit_ratio(x, first + FB_BA_PER_ACCESS_BEFORE, before, n) < 0)
		return -1;
	return host_emit_ratio(x, first + FB_BA_PER_ACCESS_AFTER, after, n);
}

/*
 * Within the STLB's reach, every miss of the after-pass is a translation
 * the call (or the child's run) took away; beyond it the warm pass would
 * miss already.
 */
int host_run_tlb(struct host_env *e, const struct host_region *r,
		 struct rep_ctx *x)
{
	uint64_t stlb = e->stlb ? e->stlb : fb_cpu_stlb_entries();
	if (stlb == 0)
		return host_emit(x, FB_M_TLB_CYCLES_PER_ACCESS_AFTER, 0, 0,
				 "stlb_size_unknown:cpuid_0x18_and_0x80000006_silent");
	if (r->pages == 0)
		return host_emit(x, FB_M_TLB_CYCLES_PER_ACCESS_AFTER, 0, 0,
				 "parent_has_no_pages");
	uint64_t n = r->pages < stlb ? r->pages : stlb, region[2];
	fb_read_pages(r->base, n); /* warm */
	uint64_t before = timed_region(x, FB_SIM_PROBE_TLB, 0, &region[0],
				       fb_read_pages, r->base, n);
	if (create_and_reap(e, x) < 0)
		return -1;
	uint64_t after = timed_region(x, FB_SIM_PROBE_TLB, 1, &region[1],
				      fb_read_pages, r->base, n);
	report_regions(e, x, FB_SIM_PROBE_TLB, region);
	if (emit_pair(x, FB_M_TLB_CYCLES_BEFORE, before, after, n) < 0)
		return -1;
	return host_emit_value(x, FB_M_TLB_STLB_ENTRIES, stlb);
}

/* Half the L2, so that it stays resident while warm; mapped once. */
static int map_hot_set(struct host_env *e, uint64_t kb, char *err,
		       size_t errlen)
{
	uint64_t bytes = (kb * 1024 + HOST_PAGE - 1) / HOST_PAGE * HOST_PAGE;
	return host_region_map(&e->hot, bytes, 0, err, errlen);
}

/*
 * The TLB refill is timed apart: a pass touching each page's first line
 * runs before the after line pass, and the line passes skip those lines.
 */
int host_run_cache(struct host_env *e, struct rep_ctx *x)
{
	uint64_t kb = e->hot_kb ? e->hot_kb : fb_cpu_l2_kb() / 2;
	if (kb == 0)
		return host_emit(x, FB_M_CACHE_CYCLES_PER_ACCESS_AFTER, 0, 0,
				 "l2_size_unknown:cpuid_4_and_0x80000006_silent");
	if (!e->hot.base && map_hot_set(e, kb, x->err, x->errlen) < 0)
		return -1;
	const struct host_region *h = &e->hot;
	uint64_t n = h->pages * (FB_LINES_PER_PAGE - 1), region[2];
	fb_read_pages(h->base, h->pages);
	fb_read_lines(h->base, h->pages); /* warm */
	uint64_t before = timed_region(x, FB_SIM_PROBE_CACHE, 0, &region[0],
				       fb_read_lines, h->base, h->pages);
	if (create_and_reap(e, x) < 0)
		return -1;
	uint64_t refill = timed(x, fb_read_pages, h->base, h->pages);
	uint64_t after = timed_region(x, FB_SIM_PROBE_CACHE, 1, &region[1],
				      fb_read_lines, h->base, h->pages);
	report_regions(e, x, FB_SIM_PROBE_CACHE, region);
	if (emit_pair(x, FB_M_CACHE_CYCLES_BEFORE, before, after, n) < 0 ||
	    host_emit_value(x, FB_M_CACHE_TLB_REFILL_CYCLES, refill) < 0)
		return -1;
	return host_emit_value(x, FB_M_CACHE_HOT_KB, kb);
}
