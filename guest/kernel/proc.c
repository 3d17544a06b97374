/* The process table and the kernel stacks of new processes. */
#include "kernel/proc.h"
#include "kernel/lib.h"
#include "kernel/sysentry.h"

struct proc procs[NPROC];
struct proc *initproc;
static uint8_t kstacks[NPROC][KSTACK_SIZE] __attribute__((aligned(16)));
static int next_pid = 1;

struct proc *proc_alloc(void)
{
	for (unsigned i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state != P_UNUSED)
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = next_pid++;
		p->state = P_RUNNABLE;
		p->kstack_top = (uint64_t)(uintptr_t)(kstacks[i] + KSTACK_SIZE);
		return p;
	}
	return 0;
}

void proc_free(struct proc *p)
{
	p->state = P_UNUSED;
	p->pid = 0;
}

/* A kernel stack that swtch() "returns" into entry with zeroed registers. */
static void build_switch_frame(struct proc *p, void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)(uintptr_t)p->kstack_top;
	*--sp = 0; /* alignment: entry sees the stack as after a call */
	*--sp = (uint64_t)(uintptr_t)entry;
	for (int i = 0; i < 6; i++) /* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
	p->ksp = (uint64_t)(uintptr_t)sp;
}

void proc_start_child(struct proc *p)
{
	build_switch_frame(p, fork_child_return);
}

void proc_set_entry(struct proc *p, int (*fn)(long), long arg, uint64_t rsp)
{
	p->uctx = (struct uctx){ .r12 = (uint64_t)arg,
				 .r13 = (uint64_t)(uintptr_t)fn,
				 .rip = (uint64_t)(uintptr_t)user_start,
				 .rsp = rsp };
}

void proc_start_fn(struct proc *p, int (*fn)(long), long arg, uint64_t rsp)
{
	proc_set_entry(p, fn, arg, rsp);
	build_switch_frame(p, ret_to_user);
}

void proc_set_name(struct proc *p, const char *name)
{
	size_t n = strlen(name);
	if (n >= sizeof(p->name))
		n = sizeof(p->name) - 1;
	memcpy(p->name, name, n);
	p->name[n] = '\0';
}

unsigned proc_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NPROC; i++)
		n += procs[i].state != P_UNUSED;
	return n;
}

unsigned proc_zombies(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < NPROC; i++)
		n += procs[i].state == P_ZOMBIE;
	return n;
}
