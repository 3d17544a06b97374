/*
 * Processes. Every process runs in ring 0 (PLATFORM.md: ring 3 system
 * calls do not work under this project's KVM), on a user stack in its own
 * address space; the process API is entered like a system call, switching
 * to a per-process kernel stack in the kernel half. That keeps a process's
 * saved state out of memory a vfork child shares.
 */
#ifndef GUEST_PROC_H
#define GUEST_PROC_H

#include <stdint.h>

#include "kernel/sysentry.h"

#define NPROC 64
#define KSTACK_SIZE 16384

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
/* sysentry.S reaches these fields by offset. */
_Static_assert(__builtin_offsetof(struct proc, uctx) == PROC_UCTX,
	       "PROC_UCTX");
_Static_assert(__builtin_offsetof(struct proc, kstack_top) == PROC_KSTACK_TOP,
	       "PROC_KSTACK_TOP");

/* The process table: slot i runs on kernel stack i. */
extern struct proc procs[NPROC];
extern struct proc *initproc;

struct proc *proc_alloc(void);
void proc_free(struct proc *p);
/* Set up p's kernel stack so its first switch-in returns to user code. */
void proc_start_child(struct proc *p);
void proc_start_fn(struct proc *p, int (*fn)(long), long arg, uint64_t rsp);
/* Make p's next return to user code start fn(arg) on stack rsp. */
void proc_set_entry(struct proc *p, int (*fn)(long), long arg, uint64_t rsp);
/* Name p after its program (truncated to fit). */
void proc_set_name(struct proc *p, const char *name);
/* Processes in use (not UNUSED), and zombies among them. */
unsigned proc_count(void);
unsigned proc_zombies(void);

#endif
