/*
 * Creating processes. One primitive, do_clone(), under all variants:
 *   fork       = clone(SIGCHLD), address space copied (COW or eager)
 *   vfork      = clone(CLONE_VM | CLONE_VFORK | SIGCHLD)
 *   a thread   = clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)
 * The ways to copy an address space are xv6's uvmcopy (eager: a new
 * frame and a 4 KiB copy per page), Linux's copy_page_range (COW: copy
 * the PTEs, write-protect both sides, share the frames) and on-demand
 * fork's (odf.c: share the PTE tables themselves, write-protected at the
 * PMD, until a write copies one).
 */
#include "kernel/fork.h"
#include "kernel/errno.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/odf.h"
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
static __attribute__((noipa)) void timed_copy(void *d, const void *s,
					       uint64_t words)
{
	uint64_t t0 = phase_timing ? tsc_start() : 0;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	if (phase_timing)
		fork_last_phases.page_copy += tsc_cycles(t0, tsc_end());
}

void copy_page(uint64_t dst_pa, uint64_t src_pa)
{
	timed_copy(pa_to_va(dst_pa), pa_to_va(src_pa), PAGE_SIZE / 8);
	vmstat.pages_copied++;
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

struct copy_ctx {
	struct mm *src, *dst;
};

static int is_text(const struct mm *mm, uint64_t va)
{
	return mm_region(mm, va) == REGION_TEXT;
}

/* Point the child's PTE at the parent's frame, taking a reference. */
static int share_pte(struct copy_ctx *c, uint64_t va, pte_t pte)
{
	pte_t *dst = pte_walk(c->dst->pml4, va, 1);
	if (!dst)
		return -ENOMEM;
	*dst = pte;
	frame_get(PTE_ADDR(pte));
	vmstat.ptes_copied++;
	return 0;
}

/* uvmcopy, one page: a private copy for the child (text may be shared). */
static int uvmcopy_pte(uint64_t va, pte_t *pte, void *ctx)
{
	struct copy_ctx *c = ctx;
	if (fork_share_text && is_text(c->src, va))
		return share_pte(c, va, *pte);
	uint64_t pa = frame_alloc(FRAME_USER);
	if (!pa)
		return -ENOMEM;
	pte_t flags = *pte & ~PTE_ADDR_MASK;
	if (flags & PTE_COW) /* shared from an earlier COW fork: ours now */
		flags = (flags & ~PTE_COW) | PTE_W;
	if (vm_map(c->dst->pml4, va, pa, flags) < 0) {
		frame_put(pa);
		return -ENOMEM;
	}
	copy_page(pa, PTE_ADDR(*pte));
	vmstat.ptes_copied++;
	return 0;
}

/* copy_pte_range, one PTE: writable pages become COW on both sides. */
static int cow_pte(uint64_t va, pte_t *pte, void *ctx)
{
	if (*pte & PTE_W)
		*pte = (*pte & ~PTE_W) | PTE_COW;
	return share_pte(ctx, va, *pte);
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

enum copy_how { COPY_COW, COPY_EAGER, COPY_ODF };

/* src's PTEs (or, for odf, PTE tables) into dst. 0, or -ENOMEM. */
static int copy_tables(struct mm *src, struct mm *dst, enum copy_how how)
{
	struct copy_ctx c = { src, dst };
	switch (how) {
	case COPY_EAGER: return vm_for_each_pte(src->pml4, uvmcopy_pte, &c);
	case COPY_ODF: return odf_share_tables(src->pml4, dst->pml4);
	default: return vm_for_each_pte(src->pml4, cow_pte, &c);
	}
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
	int r = copy_tables(src, dst, how);
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

/* The child's address space: shared, or copied; counted in fork_last. */
static int clone_mm(struct proc *child, struct mm *mm, uint64_t flags)
{
	struct vmstat before = vmstat;
	if (flags & CLONE_VM) {
		child->mm = mm;
		mm_get(mm);
	} else {
		child->mm = copy_mm(mm, flags & CLONE_FB_EAGER ? COPY_EAGER
				       : flags & CLONE_FB_ODF	? COPY_ODF
								: COPY_COW);
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

