/*
 * The measured scenarios. Each repetition: the creation call of the
 * configured variant, timed from the parent's side and, where it applies,
 * until the child first runs; then the counters of the call, the phases
 * when enabled, and the PMU metrics.
 */
#include "cmd/scenarios.h"
#include "cmd/create.h"
#include "cmd/probes.h"
#include "cmd/bench_opts.h"
#include "cmd/metric.h"
#include "cmd/pmu.h"
#include "fb_abi.h"
#include "kernel/console.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/program.h"
#include "kernel/tsc.h"
#include "kernel/uapi.h"
#include "kernel/vmstat.h"
#include "kernel/x86.h"

_Static_assert(FB_CLONE_VM == CLONE_VM && FB_CLONE_FS == CLONE_FS &&
		       FB_CLONE_FILES == CLONE_FILES &&
		       FB_CLONE_SIGHAND == CLONE_SIGHAND &&
		       FB_CLONE_VFORK == CLONE_VFORK && FB_SIGCHLD == SIGCHLD,
	       "fb_vocab.h's clone flags are the kernel's");

#define WORDS_PER_PAGE 512
#define CHILD_STACK_WORDS 2048

/* Written by children, read by the parent: the kernel half is shared. */
static volatile uint64_t child_tsc, child_cycles;
static uint64_t child_stack[CHILD_STACK_WORDS] __attribute__((aligned(16)));

static void child_action(void)
{
	child_tsc = tsc_end();
	switch (bench.scenario) {
	case FB_SC_EXEC_WAIT:
		sys_exec("true", 0);
		sys_exit(1); /* exec failed */
	default:
		sys_exit(0);
	}
}

static int clone_child(long arg)
{
	(void)arg;
	child_action();
	return 0;
}

/*
 * spawn's child, a program in an address space of its own: it notes its
 * first instruction and exits at once (create, exit_wait, the probes).
 * Our programs are functions of the image, so unlike the host's
 * posix_spawn, which can only exec a file, spawn has a child of ours that
 * exits at once.
 */
static int spawned_child(long arg)
{
	(void)arg;
	child_tsc = tsc_end();
	return 0;
}
PROGRAM("bench_child", spawned_child);

/*
 * What spawn starts. In exec_wait it is the exec target itself:
 * posix_spawn is fork+exec in one call (as forkbench host's
 * linux_posix_spawn spawns /bin/true), so its child execs nothing more.
 */
static const char *spawn_program(void)
{
	return bench.scenario == FB_SC_EXEC_WAIT ? "true" : "bench_child";
}


/*
 * The creation call of the configured variant: for fork-like children,
 * which return 0 from it or run clone_fn, and for spawn's program.
 * noipa: always a real call, compiled as if in another file, so the
 * timed regions around it do not change with inlining decisions.
 */
static __attribute__((noipa)) long
create_child(int (*clone_fn)(long), long arg)
{
	switch (bench.variant) {
	case FB_V_COPY: return sys_fork_copy();
	case FB_V_COW: return sys_fork_cow();
	case FB_V_ODF: return sys_fork_odf();
	case FB_V_HUGE_SPLIT: return sys_fork_cow(); /* Linux: split on write */
	case FB_V_HUGE_COPY:
		return sys_clone(0, 0, SIGCHLD | CLONE_FB_HUGE_COPY, 0);
	case FB_V_VFORK: return sys_vfork();
	case FB_V_CLONE_VM:
		return sys_clone(clone_fn, child_stack + CHILD_STACK_WORDS,
				 fb_variant_flags[FB_V_CLONE_VM], arg);
	case FB_V_SPAWN: return sys_spawn(spawn_program(), arg);
	default: /* clone_fork is not a bench variant (fb_vocab.h) */
		return -22;
	}
}

/*
 * The counters of the last creation call, and its phases if timed. In
 * the write scenarios, pt_copied is the writes' (run_cow): a creation
 * call copies no table it shares.
 */
void report_creation(unsigned rep)
{
	const struct vmstat *d = &fork_last;
	metric(rep, FB_M_PAGES_COPIED, d->pages_copied);
	metric(rep, FB_M_PTES_COPIED, d->ptes_copied);
	metric(rep, FB_M_PT_PAGES_ALLOC, d->pt_pages_alloc);
	metric(rep, FB_M_PT_SHARED, d->pt_shared);
	if (!(FB_WRITES & (1u << bench.scenario)))
		metric(rep, FB_M_PT_COPIED, d->pt_copied);
	metric(rep, FB_M_TLB_FULL_FLUSHES, d->tlb_full_flushes);
	metric(rep, FB_M_INVLPGS, d->invlpgs);
	metric(rep, FB_M_FRAMES_ALLOC, d->frames_alloc);
	if (!fork_phases_on)
		return;
	const struct fork_phases *ph = &fork_last_phases;
	metric(rep, FB_M_CREATE_KERNEL_CYCLES, ph->total);
	uint64_t parts = ph->pt_copy + ph->page_copy + ph->tlb;
	metric(rep, FB_M_PHASE_PT_COPY, ph->pt_copy);
	metric(rep, FB_M_PHASE_PAGE_COPY, ph->page_copy);
	metric(rep, FB_M_PHASE_TLB, ph->tlb);
	metric(rep, FB_M_PHASE_REST, ph->total > parts ? ph->total - parts : 0);
	metric(rep, FB_M_PHASE_TIMER_PER_PAGE, fork_timer_per_page);
}

int reap(long pid)
{
	int status = -1;
	if (sys_waitpid(pid, &status) != pid || status != 0) {
		kprintf("bench: child %ld ended with status %d\n", pid, status);
		return FB_STATUS_FAIL;
	}
	return 0;
}

/*
 * Start the child; in the child run child_action (spawn's child runs its
 * program and never returns here). Returns the pid. Callers
 * clear child_tsc before their timed region, which is only the call.
 */
long start_child(void)
{
	long pid = create_child(clone_child, 0);
	if (pid == 0)
		child_action();
	return pid;
}

int created(long pid)
{
	if (pid >= 0)
		return 0;
	kprintf("bench: %s failed: %ld%s\n", fb_variant_names[bench.variant], pid,
		pid == -12 ? " (guest RAM too small)" : "");
	return pid == -12 ? FB_STATUS_NOMEM : FB_STATUS_FAIL;
}

/*
 * Until the child's first instruction only when it ran before the parent
 * returned; otherwise the span also holds the parent's return, its wait
 * and a switch, which is another metric (fb_vocab.h). The other one is NA
 * with the order as its reason, so every repetition names both.
 */
static void report_to_child(unsigned rep, uint64_t t0, uint64_t t_ret)
{
	int child_first = child_tsc < t_ret;
	enum fb_metric m = child_first ? FB_M_CYCLES_TO_CHILD
				       : FB_M_CYCLES_TO_CHILD_PARENT_FIRST;
	metric(rep, m, tsc_cycles(t0, child_tsc));
	metric_na(rep, child_first ? FB_M_CYCLES_TO_CHILD_PARENT_FIRST
				   : FB_M_CYCLES_TO_CHILD,
		  child_first ? "child_ran_first" : "parent_ran_first");
}

static int run_create(unsigned rep)
{
	child_tsc = 0;
	uint64_t t0 = tsc_start();
	long pid = start_child();
	uint64_t t_ret = tsc_end();
	if (created(pid))
		return created(pid);
	int r = reap(pid);
	metric(rep, FB_M_CYCLES_TO_RETURN, tsc_cycles(t0, t_ret));
	report_to_child(rep, t0, t_ret);
	report_creation(rep);
	return r;
}

/*
 * lmbench lat_proc: create, the child exits, the parent waits. Over the
 * whole span every frame the child got comes back: frames_freed (a
 * creation call frees none, so it is reported only here).
 */
static int run_lifecycle(unsigned rep, enum fb_metric m)
{
	struct vmstat before = vmstat, d;
	child_tsc = 0;
	uint64_t t0 = tsc_start();
	long pid = start_child();
	if (created(pid))
		return created(pid);
	int r = reap(pid);
	uint64_t t1 = tsc_end();
	vmstat_since(&before, &d);
	metric(rep, m, tsc_cycles(t0, t1));
	report_creation(rep);
	metric(rep, FB_M_FRAMES_FREED, d.frames_freed);
	return r;
}

/* One word at the start of each of n pages, stride pages apart. */
static void write_pages(uint64_t *base, uint64_t n, uint64_t stride)
{
	for (uint64_t p = 0; p < n; p++)
		base[p * stride * WORDS_PER_PAGE] = ~p;
}

/* Timed writes to n pages, stride apart, with their COW counters. */
static uint64_t timed_writes(uint64_t *base, uint64_t n, uint64_t stride,
			     struct vmstat *d)
{
	write_pages(base, 0, stride); /* same stack depth: its pages private first */
	struct vmstat before = vmstat;
	uint64_t t0 = tsc_start();
	write_pages(base, n, stride);
	uint64_t cycles = tsc_cycles(t0, tsc_end());
	vmstat_since(&before, d);
	return cycles;
}

static struct vmstat child_writes; /* the child's counters, for the parent */

/*
 * After the fork the writer (bench.writer_child) writes n pages, stride
 * apart: *cycles for all of them, *d their counters. Returns as reap.
 */
static int fork_and_write(uint64_t *parent, uint64_t n, uint64_t stride,
			  uint64_t *cycles, struct vmstat *d)
{
	long pid = create_child(0, 0);
	if (pid == 0) {
		if (bench.writer_child)
			child_cycles = timed_writes(parent, n, stride,
						    &child_writes);
		sys_exit(0);
	}
	if (created(pid))
		return created(pid);
	if (!bench.writer_child)
		*cycles = timed_writes(parent, n, stride, d);
	int r = reap(pid);
	if (bench.writer_child) {
		*cycles = child_cycles;
		*d = child_writes;
	}
	return r;
}

/* What the writes cost the kernel, the 2 MiB pages' work included. */
static void report_write_counters(unsigned rep, const struct vmstat *d)
{
	metric(rep, FB_M_COW_FAULTS, d->cow_faults);
	metric(rep, FB_M_COW_COPIES, d->cow_copies);
	metric(rep, FB_M_COW_REUSES, d->cow_reuses);
	metric(rep, FB_M_PT_COPIED, d->pt_copied); /* odf: tables written */
	metric(rep, FB_M_HUGE_COPIES, d->huge_copies);
	metric(rep, FB_M_PMD_SPLITS, d->pmd_splits);
}

/* cow: after the fork the writer writes k pages; per-fault cost. */
static int run_cow(unsigned rep, uint64_t *parent, uint64_t pages)
{
	uint64_t k = bench.writes < pages ? bench.writes : pages;
	if (k == 0) {
		metric_na(rep, FB_M_CYCLES_PER_WRITE, "parent_has_no_pages");
		return 0;
	}
	uint64_t cycles = 0;
	struct vmstat d = { 0 };
	int r = fork_and_write(parent, k, 1, &cycles, &d);
	if (r)
		return r;
	metric(rep, FB_M_CYCLES_PER_WRITE, cycles / k);
	metric(rep, FB_M_WRITE_CYCLES_TOTAL, cycles);
	metric(rep, FB_M_PAGES_WRITTEN, k);
	report_write_counters(rep, &d);
	report_creation(rep);
	return 0;
}

/*
 * first_write: after the fork the writer writes one word in each 2 MiB
 * region of the parent (a last, partial one included): what each
 * variant leaves to pay after the call, per region.
 */
static int run_first_write(unsigned rep, uint64_t *parent, uint64_t pages)
{
	uint64_t stride = HUGE_SIZE / PAGE_SIZE;
	uint64_t n = (pages + stride - 1) / stride;
	if (n == 0) {
		metric_na(rep, FB_M_CYCLES_PER_FIRST_WRITE, "parent_has_no_pages");
		return 0;
	}
	uint64_t cycles = 0;
	struct vmstat d = { 0 };
	int r = fork_and_write(parent, n, stride, &cycles, &d);
	if (r)
		return r;
	metric(rep, FB_M_CYCLES_PER_FIRST_WRITE, cycles / n);
	metric(rep, FB_M_REGIONS_WRITTEN, n);
	report_write_counters(rep, &d);
	report_creation(rep);
	return 0;
}

int scenario_run(unsigned rep, uint64_t *parent, uint64_t pages)
{
	int r = 0;
	switch (bench.scenario) {
	case FB_SC_CREATE:
	case FB_SC_PHASES: r = run_create(rep); break;
	case FB_SC_EXIT_WAIT: r = run_lifecycle(rep, FB_M_CYCLES_CREATE_EXIT_WAIT); break;
	case FB_SC_EXEC_WAIT: r = run_lifecycle(rep, FB_M_CYCLES_CREATE_EXEC_WAIT); break;
	case FB_SC_COW: r = run_cow(rep, parent, pages); break;
	case FB_SC_FIRST_WRITE: r = run_first_write(rep, parent, pages); break;
	case FB_SC_TLB: r = run_tlb(rep, parent, pages); break;
	case FB_SC_CACHE: r = run_cache(rep); break;
	}
	pmu_report(rep);
	return r;
}
