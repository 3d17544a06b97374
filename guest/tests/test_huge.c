/*
 * 2 MiB pages of process memory (huge_memory.c): a heap mapped with them,
 * its COW fork (huge_split: a write splits the PMD and copies one 4 KiB
 * page; huge_copy: a write copies all 2 MiB), the naive and on-demand
 * forks of it, and their leaks. Expectations come from the layout: a
 * whole aligned 2 MiB of heap is one PMD entry, nothing else changes.
 */
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "kernel/vm.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

#define RANGE_PAGES 512
#define RANGES 2
#define N (RANGES * RANGE_PAGES)

/* Kernel half: shared by every process, how children report. */
static volatile uint64_t child_splits, child_huge_copies, child_copies;

/* N heap pages in 2 MiB pages: the break first moved to a 2 MiB boundary. */
static uint64_t *huge_heap(void)
{
	uint64_t brk = (uint64_t)sys_sbrk(0, SBRK_LAZY);
	uint64_t pad = ((HUGE_SIZE - brk % HUGE_SIZE) % HUGE_SIZE) / PAGE_SIZE;
	if (pad && sys_sbrk(pad, SBRK_LAZY) < 0)
		return 0;
	long heap = sys_sbrk(N, SBRK_HUGE);
	return heap < 0 ? 0 : (uint64_t *)heap;
}

static int mapped_huge(const void *va)
{
	pte_t *pmd = pmd_walk(current->mm->pml4, (uint64_t)(uintptr_t)va, 0);
	return pmd && (*pmd & PTE_P) && (*pmd & PTE_PS);
}

static long fork_huge_copy(void)
{
	return sys_clone(0, 0, SIGCHLD | CLONE_FB_HUGE_COPY, 0);
}

PROCTEST(huge_heap_mapped)
{
	struct frame_counts before, after;
	frame_counts(&before);
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	frame_counts(&after);
	for (unsigned r = 0; r < RANGES; r++)
		CHECK(mapped_huge(heap + r * RANGE_PAGES * 512),
		      "range %u not one 2 MiB page", r);
	CHECK(frame_of(heap + 512) == frame_of(heap) + PAGE_SIZE,
	      "4 KiB parts of a 2 MiB page are contiguous");
	CHECK(frame_of(heap) % HUGE_SIZE == 0, "frame 0x%lx unaligned",
	      frame_of(heap));
	CHECK(after.used[FRAME_USER] - before.used[FRAME_USER] == N,
	      "%lu frames used for %u pages",
	      after.used[FRAME_USER] - before.used[FRAME_USER], N);
	fill_pages(heap, N, 7);
	CHECK(bad_page(heap, N, 7) < 0, "content");
	return 0;
}

/*
 * COW fork: one entry per 2 MiB (ptes_copied counts it as one leaf), the
 * rest of the layout as with 4 KiB pages, one more reference per page.
 */
static int check_fork_counters(long (*forkfn)(void))
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	touch_stack();
	uint64_t small = layout_rss() - N; /* text and stack */
	long pid = forkfn();
	if (pid == 0)
		sys_exit(0);
	CHECK(pid > 0, "fork: %ld", pid);
	struct vmstat d = fork_last;
	CHECK(d.ptes_copied == small + RANGES, "ptes_copied %lu, layout: %lu "
	      "small pages and %u 2 MiB ones", d.ptes_copied, small, RANGES);
	CHECK(d.pages_copied == 0, "copied %lu pages", d.pages_copied);
	CHECK(frame_refcount(frame_of(heap)) == 2, "refcount %u",
	      frame_refcount(frame_of(heap)));
	CHECK(mapped_huge(heap), "parent's heap no longer 2 MiB pages");
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child");
	CHECK(frame_refcount(frame_of(heap)) == 1, "refcount after exit %u",
	      frame_refcount(frame_of(heap)));
	return 0;
}

PROCTEST(huge_split_fork_counters)
{
	return check_fork_counters(sys_fork_cow);
}

PROCTEST(huge_copy_fork_counters)
{
	return check_fork_counters(fork_huge_copy);
}

/*
 * The child writes one word in each 2 MiB page: huge_split splits each
 * and copies one 4 KiB page, huge_copy copies each whole; the parent's
 * content and mapping stay as they were.
 */
static int check_child_write(long (*forkfn)(void), uint64_t splits,
			     uint64_t huge_copies, uint64_t copies)
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 3);
	long pid = forkfn();
	if (pid == 0) {
		struct vmstat before = vmstat;
		volatile uint64_t *w = heap; /* each write a fault, in order */
		for (unsigned r = 0; r < RANGES; r++)
			w[r * RANGE_PAGES * 512 + 1] = ~0ull; /* no probe word */
		__asm__ volatile("" : : : "memory"); /* counters after them */
		int ok = heap[1] == ~0ull && bad_page(heap, N, 3) < 0;
		child_splits = vmstat.pmd_splits - before.pmd_splits;
		child_huge_copies = vmstat.huge_copies - before.huge_copies;
		child_copies = vmstat.cow_copies - before.cow_copies;
		sys_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child saw its write or the rest wrong (status %d)", status);
	CHECK(bad_page(heap, N, 3) < 0 && heap[1] == 0,
	      "parent's content changed");
	CHECK(mapped_huge(heap), "parent's 2 MiB page was split");
	CHECK(child_splits == splits && child_huge_copies == huge_copies &&
	      child_copies == copies, "splits %lu (want %lu), 2 MiB copies %lu "
	      "(%lu), 4 KiB copies %lu (%lu)", child_splits, splits,
	      child_huge_copies, huge_copies, child_copies, copies);
	return 0;
}

PROCTEST(huge_split_child_writes)
{
	return check_child_write(sys_fork_cow, RANGES, 0, RANGES);
}

PROCTEST(huge_copy_child_writes)
{
	return check_child_write(fork_huge_copy, 0, RANGES, 0);
}

/* The parent writes after the fork; the child still sees the old content. */
static int check_parent_write(long (*forkfn)(void))
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 5);
	long pid = forkfn();
	if (pid == 0) {
		sys_yield(); /* the parent writes first */
		sys_exit(bad_page(heap, N, 5) < 0 ? 0 : 1);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	fill_pages(heap, N, 6);
	CHECK(bad_page(heap, N, 6) < 0, "parent's own writes");
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "the child saw the parent's writes (status %d)", status);
	return 0;
}

PROCTEST(huge_split_parent_writes)
{
	return check_parent_write(sys_fork_cow);
}

PROCTEST(huge_copy_parent_writes)
{
	return check_parent_write(fork_huge_copy);
}

/* Naive fork copies every 4 KiB of a 2 MiB page, into a 2 MiB page. */
PROCTEST(huge_naive_fork_copies_all)
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 9);
	touch_stack();
	uint64_t small = layout_rss() - N;
	long pid = sys_fork_copy();
	if (pid == 0)
		sys_exit(bad_page(heap, N, 9) < 0 && mapped_huge(heap) ? 0 : 1);
	CHECK(pid > 0, "fork: %ld", pid);
	struct vmstat d = fork_last;
	uint64_t text = text_pages();
	CHECK(d.pages_copied == N + small - text, "copied %lu pages, layout "
	      "%u + %lu - %lu text", d.pages_copied, N, small, text);
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child");
	return 0;
}

/* On-demand fork shares PTE tables; a 2 MiB page has none: COW at the PMD. */
PROCTEST(huge_odf_fork)
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	uint64_t ranges = layout_ranges() - RANGES; /* those with a PTE table */
	long pid = sys_fork_odf();
	if (pid == 0) {
		heap[0] = 1;
		sys_exit(0);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	struct vmstat d = fork_last;
	CHECK(d.pt_shared == ranges && d.ptes_copied == RANGES,
	      "shared %lu tables (want %lu), copied %lu entries (want %u)",
	      d.pt_shared, ranges, d.ptes_copied, RANGES);
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child");
	CHECK(heap[0] == 0, "the child's write reached the parent");
	return 0;
}

/* A split table is forked again: the grandchild's pages count on the frame. */
PROCTEST(huge_split_then_fork)
{
	uint64_t *heap = huge_heap();
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 4);
	long pid = sys_fork_cow();
	if (pid == 0) {
		heap[513] = 1; /* split the child's first 2 MiB page */
		long g = sys_fork_cow();
		if (g == 0)
			sys_exit(heap[513] == 1 && bad_page(heap, N, 4) < 0 ? 0
									    : 1);
		int st = -1;
		sys_waitpid(g, &st);
		sys_exit(st);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	int status = -1;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "grandchild (status %d)", status);
	CHECK(bad_page(heap, N, 4) < 0 && heap[513] == 0,
	      "parent's content changed");
	CHECK(frame_refcount(frame_of(heap)) == 1, "refcount %u after all exit",
	      frame_refcount(frame_of(heap)));
	return 0;
}
