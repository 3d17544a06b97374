/* The small members of the process API (kernel side of sysentry.S). */
#include "errno.h"
#include "mm.h"
#include "proc.h"

void k_exit(int status);
void k_exit(int status)
{
	do_exit(status);
}

long k_wait(int *status);
long k_wait(int *status)
{
	return do_wait(-1, status);
}

long k_waitpid(long pid, int *status);
long k_waitpid(long pid, int *status)
{
	if (pid < -1 || pid == 0)
		return -EINVAL;
	return do_wait(pid, status);
}

long k_getpid(void);
long k_getpid(void)
{
	return current->pid;
}

long k_getppid(void);
long k_getppid(void)
{
	return current->parent ? current->parent->pid : 0;
}

long k_yield(void);
long k_yield(void)
{
	sched_yield();
	return 0;
}

long k_sbrk(uint64_t pages, int touch);
long k_sbrk(uint64_t pages, int touch)
{
	return mm_grow_heap(current->mm, pages, touch);
}
