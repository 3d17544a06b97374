/*
 * Bringing up the process model and pid 1: the frame allocator, the
 * page-fault handler, init's address space, and the switch to it. The
 * commands that run processes (bench, forksize, proctest) start here.
 */
#include "kernel/procinit.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/fault.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"

void proc_boot(int (*fn)(long), long arg)
{
	if (frame_init() < 0)
		fb_exit(FB_STATUS_NOMEM);
	fault_init();
	struct proc *p = proc_alloc();
	struct mm *mm = p ? mm_create() : 0;
	if (!mm) {
		kprintf("init: no memory for pid 1\n");
		fb_exit(FB_STATUS_NOMEM);
	}
	p->mm = mm;
	memcpy(p->name, "init", 5);
	initproc = p;
	proc_start_fn(p, fn, arg, STACK_TOP);
	sched_start(p);
}
