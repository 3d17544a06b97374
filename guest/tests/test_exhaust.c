/*
 * Running out of frames: a fork fails with -ENOMEM, the parent keeps its
 * memory and can go on writing it, and nothing leaks (the harness checks
 * frame counts after every test). frame_set_cap stands in for a full RAM.
 */
#include "kernel/errno.h"
#include "kernel/frame.h"
#include "kernel/uapi.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

#define N 32

static uint64_t in_use(void)
{
	struct frame_counts c;
	frame_counts(&c);
	return c.used[FRAME_USER] + c.used[FRAME_PT];
}

static int fork_fails_cleanly(long (*forkfn)(void), uint64_t spare)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	touch_stack();
	frame_set_cap(in_use() + spare);
	long pid = forkfn();
	if (pid == 0)
		sys_exit(0);
	frame_set_cap(0);
	CHECK(pid == -ENOMEM, "fork with %lu spare frames returned %ld", spare,
	      pid);
	CHECK(bad_page(heap, N, 1) < 0, "parent memory damaged");
	fill_pages(heap, N, 2); /* still writable (COW leftovers are reused) */
	CHECK(bad_page(heap, N, 2) < 0, "parent cannot write its memory");
	return 0;
}

PROCTEST(fork_copy_out_of_frames)
{
	return fork_fails_cleanly(sys_fork_copy, N / 2);
}

PROCTEST(fork_cow_out_of_frames)
{
	return fork_fails_cleanly(sys_fork_cow, 3);
}

PROCTEST(cow_fault_out_of_frames_kills_writer)
{
	uint64_t *heap = heap_pages(N, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, N, 1);
	long pid = sys_fork_cow();
	if (pid == 0) {
		frame_set_cap(in_use());
		fill_pages(heap, N, 3); /* the first copy fails */
		sys_exit(0);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	frame_set_cap(0);
	CHECK(status == 128 + 9, "writer status %d, want 137", status);
	CHECK(bad_page(heap, N, 1) < 0, "parent memory damaged");
	return 0;
}

PROCTEST(heap_larger_than_ram_fails)
{
	long r = sys_sbrk(frame_total() + 1, 1);
	CHECK(r == -ENOMEM, "sbrk beyond RAM returned %ld", r);
	return 0; /* what was mapped before failing is freed at exit */
}
