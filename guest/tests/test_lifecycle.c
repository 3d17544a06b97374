/*
 * exec, exit, wait, zombies, orphans, real faults, and the scheduling
 * policy's effect on COW copies for fork+exec.
 */
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

static int exec_probe(long arg)
{
	/* A fresh image: no heap, only what the new program touched. */
	const struct mm *mm = current->mm;
	if (mm->brk != HEAP_BASE)
		return 100;
	return (int)arg;
}
PROGRAM("test_exec_probe", exec_probe);

PROCTEST(exec_replaces_image)
{
	long pid = sys_fork_cow();
	if (pid == 0) {
		uint64_t *heap = heap_pages(8, 1);
		if (!heap)
			sys_exit(101);
		fill_pages(heap, 8, 1);
		sys_exec("test_exec_probe", 42);
		sys_exit(102);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(status == 42, "exec'd program status %d (100: old heap kept)",
	      status);
	return 0;
}

PROCTEST(exec_unknown_program_fails)
{
	CHECK(sys_exec("no_such_program", 0) == -ENOENT, "ENOENT expected");
	return 0;
}

PROCTEST(exit_status_reaches_wait)
{
	long a = sys_fork_cow();
	if (a == 0)
		sys_exit(7);
	long b = sys_fork_cow();
	if (b == 0)
		sys_exit(8);
	int sa, sb;
	CHECK(sys_waitpid(b, &sb) == b && sb == 8, "b: %d", sb);
	CHECK(sys_waitpid(a, &sa) == a && sa == 7, "a: %d", sa);
	CHECK(sys_wait(0) == -ECHILD, "no children left");
	return 0;
}

PROCTEST(zombie_until_reaped)
{
	long pid = sys_fork_cow();
	if (pid == 0)
		sys_exit(0);
	sys_yield(); /* the child runs and exits */
	CHECK(proc_zombies() == 1, "%u zombies before wait", proc_zombies());
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(proc_zombies() == 0, "%u zombies after wait", proc_zombies());
	return 0;
}

static volatile long orphan_ppid;

/* B forks C and exits at once; C, orphaned, must find init its parent. */
PROCTEST(orphans_go_to_init)
{
	orphan_ppid = -1;
	long b = sys_fork_cow();
	if (b == 0) {
		long c = sys_fork_cow();
		if (c == 0) {
			while (proc_zombies() == 0) /* until B has exited */
				sys_yield();
			orphan_ppid = sys_getppid();
			sys_exit(0);
		}
		sys_exit(0);
	}
	int status;
	CHECK(sys_waitpid(b, &status) == b, "wait for B");
	while (orphan_ppid == -1)
		sys_yield();
	CHECK(orphan_ppid == 1, "orphan's parent is pid %ld", orphan_ppid);
	return 0; /* init reaps C; the harness checks nothing is left */
}

PROCTEST(getpid_getppid)
{
	long me = sys_getpid();
	long pid = sys_fork_cow();
	if (pid == 0)
		sys_exit(sys_getppid() == me ? 0 : 1);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "ppid");
	CHECK(pid != me && sys_getppid() == 1, "pids");
	return 0;
}

PROCTEST(real_fault_kills_only_the_process)
{
	long pid = sys_fork_cow();
	if (pid == 0) {
		*(volatile uint64_t *)current->mm->text_start = 1;
		sys_exit(0);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 139,
	      "write to text: status %d", status);
	pid = sys_fork_cow();
	if (pid == 0) {
		(void)*(volatile uint64_t *)(HEAP_BASE + (1ull << 30));
		sys_exit(0);
	}
	CHECK(sys_waitpid(pid, &status) == pid && status == 139,
	      "read outside regions: status %d", status);
	return 0;
}

PROCTEST(demand_paging_heap)
{
	uint64_t *heap = heap_pages(8, 0);
	CHECK(heap, "sbrk");
	struct vmstat before = vmstat, d;
	fill_pages(heap, 8, 3);
	vmstat_since(&before, &d);
	CHECK(d.demand_faults == 8, "%lu demand faults, want 8",
	      d.demand_faults);
	CHECK(bad_page(heap, 8, 3) < 0, "contents");
	return 0;
}

/*
 * fork + exec from a dirty parent: child first, the child execs before
 * the parent writes, so the parent's writes all reuse their frames; parent
 * first, every write while the child still shares them is a copy.
 */
static int fork_exec_copies(int child_first, uint64_t *copies)
{
	uint64_t *heap = heap_pages(16, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, 16, 1);
	sched_child_first = child_first;
	long pid = sys_fork_cow();
	if (pid == 0) {
		sys_exec("true", 0);
		sys_exit(1);
	}
	fill_pages(heap, 0, 2); /* the call's stack pages first */
	struct vmstat before = vmstat, d;
	fill_pages(heap, 16, 2);
	vmstat_since(&before, &d);
	*copies = d.cow_copies;
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child");
	return 0;
}

PROCTEST(child_first_avoids_cow_copies)
{
	uint64_t child_first, parent_first;
	CHECK(fork_exec_copies(1, &child_first) == 0, "child-first run");
	CHECK(fork_exec_copies(0, &parent_first) == 0, "parent-first run");
	kprintf("  COW copies after fork+exec: child first %lu, parent first %lu\n",
		child_first, parent_first);
	CHECK(child_first == 0, "child first: %lu copies", child_first);
	CHECK(parent_first == 16, "parent first: %lu copies", parent_first);
	return 0;
}
