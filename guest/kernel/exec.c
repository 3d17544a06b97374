/*
 * exec: replace the caller's address space with a program's fresh image
 * and start it. The old address space is released (a vfork parent, which
 * shares it, keeps it and is let go). Programs are found by name among
 * those built into the image (program.h); "true" is here, for every
 * command's fork+exec. spawn (spawn.c) starts a program the same way, in
 * a new process.
 */
#include "kernel/exec.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/sched.h"
#include "kernel/vm.h"

/* The PROGRAM entries (section .programs), bounded by guest.ld. */
extern const struct program __programs_start[], __programs_end[];

const struct program *program_find(const char *name)
{
	for (const struct program *p = __programs_start; p < __programs_end; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return 0;
}

static int exec_true(long arg)
{
	(void)arg;
	return 0;
}
PROGRAM("true", exec_true);

long do_exec(const char *name, long arg)
{
	const struct program *prog = program_find(name);
	if (!prog)
		return -ENOENT;
	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	struct proc *p = current;
	struct mm *old = p->mm;
	p->mm = mm;
	write_cr3(mm->pml4);
	if (old)
		mm_put(old);
	vfork_release(p);
	proc_set_name(p, prog->name);
	/* Only the user entry: we are running on p's kernel stack. */
	proc_set_entry(p, prog->main, arg, STACK_TOP);
	return 0; /* ret_to_user now enters the program */
}
