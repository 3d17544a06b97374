/* vfork and clone: who runs when, and what memory is shared. */
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "tests/proctest.h"
#include "tests/testlib.h"

/* An event log in the kernel half: every process sees the same one. */
static char events[16];
static volatile unsigned nevents;

static void note(char e)
{
	if (nevents < sizeof(events))
		events[nevents++] = e;
}

static int exec_target(long arg)
{
	note('E'); /* the exec'd program runs */
	return (int)arg;
}
PROGRAM("test_exec_target", exec_target);

/* vfork: the parent does not run until the child execs or exits. */
PROCTEST(vfork_parent_waits_for_exec)
{
	nevents = 0;
	long pid = sys_vfork();
	if (pid == 0) {
		note('c');
		sys_yield(); /* even a yielding child keeps the parent blocked */
		note('c');
		sys_exec("test_exec_target", 9);
		sys_exit(99); /* exec failed */
	}
	note('P');
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 9, "status %d",
	      status);
	/* c c before P; the exec'd program may run before or after P */
	CHECK(nevents == 4 && events[0] == 'c' && events[1] == 'c',
	      "event order %c%c%c%c", events[0], events[1], events[2],
	      events[3]);
	return 0;
}

PROCTEST(vfork_parent_waits_for_exit)
{
	nevents = 0;
	long pid = sys_vfork();
	if (pid == 0) {
		note('c');
		sys_yield();
		note('c');
		sys_exit(4);
	}
	note('P');
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 4, "status");
	CHECK(nevents == 3 && events[2] == 'P', "parent ran before the child "
	      "exited: %c%c%c", events[0], events[1], events[2]);
	return 0;
}

PROCTEST(vfork_shares_address_space)
{
	uint64_t *heap = heap_pages(4, 1);
	CHECK(heap, "sbrk");
	struct mm *mine = current->mm;
	long pid = sys_vfork();
	if (pid == 0) {
		fill_pages(heap, 4, 7);
		sys_exit(current->mm == mine ? 0 : 1);
	}
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child ran in another mm");
	CHECK(bad_page(heap, 4, 7) < 0, "the child's writes are not visible");
	return 0;
}

struct thread_arg {
	uint64_t *heap;
	struct mm *mm;
};

static int thread_body(long arg)
{
	struct thread_arg *a = (struct thread_arg *)arg;
	fill_pages(a->heap, 4, 8);
	return current->mm == a->mm ? 0 : 1;
}

#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND)

PROCTEST(clone_vm_shares_memory)
{
	uint64_t *heap = heap_pages(4 + 4, 1);
	CHECK(heap, "sbrk");
	struct thread_arg a = { heap, current->mm };
	void *stack_top = heap + 8 * 512; /* the thread's stack: our heap */
	long pid = sys_clone(thread_body, stack_top, THREAD_FLAGS | SIGCHLD,
			     (long)&a);
	CHECK(pid > 0, "clone: %ld", pid);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "thread ran in another mm");
	CHECK(bad_page(heap, 4, 8) < 0, "the thread's writes are not visible");
	return 0;
}

static int writer_body(long arg)
{
	uint64_t *heap = (uint64_t *)arg;
	fill_pages(heap, 4, 9);
	return bad_page(heap, 4, 9) < 0 ? 0 : 1;
}

PROCTEST(clone_without_vm_is_fork)
{
	uint64_t *heap = heap_pages(4 + 4, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, 4, 1);
	long pid = sys_clone(writer_body, heap + 8 * 512, SIGCHLD, (long)heap);
	CHECK(pid > 0, "clone: %ld", pid);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0, "child status");
	CHECK(bad_page(heap, 4, 1) < 0, "the child's writes reached us");
	return 0;
}

PROCTEST(clone_fn_needs_stack)
{
	CHECK(sys_clone(writer_body, 0, SIGCHLD, 0) == -22, "EINVAL expected");
	return 0;
}
