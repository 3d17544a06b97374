/*
 * The vocabulary of forkbench, in one place: variants, scenarios,
 * metrics, the PMU metric order (the guest's "pmu=" protocol) and the
 * guest's exit status names. The guest, fbvmm, and forkbench run / host /
 * plot / compare derive their names from these tables; nothing else
 * spells them. Freestanding: no libc, so the guest includes it too.
 *
 * Adding a metric: one X line in FB_METRICS, then the code that measures
 * it (guest/cmd/scenarios.c: metric(rep, FB_M_NEW, value)).
 */
#ifndef FB_VOCAB_H
#define FB_VOCAB_H

#include <stdint.h>

#include "fb_abi.h"

#define FB_UNUSED __attribute__((unused))

/*
 * Scenarios: X(ID, name, one-line description). FB_SC_<ID> indexes them.
 */
#define FB_SCENARIOS(X)                                                       \
	X(CREATE, "create", "the creation call, until it returns and until "  \
	  "the child first runs")                                             \
	X(EXIT_WAIT, "exit_wait", "create, the child exits at once, the "    \
	  "parent waits (lmbench lat_proc fork)")                            \
	X(EXEC_WAIT, "exec_wait", "create, the child execs a program, the "  \
	  "parent waits")                                                     \
	X(COW, "cow", "after the call the writer writes k pages: cost per "  \
	  "copy-on-write fault")                                              \
	X(TLB, "tlb", "a warm read pass over the parent, before vs after "   \
	  "the call (one word per page)")                                     \
	X(CACHE, "cache", "a warm read pass over a hot set, before vs after " \
	  "the call (one word per line)")                                     \
	X(PHASES, "phases", "create, timed inside the call too (page-table " \
	  "copy, page copy, TLB, rest)")                                      \
	X(FIRST_WRITE, "first_write", "after the call the writer writes one " \
	  "word in each 2 MiB region: the price a fork leaves for later")

enum fb_scenario {
#define FB_X_(id, name, desc) FB_SC_##id,
	FB_SCENARIOS(FB_X_)
#undef FB_X_
};
/* Apart from the enum, so switches over it need no case for this. */
enum {
#define FB_X_(id, name, desc) +1
	FB_SC_COUNT = 0 FB_SCENARIOS(FB_X_)
#undef FB_X_
};

#define FB_SC_BIT(id) (1u << FB_SC_##id)
#define FB_SC_ALL ((1u << FB_SC_COUNT) - 1)

/*
 * Clone flags (Linux values; the guest's uapi.h checks they agree). The
 * flags column says what each variant asks of the kernel, the way a raw
 * clone(2) would spell it.
 */
#define FB_CLONE_VM 0x100u
#define FB_CLONE_FS 0x200u
#define FB_CLONE_FILES 0x400u
#define FB_CLONE_SIGHAND 0x800u
#define FB_CLONE_VFORK 0x4000u
#define FB_SIGCHLD 17u
#define FB_THREAD_FLAGS                                                       \
	(FB_CLONE_VM | FB_CLONE_FS | FB_CLONE_FILES | FB_CLONE_SIGHAND)

/*
 * Guest variants: how the child is created. X(ID, name, one-line
 * description, clone flags, scenarios of the bench command it applies to,
 * usable by the forksize command, in forkbench run's default sweep). A
 * variant with no scenario is not a bench (sweep) variant. The Linux
 * baseline's variants (forkbench host) are its own, all prefixed linux_.
 *
 * clone_vm and clone_fork are the two meanings "clone" used to have: a
 * thread-style child sharing the address space, and a raw clone without
 * CLONE_VM, which is a fork.
 *
 * spawn (posix_spawn) is no clone: its child starts a program in a new,
 * empty address space, so it has no flags. Nothing of the parent's is
 * there to write (cow) and no page table or page is copied (phases); the
 * tlb and cache probes time the parent around any child's life, so they
 * apply. It is not in the default sweep: it is selected by name.
 *
 * odf (on-demand fork, Zhao et al., EuroSys'21) is a fork that shares the
 * parent's PTE tables instead of copying them; the first write in each
 * 2 MiB range copies its table, so cow times that too. Every scenario
 * applies (phases: the table walk is pt_copy, which shares instead of
 * copying). Run by name, like spawn.
 *
 * huge_copy and huge_split fork a parent mapped with 2 MiB pages: fork
 * copies one PMD entry per 2 MiB, write-protected. They differ in the
 * first write: huge_copy copies the whole 2 MiB page; huge_split splits
 * the PMD into a PTE table of 512 COW PTEs and copies one 4 KiB page, as
 * Linux does. cow and first_write time that write. Run by name.
 *
 * first_write and cow are the write scenarios (FB_WRITES): they apply
 * where the child gets the parent's memory copy-on-write or copied.
 */
#define FB_WRITES (FB_SC_BIT(COW) | FB_SC_BIT(FIRST_WRITE))
#define FB_NO_COW (FB_SC_ALL & ~FB_WRITES)
#define FB_SPAWN_SCENARIOS (FB_SC_ALL & ~(FB_WRITES | FB_SC_BIT(PHASES)))
#define FB_VARIANTS(X)                                                        \
	X(COPY, "copy", "naive fork: every resident page copied",            \
	  FB_SIGCHLD, FB_SC_ALL, 1, 1)                                        \
	X(COW, "cow", "copy-on-write fork: page tables copied, pages "       \
	  "shared read-only", FB_SIGCHLD, FB_SC_ALL, 1, 1)                    \
	X(VFORK, "vfork", "vfork: the child borrows the address space, the " \
	  "parent waits for its exec or exit",                                \
	  FB_CLONE_VM | FB_CLONE_VFORK | FB_SIGCHLD, FB_NO_COW, 1, 1)         \
	X(CLONE_VM, "clone_vm", "thread-style clone: the child shares the "  \
	  "address space, on its own stack", FB_THREAD_FLAGS | FB_SIGCHLD,    \
	  FB_NO_COW, 0, 1)                                                    \
	X(CLONE_FORK, "clone_fork", "raw clone without CLONE_VM: a "         \
	  "copy-on-write fork by another entry", FB_SIGCHLD, 0, 1, 0)         \
	X(SPAWN, "spawn", "posix_spawn: the child starts a program in a "    \
	  "new address space, nothing of the parent's copied or shared", 0,  \
	  FB_SPAWN_SCENARIOS, 0, 0)                                           \
	X(ODF, "odf", "on-demand fork: PTE tables shared write-protected, "  \
	  "each copied on its first write", FB_SIGCHLD, FB_SC_ALL, 1, 0)      \
	X(HUGE_COPY, "huge_copy", "copy-on-write fork of a 2 MiB-page "      \
	  "parent: a write copies the whole 2 MiB page", FB_SIGCHLD,          \
	  FB_SC_ALL, 0, 0)                                                    \
	X(HUGE_SPLIT, "huge_split", "copy-on-write fork of a 2 MiB-page "    \
	  "parent: a write splits the PMD and copies one 4 KiB page",         \
	  FB_SIGCHLD, FB_SC_ALL, 0, 0)

enum fb_variant {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) FB_V_##id,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
/* Apart from the enum, so switches over it need no case for this. */
enum {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) +1
	FB_V_COUNT = 0 FB_VARIANTS(FB_X_)
#undef FB_X_
};

/*
 * Metric kinds: timing (TSC cycles, noisy), counter (events the kernel
 * counts, exact), model (quantities the configuration fixes, exact),
 * pmu (hardware performance counters), sim (counts of the fbsim TLB and
 * cache model under QEMU TCG, plugin/README.md: exact, and model
 * outputs, not hardware events).
 *
 * A timing's unit: the guest sends "cycles" (its TSC). fbvmm writes
 * "cycles" for kvm, qemu-kvm and plain qemu-tcg (TSC; under qemu-tcg the
 * validity verdict is "emulated") and "instructions" for qemu-tcg-det,
 * whose -icount TSC counts instructions executed at a nominal 1 GHz: not
 * a time, never converted to one.
 */
#define FB_UNIT_CYCLES "cycles"
#define FB_UNIT_INSTRUCTIONS "instructions"
/*
 * Counts of a whole system's events (the Linux peer's /proc/vmstat deltas,
 * peer/vmstat.c): other tasks add to them, so they vary between runs and
 * are compared like timings, by test, never as exact counters.
 */
#define FB_UNIT_EVENTS "events"

#define FB_KINDS(X)                                                           \
	X(TIMING, "timing")                                                   \
	X(COUNTER, "counter")                                                 \
	X(MODEL, "model")                                                     \
	X(PMU, "pmu")                                                         \
	X(SIM, "sim")

enum fb_kind {
#define FB_X_(id, name) FB_K_##id,
	FB_KINDS(FB_X_)
#undef FB_X_
};
/* Apart from the enum, so switches over it need no case for this. */
enum {
#define FB_X_(id, name) +1
	FB_K_COUNT = 0 FB_KINDS(FB_X_)
#undef FB_X_
};

/*
 * Metrics of the bench command: X(ID, name, unit, kind).
 *
 * cycles_to_child is from the start of the call until the child's first
 * instruction when the child runs first (before the parent returns).
 * When the parent runs first, the same two timestamps also span the
 * parent's return, its wait and a switch: that is
 * cycles_to_child_parent_first, another metric, never mixed with it.
 *
 * The tlb_ and
 * cache_ groups are in the same order (FB_BA_* below). The PMU metrics
 * come next, in FB_PMU_METRICS order, then the model's counts of the
 * tlb and cache probes' passes: sim_<count>_before, sim_<count>_after
 * (FB_SIM_COUNTS order, before then after).
 */
#define FB_METRICS(X)                                                         \
	X(CYCLES_TO_RETURN, "cycles_to_return", "cycles", TIMING)             \
	X(CYCLES_TO_CHILD, "cycles_to_child", "cycles", TIMING)               \
	X(CYCLES_TO_CHILD_PARENT_FIRST, "cycles_to_child_parent_first",       \
	  "cycles", TIMING)                                                   \
	X(CYCLES_CREATE_EXIT_WAIT, "cycles_create_exit_wait", "cycles",       \
	  TIMING)                                                             \
	X(CYCLES_CREATE_EXEC_WAIT, "cycles_create_exec_wait", "cycles",       \
	  TIMING)                                                             \
	X(PAGES_COPIED, "pages_copied", "pages", COUNTER)                     \
	X(PTES_COPIED, "ptes_copied", "ptes", COUNTER)                        \
	X(PT_PAGES_ALLOC, "pt_pages_alloc", "pages", COUNTER)                 \
	X(TLB_FULL_FLUSHES, "tlb_full_flushes", "count", COUNTER)             \
	X(INVLPGS, "invlpgs", "count", COUNTER)                               \
	X(FRAMES_ALLOC, "frames_alloc", "frames", COUNTER)                    \
	X(FRAMES_FREED, "frames_freed", "frames", COUNTER)                    \
	X(CREATE_KERNEL_CYCLES, "create_kernel_cycles", "cycles", TIMING)     \
	X(PHASE_PT_COPY, "phase_pt_copy", "cycles", TIMING)                   \
	X(PHASE_PAGE_COPY, "phase_page_copy", "cycles", TIMING)               \
	X(PHASE_TLB, "phase_tlb", "cycles", TIMING)                           \
	X(PHASE_REST, "phase_rest", "cycles", TIMING)                         \
	X(CYCLES_PER_WRITE, "cycles_per_write", "cycles", TIMING)             \
	X(WRITE_CYCLES_TOTAL, "write_cycles_total", "cycles", TIMING)         \
	X(PAGES_WRITTEN, "pages_written", "pages", MODEL)                     \
	X(COW_FAULTS, "cow_faults", "count", COUNTER)                         \
	X(COW_COPIES, "cow_copies", "count", COUNTER)                         \
	X(COW_REUSES, "cow_reuses", "count", COUNTER)                         \
	X(PT_SHARED, "pt_shared", "tables", COUNTER)                          \
	X(PT_COPIED, "pt_copied", "tables", COUNTER)                          \
	X(HUGE_COPIES, "huge_copies", "count", COUNTER)                       \
	X(PMD_SPLITS, "pmd_splits", "count", COUNTER)                         \
	X(CYCLES_PER_FIRST_WRITE, "cycles_per_first_write", "cycles", TIMING) \
	X(REGIONS_WRITTEN, "regions_written", "regions", MODEL)               \
	X(TLB_CYCLES_BEFORE, "tlb_cycles_before", "cycles", TIMING)           \
	X(TLB_CYCLES_AFTER, "tlb_cycles_after", "cycles", TIMING)             \
	X(TLB_ACCESSES, "tlb_accesses", "count", MODEL)                       \
	X(TLB_CYCLES_PER_ACCESS_BEFORE, "tlb_cycles_per_access_before",       \
	  "cycles", TIMING)                                                   \
	X(TLB_CYCLES_PER_ACCESS_AFTER, "tlb_cycles_per_access_after",         \
	  "cycles", TIMING)                                                   \
	X(CACHE_CYCLES_BEFORE, "cache_cycles_before", "cycles", TIMING)       \
	X(CACHE_CYCLES_AFTER, "cache_cycles_after", "cycles", TIMING)         \
	X(CACHE_ACCESSES, "cache_accesses", "count", MODEL)                   \
	X(CACHE_CYCLES_PER_ACCESS_BEFORE, "cache_cycles_per_access_before",   \
	  "cycles", TIMING)                                                   \
	X(CACHE_CYCLES_PER_ACCESS_AFTER, "cache_cycles_per_access_after",     \
	  "cycles", TIMING)                                                   \
	X(TLB_STLB_ENTRIES, "tlb_stlb_entries", "entries", MODEL)             \
	X(CACHE_HOT_KB, "cache_hot_kb", "KiB", MODEL)                         \
	X(CACHE_TLB_REFILL_CYCLES, "cache_tlb_refill_cycles", "cycles",       \
	  TIMING)                                                             \
	X(PHASE_TIMER_PER_PAGE, "phase_timer_per_page", "cycles", TIMING)     \
	FB_PMU_TABLE(FB_PMU_AS_METRIC_, X)                                    \
	FB_SIM_COUNTS(FB_SIM_AS_BEFORE_, X)                                   \
	FB_SIM_COUNTS(FB_SIM_AS_AFTER_, X)

/*
 * The fbsim plugin's counts per region: R(X, ID, name), in the order of
 * its output lines (plugin/README.md). In the model an STLB miss is a
 * page walk.
 */
#define FB_SIM_COUNTS(R, X)                                                   \
	R(X, INSNS, "insns")                                                  \
	R(X, LOADS, "loads")                                                  \
	R(X, STORES, "stores")                                                \
	R(X, DTLB_L1_MISSES, "dtlb_l1_misses")                                \
	R(X, STLB_MISSES, "stlb_misses")                                      \
	R(X, L1D_MISSES, "l1d_misses")                                        \
	R(X, L2_MISSES, "l2_misses")                                          \
	R(X, LLC_MISSES, "llc_misses")
#define FB_SIM_AS_BEFORE_(X, id, name)                                        \
	X(SIM_##id##_BEFORE, "sim_" name "_before", "count", SIM)
#define FB_SIM_AS_AFTER_(X, id, name)                                         \
	X(SIM_##id##_AFTER, "sim_" name "_after", "count", SIM)
#define FB_SIM_AS_IS_(X, id, name) X(id, name)

enum fb_sim_count {
#define FB_X_(id, name) FB_SIM_##id,
	FB_SIM_COUNTS(FB_SIM_AS_IS_, FB_X_)
#undef FB_X_
	FB_SIM_COUNT
};
static const char *const fb_sim_count_names[FB_SIM_COUNT] FB_UNUSED = {
#define FB_X_(id, name) name,
	FB_SIM_COUNTS(FB_SIM_AS_IS_, FB_X_)
#undef FB_X_
};

/* The two passes a probe's regions measure: a metric per count each. */
enum fb_sim_pass { FB_SIM_BEFORE, FB_SIM_AFTER, FB_SIM_PASSES };
#define FB_M_SIM(pass, i)                                                     \
	((enum fb_metric)(FB_M_SIM_INSNS_BEFORE + (pass) * FB_SIM_COUNT + (i)))

/*
 * PMU metrics: X(ID, name). This order IS the "pmu=" protocol: the host
 * passes one event code per entry, in this order (lib/pmu_events.c), and
 * the guest reports them as metrics "pmu_<name>" (unit count).
 */
#define FB_PMU_METRICS(X) FB_PMU_TABLE(FB_PMU_AS_IS_, X)
/* The table itself, each row through R(X, ID, name). */
#define FB_PMU_TABLE(R, X)                                                    \
	R(X, INSTRUCTIONS, "instructions")                                    \
	R(X, CYCLES, "cycles")                                                \
	R(X, LLC_REFERENCES, "llc_references")                                \
	R(X, LLC_MISSES, "llc_misses")                                        \
	R(X, DTLB_LOAD_WALKS, "dtlb_load_walks")                              \
	R(X, DTLB_STORE_WALKS, "dtlb_store_walks")
#define FB_PMU_AS_IS_(X, id, name) X(id, name)
#define FB_PMU_AS_METRIC_(X, id, name) X(PMU_##id, "pmu_" name, "count", PMU)

enum fb_pmu_metric {
#define FB_X_(id, name) FB_PMU_##id,
	FB_PMU_METRICS(FB_X_)
#undef FB_X_
};
/* Apart from the enum, so switches over it need no case for this. */
enum {
#define FB_X_(id, name) +1
	FB_PMU_COUNT = 0 FB_PMU_METRICS(FB_X_)
#undef FB_X_
};

/*
 * Exit statuses of the guest: X(value macro of fb_abi.h, name). The name
 * is the end record's status= and what fbvmm checks the port against.
 */
#define FB_STATUSES(X)                                                        \
	X(FB_STATUS_PASS, "pass")                                             \
	X(FB_STATUS_FAIL, "fail")                                             \
	X(FB_STATUS_EXCEPTION, "exception")                                   \
	X(FB_STATUS_BADCMD, "badcmd")                                         \
	X(FB_STATUS_NOMEM, "nomem")

/*
 * The note of the warm-up repetition (rep 0), guest and host alike: kept
 * in every result, left out of every statistic; NA ones say
 * "warmup;REASON".
 */
#define FB_WARMUP_NOTE "warmup"

/* ---- derived: enums, tables, lookups ---------------------------------- */

enum fb_metric {
#define FB_X_(id, name, unit, kind) FB_M_##id,
	FB_METRICS(FB_X_)
#undef FB_X_
};
/* Apart from the enum, so switches over it need no case for this. */
enum {
#define FB_X_(id, name, unit, kind) +1
	FB_M_COUNT = 0 FB_METRICS(FB_X_)
#undef FB_X_
};

/* The before/after groups: FB_M_TLB_CYCLES_BEFORE + FB_BA_* and so on. */
enum fb_before_after {
	FB_BA_CYCLES_BEFORE, FB_BA_CYCLES_AFTER, FB_BA_ACCESSES,
	FB_BA_PER_ACCESS_BEFORE, FB_BA_PER_ACCESS_AFTER, FB_BA_COUNT
};
_Static_assert(FB_M_CACHE_CYCLES_BEFORE - FB_M_TLB_CYCLES_BEFORE ==
		       FB_BA_COUNT &&
	       FB_M_TLB_CYCLES_PER_ACCESS_AFTER - FB_M_TLB_CYCLES_BEFORE ==
		       FB_BA_PER_ACCESS_AFTER &&
	       FB_M_CACHE_CYCLES_PER_ACCESS_AFTER - FB_M_CACHE_CYCLES_BEFORE ==
		       FB_BA_PER_ACCESS_AFTER,
	       "tlb_ and cache_ metrics in FB_BA_ order");
_Static_assert(FB_M_SIM_INSNS_AFTER - FB_M_SIM_INSNS_BEFORE == FB_SIM_COUNT &&
		       (int)FB_M_COUNT == (int)FB_M_SIM(FB_SIM_PASSES, 0),
	       "sim_ metrics: every count before, then every count after");

static const char *const fb_scenario_names[FB_SC_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc) name,
	FB_SCENARIOS(FB_X_)
#undef FB_X_
};
static const char *const fb_scenario_descs[FB_SC_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc) desc,
	FB_SCENARIOS(FB_X_)
#undef FB_X_
};

static const char *const fb_variant_names[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) name,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
static const char *const fb_variant_descs[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) desc,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
static const uint32_t fb_variant_flags[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) flags,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
static const uint32_t fb_variant_scenarios[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) scs,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
static const unsigned char fb_variant_forksize[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) fs,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};
static const unsigned char fb_variant_default_sweep[FB_V_COUNT] FB_UNUSED = {
#define FB_X_(id, name, desc, flags, scs, fs, dflt) dflt,
	FB_VARIANTS(FB_X_)
#undef FB_X_
};

static const char *const fb_kind_names[FB_K_COUNT] FB_UNUSED = {
#define FB_X_(id, name) name,
	FB_KINDS(FB_X_)
#undef FB_X_
};

static const char *const fb_metric_names[FB_M_COUNT] FB_UNUSED = {
#define FB_X_(id, name, unit, kind) name,
	FB_METRICS(FB_X_)
#undef FB_X_
};
static const char *const fb_metric_units[FB_M_COUNT] FB_UNUSED = {
#define FB_X_(id, name, unit, kind) unit,
	FB_METRICS(FB_X_)
#undef FB_X_
};
static const unsigned char fb_metric_kinds[FB_M_COUNT] FB_UNUSED = {
#define FB_X_(id, name, unit, kind) FB_K_##kind,
	FB_METRICS(FB_X_)
#undef FB_X_
};

/* Names without the "pmu_" prefix: the host's event table, meta.json. */
static const char *const fb_pmu_names[FB_PMU_COUNT] FB_UNUSED = {
#define FB_X_(id, name) name,
	FB_PMU_METRICS(FB_X_)
#undef FB_X_
};

/* FB_M_ of a PMU metric. */
#define FB_M_PMU(i) ((enum fb_metric)(FB_M_PMU_INSTRUCTIONS + (i)))
_Static_assert(FB_M_PMU_DTLB_STORE_WALKS - FB_M_PMU_INSTRUCTIONS ==
		       FB_PMU_COUNT - 1, "PMU metrics contiguous");

static inline int fb_vocab_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Index of name in names[0..n), or -1. */
static inline int fb_vocab_find(const char *const *names, unsigned n,
				const char *name)
{
	for (unsigned i = 0; name && i < n; i++)
		if (fb_vocab_streq(names[i], name))
			return (int)i;
	return -1;
}

static inline int fb_variant_find(const char *name)
{
	return fb_vocab_find(fb_variant_names, FB_V_COUNT, name);
}

static inline int fb_scenario_find(const char *name)
{
	return fb_vocab_find(fb_scenario_names, FB_SC_COUNT, name);
}

static inline int fb_metric_find(const char *name)
{
	return fb_vocab_find(fb_metric_names, FB_M_COUNT, name);
}

/* A timing of the tlb or cache probe: meaningless where nothing is cached. */
static inline int fb_metric_is_probe_timing(int m)
{
	int ba = (m >= FB_M_TLB_CYCLES_BEFORE &&
		  m <= FB_M_CACHE_CYCLES_PER_ACCESS_AFTER) ||
		 m == FB_M_CACHE_TLB_REFILL_CYCLES;
	return ba && fb_metric_kinds[m] == FB_K_TIMING;
}

/* A variant the bench command (and so the sweep) runs at all. */
static inline int fb_variant_in_bench(int v)
{
	return v >= 0 && v < FB_V_COUNT && fb_variant_scenarios[v] != 0;
}

/*
 * Whether scenario s makes sense with variant v: writing pages after the
 * call measures nothing where parent and child share memory, or where
 * the child starts from an empty address space (spawn).
 */
static inline int fb_variant_applies(int v, int s)
{
	return v >= 0 && v < FB_V_COUNT && s >= 0 && s < FB_SC_COUNT &&
	       (fb_variant_scenarios[v] >> s & 1);
}

/* The variants of the bench command, in table order; their number. */
static inline unsigned fb_bench_variants(const char **out)
{
	unsigned n = 0;
	for (int v = 0; v < FB_V_COUNT; v++)
		if (fb_variant_in_bench(v))
			out[n++] = fb_variant_names[v];
	return n;
}

/*
 * The variants forkbench run sweeps when none are named, in table order;
 * their number. A bench variant outside it is run by name (--variants).
 */
static inline unsigned fb_default_sweep_variants(const char **out)
{
	unsigned n = 0;
	for (int v = 0; v < FB_V_COUNT; v++)
		if (fb_variant_in_bench(v) && fb_variant_default_sweep[v])
			out[n++] = fb_variant_names[v];
	return n;
}

/* The variants of the forksize command, in table order; their number. */
static inline unsigned fb_forksize_variants(const char **out)
{
	unsigned n = 0;
	for (int v = 0; v < FB_V_COUNT; v++)
		if (fb_variant_forksize[v])
			out[n++] = fb_variant_names[v];
	return n;
}

/* The name of an exit status, NULL if it is none. */
static inline const char *fb_status_name(unsigned status)
{
	switch (status) {
#define FB_X_(value, name) case value: return name;
		FB_STATUSES(FB_X_)
#undef FB_X_
	}
	return 0;
}

#endif
