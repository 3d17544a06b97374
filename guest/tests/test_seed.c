/*
 * The seed notes' programs: int cnt = 1. After fork the child sees 1 and
 * the parent (cnt++) 2. After vfork the child's cnt++ gives 2 and, since
 * the memory is shared, the parent's cnt++ then gives 3.
 */
#include "kernel/uapi.h"
#include "tests/proctest.h"

/* fork variant under test: a fork-like call that returns twice */
static int seed_fork_with(long (*forkfn)(void), const char *what)
{
	int cnt = 1;
	long pid = forkfn();
	CHECK(pid >= 0, "%s failed: %ld", what, pid);
	if (pid == 0) {
		kprintf("  %s child: cnt = %d\n", what, cnt);
		sys_exit(cnt);
	}
	cnt++;
	kprintf("  %s parent: cnt = %d\n", what, cnt);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(status == 1, "%s child saw cnt = %d, want 1", what, status);
	CHECK(cnt == 2, "%s parent has cnt = %d, want 2", what, cnt);
	return 0;
}

PROCTEST(seed_fork_cow)
{
	return seed_fork_with(sys_fork_cow, "fork_cow");
}

PROCTEST(seed_fork_copy)
{
	return seed_fork_with(sys_fork_copy, "fork_copy");
}

/*
 * cnt must live in memory: registers are the one thing a vfork child does
 * not share (the parent resumes with its own), as with vfork on Linux.
 */
static int seed_vfork_with(long (*vforkfn)(void), const char *what)
{
	volatile int cnt = 1;
	long pid = vforkfn();
	CHECK(pid >= 0, "%s failed: %ld", what, pid);
	if (pid == 0) {
		cnt++;
		kprintf("  %s child: cnt = %d\n", what, cnt);
		sys_exit(cnt);
	}
	cnt++;
	kprintf("  %s parent: cnt = %d\n", what, cnt);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid, "wait");
	CHECK(status == 2, "%s child had cnt = %d, want 2", what, status);
	CHECK(cnt == 3, "%s parent has cnt = %d, want 3", what, cnt);
	return 0;
}

PROCTEST(seed_vfork)
{
	return seed_vfork_with(sys_vfork, "vfork");
}

/* fork = clone(SIGCHLD); vfork = clone(CLONE_VM|CLONE_VFORK|SIGCHLD) */
static long clone_as_fork(void)
{
	return sys_clone(0, 0, SIGCHLD, 0);
}

static long clone_as_vfork(void)
{
	return sys_clone(0, 0, CLONE_VM | CLONE_VFORK | SIGCHLD, 0);
}

PROCTEST(seed_clone_as_fork)
{
	return seed_fork_with(clone_as_fork, "clone(SIGCHLD)");
}

PROCTEST(seed_clone_as_vfork)
{
	return seed_vfork_with(clone_as_vfork, "clone(CLONE_VM|CLONE_VFORK)");
}
