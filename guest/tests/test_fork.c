/*
 * Fork variants, checked by content, by frame identity and by the exact
 * counters each variant's arithmetic predicts.
 */
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

#define N 32 /* heap pages of the parent: small, ring 0 may be emulated */


PROCTEST(cow_child_writes_isolated)
{
	return child_writes_isolated(sys_fork_cow, N);
}

PROCTEST(cow_parent_writes_isolated)
{
	return parent_writes_isolated(sys_fork_cow, N);
}

/* Counters of a COW fork and of the writes that follow it. */
PROCTEST(cow_counters)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	touch_stack();
	struct vmstat d;
	uint64_t rss = layout_rss(), tables = current_pt_pages();
	long pid = sys_fork_cow();
	if (pid == 0) {
		sys_yield(); /* let the parent look at the fork alone */
		sys_exit(0);
	}
	d = fork_last;
	CHECK(d.ptes_copied == rss, "ptes copied %lu, rss %lu", d.ptes_copied,
	      rss);
	CHECK(d.pages_copied == 0, "COW fork copied %lu pages", d.pages_copied);
	CHECK(d.pt_pages_alloc == tables, "child tables %lu, parent has %lu",
	      d.pt_pages_alloc, tables);
	CHECK(d.tlb_full_flushes == 1, "%lu full flushes", d.tlb_full_flushes);
	CHECK(frame_refcount(frame_of(heap)) == 2, "shared frame refcount %u",
	      frame_refcount(frame_of(heap)));
	/* Same call depth first: the stack pages it uses become private. */
	fill_pages(heap, 0, 4);
	struct vmstat before = vmstat;
	fill_pages(heap, N, 4); /* child alive: every write copies */
	vmstat_since(&before, &d);
	CHECK(d.cow_faults == N && d.cow_copies == N && d.cow_reuses == 0,
	      "faults %lu copies %lu reuses %lu", d.cow_faults, d.cow_copies,
	      d.cow_reuses);
	CHECK(d.pages_copied == N && d.invlpgs == N, "copied %lu invlpg %lu",
	      d.pages_copied, d.invlpgs);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	return 0;
}

/* After the other side exits, a write finds itself sole owner: no copy. */
PROCTEST(cow_reuse_after_exit)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	long pid = sys_fork_cow();
	if (pid == 0)
		sys_exit(0);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	fill_pages(heap, 0, 5); /* stack pages of the call: private first */
	struct vmstat before = vmstat, d;
	uint64_t frame = frame_of(heap);
	fill_pages(heap, N, 5);
	vmstat_since(&before, &d);
	CHECK(d.cow_faults == N && d.cow_reuses == N && d.cow_copies == 0 &&
		      d.pages_copied == 0,
	      "faults %lu reuses %lu copies %lu", d.cow_faults, d.cow_reuses,
	      d.cow_copies);
	CHECK(frame_of(heap) == frame, "the frame moved on reuse");
	return 0;
}

/* Frames the parent maps at heap, recorded in the heap page after them. */
static void record_frames(uint64_t *heap, uint64_t *out)
{
	for (unsigned i = 0; i < N; i++)
		out[i] = frame_of(heap + i * 512);
}

PROCTEST(copy_fork_contents_frames_isolation)
{
	uint64_t *heap = heap_pages(N + 1, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	uint64_t *frames = heap + N * 512;
	record_frames(heap, frames);
	long pid = sys_fork_copy();
	if (pid == 0) {
		if (bad_page(heap, N, 1) >= 0)
			sys_exit(2); /* contents equal */
		for (unsigned i = 0; i < N; i++)
			if (frame_of(heap + i * 512) == frames[i])
				sys_exit(3); /* frames distinct */
		fill_pages(heap, N, 6);
		sys_exit(0);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child status %d (2: contents, 3: shared frame)", status);
	CHECK(bad_page(heap, N, 1) < 0, "child's writes reached the parent");
	return 0;
}

/* Naive fork of R resident pages copies R pages, minus text if shared. */
static int copy_counters(int share_text)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	touch_stack();
	fork_share_text = share_text;
	uint64_t rss = layout_rss(), tables = current_pt_pages();
	uint64_t want = share_text ? rss - text_pages() : rss;
	long pid = sys_fork_copy();
	if (pid == 0)
		sys_exit(0);
	struct vmstat d = fork_last;
	CHECK(d.pages_copied == want, "copied %lu pages, want %lu (rss %lu)",
	      d.pages_copied, want, rss);
	CHECK(d.ptes_copied == rss, "ptes %lu, rss %lu", d.ptes_copied, rss);
	CHECK(d.pt_pages_alloc == tables, "tables %lu, want %lu",
	      d.pt_pages_alloc, tables);
	CHECK(d.tlb_full_flushes == 0 && d.cow_faults == 0,
	      "flushes %lu cow faults %lu", d.tlb_full_flushes, d.cow_faults);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	return 0;
}

PROCTEST(copy_counters_text_shared)
{
	return copy_counters(1);
}

PROCTEST(copy_counters_text_copied)
{
	return copy_counters(0);
}

/* Text stays shared: same frames in parent and child, even when naive. */
static int text_frames(long (*forkfn)(void), int want_shared)
{
	const void *text = (const void *)current->mm->text_start;
	uint64_t parent_frame = frame_of(text);
	CHECK(parent_frame, "text not mapped");
	long pid = forkfn();
	if (pid == 0)
		sys_exit(frame_of(text) == parent_frame ? 1 : 0);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(status == want_shared, "child text %s the parent's",
	      status ? "shares" : "does not share");
	return 0;
}

PROCTEST(text_shared_cow)
{
	return text_frames(sys_fork_cow, 1);
}

PROCTEST(text_shared_copy)
{
	return text_frames(sys_fork_copy, 1);
}

PROCTEST(text_copied_when_not_shared)
{
	fork_share_text = 0;
	return text_frames(sys_fork_copy, 0);
}
