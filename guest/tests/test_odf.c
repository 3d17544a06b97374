/*
 * On-demand fork (odf.c): the child shares the parent's PTE tables until
 * a write copies one. Checked by content both ways, by who exits first,
 * by a table shared three ways, by exec, by frames given back, and by
 * counters derived from the layout (one PTE table per 2 MiB range with a
 * mapped page), not from the walk odf itself uses.
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

/* Heap pages: more than one 2 MiB range (512 pages) wherever it starts. */
#define N 600

/* Kernel half: shared by every process, how children report. */
static volatile int parent_wrote, child_done, child_result;

/* The PTE table mapping va in the current address space, and its flags. */
static uint64_t pte_table_of(const void *va)
{
	pte_t *pmd = pmd_walk(current->mm->pml4, (uint64_t)(uintptr_t)va, 0);
	return pmd && (*pmd & PTE_P) ? PTE_ADDR(*pmd) : 0;
}

static int table_shared(const void *va)
{
	pte_t *pmd = pmd_walk(current->mm->pml4, (uint64_t)(uintptr_t)va, 0);
	return pmd && (*pmd & PMD_ODF) && !(*pmd & PTE_W);
}

PROCTEST(odf_child_writes_isolated)
{
	return child_writes_isolated(sys_fork_odf, N);
}

PROCTEST(odf_parent_writes_isolated)
{
	return parent_writes_isolated(sys_fork_odf, N);
}

/*
 * The fork shares one table per mapped 2 MiB range and copies nothing;
 * the child allocates only the upper levels. Then every write while the
 * child lives: one table copy per range written, one page copy per page.
 */
PROCTEST(odf_counters)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	touch_stack();
	uint64_t ranges = layout_ranges(), tables = current_pt_pages();
	uint64_t frame = frame_of(heap);
	long pid = sys_fork_odf();
	if (pid == 0) {
		sys_yield(); /* let the parent look at the fork alone */
		sys_exit(0);
	}
	CHECK(pid > 0, "fork_odf: %ld", pid);
	struct vmstat d = fork_last;
	CHECK(d.pt_shared == ranges, "shared %lu tables, layout has %lu ranges",
	      d.pt_shared, ranges);
	CHECK(d.pages_copied == 0 && d.ptes_copied == 0 && d.pt_copied == 0,
	      "copied %lu pages, %lu PTEs, %lu tables", d.pages_copied,
	      d.ptes_copied, d.pt_copied);
	CHECK(d.pt_pages_alloc == tables - ranges,
	      "child tables %lu, parent has %lu of which %lu PTE tables",
	      d.pt_pages_alloc, tables, ranges);
	CHECK(d.tlb_full_flushes == 1, "%lu full flushes", d.tlb_full_flushes);
	CHECK(frame_refcount(frame) == 1, "a page's refcount %u: pages are "
	      "not touched at fork", frame_refcount(frame));
	CHECK(table_shared(heap) && frame_refcount(pte_table_of(heap)) == 2,
	      "heap table not shared (refcount %u)",
	      frame_refcount(pte_table_of(heap)));
	fill_pages(heap, 0, 4); /* same call depth: the stack's table first */
	struct vmstat before = vmstat;
	fill_pages(heap, N, 4); /* child alive: tables and pages copied */
	vmstat_since(&before, &d);
	CHECK(d.pt_copied == ranges_of(heap, N), "copied %lu tables for %lu "
	      "ranges written", d.pt_copied, ranges_of(heap, N));
	CHECK(d.cow_faults == N && d.cow_copies == N && d.cow_reuses == 0,
	      "faults %lu copies %lu reuses %lu", d.cow_faults, d.cow_copies,
	      d.cow_reuses);
	CHECK(!table_shared(heap) && frame_of(heap) != frame,
	      "the parent still shares its table or page");
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "wait");
	return 0;
}

/*
 * The child's parent exits first: the child is then the tables' last
 * sharer and writes with no copy of a table. The pages are still COW
 * with us, who COW-forked that parent: one page copy each.
 */
static int orphan_writes(uint64_t *heap)
{
	while (sys_getppid() != 1) /* reparented to init: its parent is gone */
		sys_yield();
	if (bad_page(heap, N, 1) >= 0)
		return 2;
	fill_pages(heap, 0, 6);
	struct vmstat before = vmstat, d;
	fill_pages(heap, N, 6);
	vmstat_since(&before, &d);
	if (d.pt_copied || d.cow_copies != N)
		return 3;
	return bad_page(heap, N, 6) >= 0 ? 4 : 0;
}

PROCTEST(odf_parent_exits_first)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	child_done = 0;
	child_result = -1;
	long mid = sys_fork_cow();
	if (mid == 0) { /* the odf parent, which exits at once */
		long pid = sys_fork_odf();
		if (pid == 0) {
			child_result = orphan_writes(heap);
			child_done = 1;
			sys_exit(0);
		}
		sys_exit(pid > 0 ? 0 : 1);
	}
	int status;
	CHECK(sys_waitpid(mid, &status) == mid && status == 0, "odf parent %d",
	      status);
	while (!child_done)
		sys_yield();
	CHECK(child_result == 0, "orphaned child: %d (2 data, 3 copies, 4 "
	      "writes lost)", child_result);
	CHECK(bad_page(heap, N, 1) < 0, "our pages changed");
	return 0;
}

/* The child exits first: the parent's writes copy no table or page. */
PROCTEST(odf_child_exits_first)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	long pid = sys_fork_odf();
	if (pid == 0)
		sys_exit(bad_page(heap, N, 1) >= 0 ? 2 : 0);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child %d",
	      status);
	fill_pages(heap, 0, 7);
	struct vmstat before = vmstat, d;
	fill_pages(heap, N, 7);
	vmstat_since(&before, &d);
	CHECK(d.pt_copied == 0 && d.pages_copied == 0 && d.cow_faults == 0,
	      "tables %lu pages %lu faults %lu copied", d.pt_copied,
	      d.pages_copied, d.cow_faults);
	CHECK(bad_page(heap, N, 7) < 0, "our writes");
	return 0;
}

/*
 * An odf child forks again: the heap's tables are shared three ways
 * (refcount 3). Each writes its own pattern; each sees only its own.
 */
PROCTEST(odf_fork_of_fork)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	long pid = sys_fork_odf();
	if (pid == 0) {
		long grand = sys_fork_odf();
		if (grand == 0) {
			if (frame_refcount(pte_table_of(heap)) != 3)
				sys_exit(10);
			if (bad_page(heap, N, 1) >= 0)
				sys_exit(11);
			fill_pages(heap, N, 2);
			sys_exit(bad_page(heap, N, 2) >= 0 ? 12 : 0);
		}
		int st = -1;
		if (grand < 0 || sys_waitpid(grand, &st) != grand || st != 0)
			sys_exit(st > 0 ? st : 13);
		if (bad_page(heap, N, 1) >= 0)
			sys_exit(14);
		fill_pages(heap, N, 3);
		sys_exit(bad_page(heap, N, 3) >= 0 ? 15 : 0);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child status %d (10 not shared three ways, 11/14 data, 12/15 "
	      "writes)", status);
	CHECK(bad_page(heap, N, 1) < 0, "our page %ld changed",
	      bad_page(heap, N, 1));
	return 0;
}

/* exec drops the child's share of every table: ours alone again. */
PROCTEST(odf_exec_after_fork)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	long pid = sys_fork_odf();
	if (pid == 0) {
		sys_exec("true", 0);
		sys_exit(1);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "exec'd child %d", status);
	CHECK(frame_refcount(pte_table_of(heap)) == 1, "table refcount %u",
	      frame_refcount(pte_table_of(heap)));
	fill_pages(heap, 0, 8);
	struct vmstat before = vmstat, d;
	fill_pages(heap, N, 8);
	vmstat_since(&before, &d);
	CHECK(d.pt_copied == 0 && d.pages_copied == 0, "copied %lu tables, "
	      "%lu pages", d.pt_copied, d.pages_copied);
	CHECK(bad_page(heap, N, 8) < 0, "our writes");
	return 0;
}

/*
 * A first touch (demand fault) in a shared range maps a page: the table
 * is unshared first, so the other side does not see it.
 */
PROCTEST(odf_demand_fault_unshares)
{
	uint64_t *heap = heap_pages(N, 0);
	CHECK(heap, "sbrk");
	CHECK(ranges_of(heap, 2) == 1, "pages 0 and 1 in two ranges");
	fill_pages(heap, 1, 1); /* the range's table exists, one page mapped */
	parent_wrote = 0;
	long pid = sys_fork_odf();
	if (pid == 0) {
		while (!parent_wrote)
			sys_yield();
		sys_exit(frame_of(heap + 512) ? 2 : 0);
	}
	fill_pages(heap, 0, 1); /* same call depth: the stack's table first */
	uint64_t before = vmstat.pt_copied;
	/* Page 1, by a call: the counter is read around it, not across. */
	fill_pages(heap + 512, 1, 1);
	uint64_t copied = vmstat.pt_copied - before;
	parent_wrote = 1; /* before any CHECK: the child waits for it */
	CHECK(copied == 1, "%lu tables copied, not 1 (heap %p)", copied,
	      (void *)heap);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "the child sees our new page (status %d)", status);
	return 0;
}

/* Forks with writes on both sides give every frame back once reaped. */
PROCTEST(odf_gives_back_every_frame)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	touch_stack();
	fill_pages(heap, 0, 1);
	struct frame_counts before, after;
	frame_counts(&before);
	for (int i = 0; i < 3; i++) {
		long pid = sys_fork_odf();
		if (pid == 0) {
			fill_pages(heap, N / 2, 9);
			sys_exit(0);
		}
		fill_pages(heap, N, (uint64_t)i);
		int status = -1;
		CHECK(pid > 0 && sys_waitpid(pid, &status) == pid && status == 0,
		      "fork %d: pid %ld status %d", i, pid, status);
	}
	frame_counts(&after);
	CHECK(after.free == before.free &&
		      after.used[FRAME_PT] == before.used[FRAME_PT],
	      "free frames %lu -> %lu, page tables %lu -> %lu", before.free,
	      after.free, before.used[FRAME_PT], after.used[FRAME_PT]);
	return 0;
}
