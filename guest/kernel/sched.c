/*
 * A cooperative scheduler with a FIFO run queue. Nothing preempts a
 * process, so runs are deterministic: the order of events depends only on
 * the programs and the child-first/parent-first policy.
 */
#include "kernel/sched.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/swtch.h"
#include "kernel/vm.h"
#include "kernel/x86.h"

struct proc *current;
int sched_child_first;

static struct proc *rq_head, *rq_tail;
static uint64_t boot_ksp; /* kmain's stack, left for good at sched_start */

void sched_enqueue(struct proc *p)
{
	p->rq_next = 0;
	if (rq_tail)
		rq_tail->rq_next = p;
	else
		rq_head = p;
	rq_tail = p;
}

void sched_enqueue_front(struct proc *p)
{
	p->rq_next = rq_head;
	rq_head = p;
	if (!rq_tail)
		rq_tail = p;
}

static struct proc *dequeue(void)
{
	struct proc *p = rq_head;
	if (p) {
		rq_head = p->rq_next;
		if (!rq_head)
			rq_tail = 0;
	}
	return p;
}

static void switch_to(struct proc *next)
{
	struct proc *prev = current;
	uint64_t pml4 = next->mm ? next->mm->pml4 : kernel_pml4();
	current = next;
	if (read_cr3() != pml4)
		write_cr3(pml4);
	if (prev != next)
		swtch(&prev->ksp, next->ksp);
}

void schedule(void)
{
	struct proc *next = dequeue();
	if (!next) {
		if (current->state == P_RUNNABLE)
			return; /* nobody else wants the CPU */
		kprintf("sched: deadlock, every process is blocked (pid %d last)\n",
			current->pid);
		fb_exit(FB_STATUS_FAIL);
	}
	switch_to(next);
}

void sched_yield(void)
{
	sched_enqueue(current);
	schedule();
}

void sched_run_next(struct proc *next)
{
	sched_enqueue_front(current);
	switch_to(next);
}

void wake_up_new_task(struct proc *child)
{
	if (sched_child_first)
		sched_run_next(child);
	else
		sched_enqueue(child);
}

void sleep_on(const void *chan)
{
	current->state = P_BLOCKED;
	current->wait_chan = chan;
	schedule();
	current->wait_chan = 0;
}

void wakeup(const void *chan)
{
	for (unsigned i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state == P_BLOCKED && p->wait_chan == chan) {
			p->state = P_RUNNABLE;
			sched_enqueue(p);
		}
	}
}

void sched_start(struct proc *first)
{
	uint64_t pml4 = first->mm->pml4;
	current = first;
	write_cr3(pml4);
	swtch(&boot_ksp, first->ksp);
	halt_forever(); /* nothing switches back to the boot stack */
}
