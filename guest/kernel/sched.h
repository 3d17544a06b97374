/*
 * The scheduler: cooperative, a process runs until it blocks, yields or
 * exits. The context switch itself is swtch.S (swtch.h).
 */
#ifndef GUEST_SCHED_H
#define GUEST_SCHED_H

struct proc;

extern struct proc *current;
extern int sched_child_first; /* policy after fork; vfork always child */

void sched_enqueue(struct proc *p);
void sched_enqueue_front(struct proc *p);
void schedule(void);
void sched_yield(void);
void sleep_on(const void *chan);
void wakeup(const void *chan);
/*
 * A new child becomes runnable: it runs now (sched_child_first, current
 * right after it) or after those already waiting.
 */
void wake_up_new_task(struct proc *child);
/* Run next now, current stays runnable and runs right after it. */
void sched_run_next(struct proc *next);
/* Leave the boot context for pid 1; returns never. */
__attribute__((noreturn)) void sched_start(struct proc *first);

#endif
