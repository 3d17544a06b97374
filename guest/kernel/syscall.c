/* The kernel halves of the process API, entered from sysentry.S. */
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/fork.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spawn.h"
#include "kernel/uapi.h"

/* The fork family: each a clone with its flags (fork.c). */
long k_fork(void)
{
	return do_clone(SIGCHLD | (fork_default == FORK_COPY ? CLONE_FB_EAGER : 0),
			0, 0, 0);
}

long k_fork_copy(void)
{
	return do_clone(SIGCHLD | CLONE_FB_EAGER, 0, 0, 0);
}

long k_fork_cow(void)
{
	return do_clone(SIGCHLD, 0, 0, 0);
}

long k_fork_odf(void)
{
	return do_clone(SIGCHLD | CLONE_FB_ODF, 0, 0, 0);
}

long k_vfork(void)
{
	return do_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0);
}

long k_clone(int (*fn)(long), void *child_stack, uint64_t flags, long arg)
{
	if (fn && !child_stack)
		return -EINVAL; /* fn needs a stack to run on */
	return do_clone(flags, child_stack, fn, arg);
}

long k_exec(const char *name, long arg)
{
	return do_exec(name, arg);
}

long k_spawn(const char *name, long arg)
{
	return do_spawn(name, arg);
}

void k_exit(int status)
{
	do_exit(status);
}

long k_wait(int *status)
{
	return do_wait(-1, status);
}

long k_waitpid(long pid, int *status)
{
	if (pid < -1 || pid == 0)
		return -EINVAL;
	return do_wait(pid, status);
}

long k_getpid(void)
{
	return current->pid;
}

long k_getppid(void)
{
	return current->parent ? current->parent->pid : 0;
}

long k_yield(void)
{
	sched_yield();
	return 0;
}

long k_sbrk(uint64_t pages, int touch)
{
	return mm_grow_heap(current->mm, pages, touch);
}
