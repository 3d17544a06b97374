/*
 * Processes. Every process runs in ring 0 (PLATFORM.md: ring 3 system
 * calls do not work under this project's KVM), on a user stack in its own
 * address space; the process API is entered like a system call, switching
 * to a per-process kernel stack in the kernel half. That keeps a process's
 * saved state out of memory a vfork child shares.
 */
#ifndef GUEST_PROC_H
#define GUEST_PROC_H

#define NPROC 64
#define KSTACK_SIZE 16384

/* Offsets into struct proc used by sysentry.S. */
#define PROC_UCTX 0
#define PROC_KSTACK_TOP 64

#ifndef __ASSEMBLER__
#include <stdint.h>

struct mm;

/* The caller's state at the process-API call: what "returning" restores. */
struct uctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rip, rsp;
};

enum proc_state { P_UNUSED, P_RUNNABLE, P_BLOCKED, P_ZOMBIE };

struct proc {
	struct uctx uctx;     /* PROC_UCTX */
	uint64_t kstack_top;  /* PROC_KSTACK_TOP */
	uint64_t ksp;         /* saved kernel stack pointer (swtch) */
	int pid;
	enum proc_state state;
	struct proc *parent;
	struct mm *mm;
	int exit_status;
	const void *wait_chan;
	struct proc *vfork_parent; /* blocked in vfork until we exec/exit */
	struct proc *rq_next;
	char name[16];
};

extern struct proc *current;
extern struct proc *initproc;

struct proc *proc_alloc(void);
void proc_free(struct proc *p);
/* Set up p's kernel stack so its first switch-in returns to user code. */
void proc_start_child(struct proc *p);
void proc_start_fn(struct proc *p, int (*fn)(long), long arg, uint64_t rsp);
/* Make p's next return to user code start fn(arg) on stack rsp. */
void proc_set_entry(struct proc *p, int (*fn)(long), long arg, uint64_t rsp);
/* Processes in use (not UNUSED), and zombies among them. */
unsigned proc_count(void);
unsigned proc_zombies(void);

/* Scheduler (cooperative: a process runs until it blocks, yields or exits). */
void sched_enqueue(struct proc *p);
void sched_enqueue_front(struct proc *p);
void schedule(void);
void sched_yield(void);
void sleep_on(const void *chan);
void wakeup(const void *chan);
/* Run next now, current stays runnable and runs right after it. */
void sched_run_next(struct proc *next);
/* Leave the boot context for pid 1; returns never. */
__attribute__((noreturn)) void sched_start(struct proc *first);

extern int sched_child_first; /* policy after fork; vfork always child */

/* Assembly (swtch.S, sysentry.S). */
void swtch(uint64_t *save_ksp, uint64_t new_ksp);
void ret_to_user(void);
void fork_child_return(void);
void user_start(void);

/* Kernel halves of the process API (syscall.c, fork.c, exec.c). */
__attribute__((noreturn)) void do_exit(int status);
long do_clone(uint64_t flags, void *child_stack, int (*fn)(long), long arg);
long do_wait(long pid, int *status);
long do_exec(const char *name, long arg);
#endif

#endif
