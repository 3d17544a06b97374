/*
 * spawn (posix_spawn): the child runs a program in a new address space;
 * the call copies and shares nothing of the parent's, whatever its size.
 */
#include "kernel/errno.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

#define PARENT_PAGES 256

/* Written by the spawned child, read by the parent: the kernel half. */
static volatile long probe_ppid;
static volatile uint64_t probe_heap_frame;
static uint64_t *parent_heap;

/*
 * The child: its parent is the caller, its heap is empty and the
 * parent's heap address maps nothing here. Exits with arg.
 */
static int spawn_probe(long arg)
{
	probe_ppid = sys_getppid();
	probe_heap_frame = frame_of(parent_heap);
	if (current->mm->brk != HEAP_BASE)
		return 100;
	return (int)arg;
}
PROGRAM("test_spawn_probe", spawn_probe);

PROCTEST(spawn_runs_program_in_new_address_space)
{
	parent_heap = heap_pages(PARENT_PAGES, 1);
	CHECK(parent_heap, "heap");
	fill_pages(parent_heap, PARENT_PAGES, 3);
	probe_ppid = 0;
	probe_heap_frame = 1;
	long pid = sys_spawn("test_spawn_probe", 42);
	CHECK(pid > 0, "spawn: %ld", pid);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(status == 42, "status %d (100: the parent's heap was kept)",
	      status);
	CHECK(probe_ppid == sys_getpid(), "child's parent %ld", probe_ppid);
	CHECK(probe_heap_frame == 0, "the parent's heap is mapped in the child");
	CHECK(bad_page(parent_heap, PARENT_PAGES, 3) < 0, "parent's pages");
	return 0;
}

/*
 * The call's counters: no page and no PTE copied, no TLB flush of the
 * parent, and only page tables allocated (the image is the shared text),
 * as many with a 256-page parent as with none.
 */
static int spawn_counters(struct vmstat *d)
{
	long pid = sys_spawn("true", 0);
	*d = fork_last;
	int status = -1;
	if (pid <= 0 || sys_waitpid(pid, &status) != pid || status != 0)
		return -1;
	return 0;
}

PROCTEST(spawn_copies_nothing_of_the_parent)
{
	struct vmstat empty, big;
	CHECK(spawn_counters(&empty) == 0, "spawn with no heap");
	uint64_t *heap = heap_pages(PARENT_PAGES, 1);
	CHECK(heap, "heap");
	fill_pages(heap, PARENT_PAGES, 5);
	CHECK(spawn_counters(&big) == 0, "spawn with a heap");
	CHECK(big.pages_copied == 0 && big.ptes_copied == 0,
	      "copied %lu pages, %lu PTEs", big.pages_copied, big.ptes_copied);
	CHECK(big.tlb_full_flushes == 0 && big.invlpgs == 0,
	      "the parent's TLB was flushed");
	CHECK(big.frames_alloc == big.pt_pages_alloc,
	      "%lu frames for %lu page tables", big.frames_alloc,
	      big.pt_pages_alloc);
	CHECK(big.frames_alloc == empty.frames_alloc,
	      "frames %lu with a heap vs %lu without", big.frames_alloc,
	      empty.frames_alloc);
	return 0;
}

/* Every frame the child had comes back at its exit, none is kept. */
PROCTEST(spawn_child_gives_back_every_frame)
{
	struct frame_counts before, after;
	frame_counts(&before);
	for (int i = 0; i < 3; i++) {
		long pid = sys_spawn("true", 0);
		int status = -1;
		CHECK(pid > 0 && sys_waitpid(pid, &status) == pid && status == 0,
		      "spawn %d: pid %ld status %d", i, pid, status);
	}
	frame_counts(&after);
	CHECK(after.free == before.free, "free frames %lu -> %lu", before.free,
	      after.free);
	return 0;
}

PROCTEST(spawn_unknown_program_fails)
{
	unsigned procs = proc_count();
	CHECK(sys_spawn("no_such_program", 0) == -ENOENT, "ENOENT expected");
	CHECK(proc_count() == procs, "a process slot was taken");
	return 0;
}
