/*
 * exit and wait: a process that exits releases its address space at once
 * but stays a zombie holding its status until its parent's wait collects
 * it. Its children go to init (pid 1), which reaps them.
 */
#include "kernel/exit.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/vm.h"

static void release_mm(struct proc *p)
{
	if (!p->mm)
		return;
	/* Leave the page tables before they may be freed. */
	write_cr3(kernel_pml4());
	mm_put(p->mm);
	p->mm = 0;
}

/* A vfork parent waits for exec or exit: either lets it go on. */
void vfork_release(struct proc *p)
{
	if (!p->vfork_parent)
		return;
	p->vfork_parent = 0;
	wakeup(&p->vfork_parent);
}

static void reparent_children(struct proc *p)
{
	for (unsigned i = 0; i < NPROC; i++) {
		struct proc *c = &procs[i];
		if (c->state == P_UNUSED || c->parent != p)
			continue;
		c->parent = initproc;
		if (c->state == P_ZOMBIE)
			wakeup(initproc);
	}
}

static __attribute__((noreturn)) void init_exit(int status)
{
	if (status >= FB_STATUS_PASS && status <= FB_STATUS_NOMEM)
		fb_exit((unsigned)status);
	kprintf("init: exited with status %d (killed?)\n", status);
	fb_exit(FB_STATUS_FAIL);
}

void do_exit(int status)
{
	struct proc *p = current;
	if (p == initproc) /* init's status is the run's status */
		init_exit(status);
	release_mm(p);
	vfork_release(p);
	reparent_children(p);
	p->exit_status = status;
	p->state = P_ZOMBIE;
	wakeup(p->parent);
	schedule();
	fb_exit(FB_STATUS_FAIL); /* a zombie was scheduled: cannot happen */
}

/* Collect a zombie child: its slot is free again. */
static long reap(struct proc *c, int *status)
{
	long pid = c->pid;
	if (status)
		*status = c->exit_status;
	proc_free(c);
	return pid;
}

long do_wait(long pid, int *status)
{
	struct proc *p = current;
	for (;;) {
		int have = 0;
		for (unsigned i = 0; i < NPROC; i++) {
			struct proc *c = &procs[i];
			if (c->state == P_UNUSED || c->parent != p ||
			    (pid != -1 && c->pid != pid))
				continue;
			have = 1;
			if (c->state == P_ZOMBIE)
				return reap(c, status);
		}
		if (!have)
			return -ECHILD;
		sleep_on(p);
	}
}
