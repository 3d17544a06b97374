/*
 * spawn: posix_spawn's semantics without fork's detour. The child gets a
 * new address space holding only the program image (mm_create, as exec
 * builds it) and a fresh stack, demand-faulted like exec's; nothing of
 * the parent's pages or page tables is copied or shared, not even for a
 * moment, so the call's cost does not depend on the parent's size.
 */
#include "kernel/spawn.h"
#include "kernel/errno.h"
#include "kernel/fork.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sched.h"
#include "kernel/vmstat.h"

long do_spawn(const char *name, long arg)
{
	const struct program *prog = program_find(name);
	if (!prog)
		return -ENOENT;
	/* A creation call: fork_last and its phases are now this one's. */
	fork_last_phases = (struct fork_phases){ 0 };
	struct vmstat before = vmstat;
	struct proc *child = proc_alloc();
	if (!child) {
		vmstat_since(&before, &fork_last);
		return -EAGAIN;
	}
	child->mm = mm_create();
	vmstat_since(&before, &fork_last);
	if (!child->mm) {
		proc_free(child);
		return -ENOMEM;
	}
	child->parent = current;
	proc_set_name(child, prog->name);
	proc_start_fn(child, prog->main, arg, STACK_TOP);
	long pid = child->pid;
	wake_up_new_task(child);
	return pid;
}
