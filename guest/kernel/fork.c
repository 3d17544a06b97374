/*
 * Creating processes. One primitive, do_clone(), under all variants:
 *   fork       = clone(SIGCHLD), address space copied (COW or eager)
 *   vfork      = clone(CLONE_VM | CLONE_VFORK | SIGCHLD)
 *   a thread   = clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)
 * The ways to copy an address space (pgcopy.c) are xv6's uvmcopy (eager:
 * a new frame and a 4 KiB copy per page), Linux's copy_page_range (COW:
 * copy the PTEs, write-protect both sides, share the frames; 2 MiB pages
 * are shared whole, huge_memory.c) and on-demand fork's (odf.c: share the
 * PTE tables themselves, write-protected at the PMD, until a write copies
 * one).
 */
#include "kernel/fork.h"
#include "kernel/errno.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/pgcopy.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/tsc.h"
#include "kernel/uapi.h"
#include "kernel/vm.h"
#include "kernel/vmstat.h"

enum fork_variant fork_default = FORK_COW;
int fork_share_text = 1;
struct vmstat fork_last;
struct fork_phases fork_last_phases;
int fork_phases_on;
uint64_t fork_timer_per_page;
/* The same two, in 1/TIMER_RUNS cycles: n pages cost n * x / TIMER_RUNS. */
static uint64_t timer_per_page_x, timer_inside_page_x;
#define TIMER_RUNS 256u

/* Set only while do_clone runs with fork_phases_on: phases end with it. */
static int phase_timing;

/*
 * The 4 KiB copy itself (words 512; 0 only to calibrate the timer around
 * it). rep movsq: one instruction per 8 bytes, also when emulated. noipa:
 * one body for fork, do_wp_page and the timer calibration, so all three
 * run the same instructions.
 */
__attribute__((noipa)) void timed_copy(void *d, const void *s, uint64_t words)
{
	uint64_t t0 = phase_timing ? tsc_start() : 0;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	if (phase_timing)
		fork_last_phases.page_copy += tsc_cycles(t0, tsc_end());
}

/*
 * What timing one page copy adds, measured with the very code fork runs:
 * K empty copies with the timer on against K with it off. The difference
 * is what every copied page adds to the walk around it; what the timer
 * counted inside the empty copies is what it adds to page_copy itself.
 */
void fork_phase_timer_calibrate(void)
{
	enum { K = TIMER_RUNS };
	static uint64_t a, b;
	struct fork_phases saved = fork_last_phases;
	fork_last_phases.page_copy = 0;
	uint64_t t0 = tsc_start();
	for (unsigned i = 0; i < K; i++)
		timed_copy(&a, &b, 0);
	uint64_t off = tsc_cycles(t0, tsc_end());
	phase_timing = 1;
	t0 = tsc_start();
	for (unsigned i = 0; i < K; i++)
		timed_copy(&a, &b, 0);
	uint64_t on = tsc_cycles(t0, tsc_end());
	phase_timing = 0;
	uint64_t inside = fork_last_phases.page_copy;
	fork_last_phases = saved;
	timer_per_page_x = on > off ? on - off : 0;
	timer_inside_page_x = inside < timer_per_page_x ? inside : timer_per_page_x;
	fork_timer_per_page = (timer_per_page_x + K / 2) / K;
}

static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* What timing n page copies added, in cycles, given x per TIMER_RUNS. */
static uint64_t timer_cost(uint64_t n, uint64_t x)
{
	return (n * x + TIMER_RUNS / 2) / TIMER_RUNS;
}

/*
 * The walk's phases, the timer's own cost taken out: each of the n pages
 * copied added timer_per_page_x / TIMER_RUNS cycles to the walk, of which
 * timer_inside_page_x / TIMER_RUNS landed in page_copy.
 */
static void walk_phases(uint64_t walk, uint64_t n, uint64_t tlb)
{
	struct fork_phases *ph = &fork_last_phases;
	uint64_t raw_copy = ph->page_copy;
	uint64_t inside = timer_cost(n, timer_inside_page_x);
	ph->tlb = tlb;
	ph->pages = n;
	ph->page_copy = minus(raw_copy, inside);
	ph->pt_copy = minus(walk + inside,
			    raw_copy + timer_cost(n, timer_per_page_x));
}

/*
 * A copy of src for a child. On failure the partial child is torn down;
 * the parent keeps its pages (some now COW, or their tables odf-shared:
 * its next write to them is a fault that finds itself the only owner and
 * reuses the frame or table).
 */
static struct mm *copy_mm(struct mm *src, enum copy_how how)
{
	int eager = how == COPY_EAGER;
	uint64_t pml4 = pml4_create();
	if (!pml4)
		return 0;
	struct mm *dst = mm_alloc(pml4);
	if (!dst) {
		pml4_destroy(pml4);
		return 0;
	}
	dst->text_start = src->text_start;
	dst->text_end = src->text_end;
	dst->brk = src->brk;
	uint64_t copied = vmstat.pages_copied;
	uint64_t t0 = phase_timing ? tsc_start() : 0;
	int r = copy_page_range(src, dst, how);
	uint64_t t1 = phase_timing ? tsc_end() : 0;
	if (!eager) /* the parent may cache writable translations: drop them */
		tlb_flush_all();
	if (phase_timing)
		walk_phases(tsc_cycles(t0, t1), vmstat.pages_copied - copied,
			    eager ? 0 : tsc_cycles(t1, tsc_end()));
	if (r) {
		mm_put(dst);
		return 0;
	}
	return dst;
}

static void name_child(struct proc *child, const struct proc *parent)
{
	memcpy(child->name, parent->name, sizeof(child->name));
}

static enum copy_how copy_how_of(uint64_t flags)
{
	if (flags & CLONE_FB_EAGER)
		return COPY_EAGER;
	if (flags & CLONE_FB_ODF)
		return COPY_ODF;
	return flags & CLONE_FB_HUGE_COPY ? COPY_HUGE_COPY : COPY_COW;
}

/* The child's address space: shared, or copied; counted in fork_last. */
static int clone_mm(struct proc *child, struct mm *mm, uint64_t flags)
{
	struct vmstat before = vmstat;
	if (flags & CLONE_VM) {
		child->mm = mm;
		mm_get(mm);
	} else {
		child->mm = copy_mm(mm, copy_how_of(flags));
	}
	vmstat_since(&before, &fork_last);
	return child->mm ? 0 : -ENOMEM;
}

long do_clone(uint64_t flags, void *child_stack, int (*fn)(long), long arg)
{
	/* Timing inside the call only when asked: it is the measured path. */
	fork_last_phases = (struct fork_phases){ 0 };
	phase_timing = fork_phases_on;
	uint64_t t_start = phase_timing ? tsc_start() : 0;
	struct proc *parent = current, *child = proc_alloc();
	if (!child) {
		phase_timing = 0;
		return -EAGAIN;
	}
	if (clone_mm(child, parent->mm, flags) < 0) {
		phase_timing = 0;
		proc_free(child);
		return -ENOMEM;
	}
	child->parent = parent;
	name_child(child, parent);
	if (fn)
		proc_start_fn(child, fn, arg, (uint64_t)(uintptr_t)child_stack);
	else {
		child->uctx = parent->uctx;
		if (child_stack)
			child->uctx.rsp = (uint64_t)(uintptr_t)child_stack;
		proc_start_child(child);
	}
	long pid = child->pid;
	if (phase_timing) {
		struct fork_phases *ph = &fork_last_phases;
		ph->total = minus(tsc_cycles(t_start, tsc_end()),
				  timer_cost(ph->pages, timer_per_page_x));
		phase_timing = 0; /* later faults are not this call's */
	}
	if (flags & CLONE_VFORK) {
		/* The parent sleeps until the child execs or exits. */
		child->vfork_parent = parent;
		sched_enqueue_front(child);
		while (child->vfork_parent == parent)
			sleep_on(&child->vfork_parent);
	} else {
		wake_up_new_task(child);
	}
	return pid;
}

