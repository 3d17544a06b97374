/*
 * The process API's entry and exit (sysentry.S). Programs call its user
 * halves, the sys_* of uapi.h; these are its kernel-side entry points,
 * and the offsets into struct proc it uses (checked in proc.h).
 */
#ifndef GUEST_SYSENTRY_H
#define GUEST_SYSENTRY_H

#define PROC_UCTX 0
#define PROC_KSTACK_TOP 64

#ifndef __ASSEMBLER__
/* Return to user code through current->uctx (result in rax). */
void ret_to_user(void);
/* A forked child's first return to user code: 0 from the parent's call. */
void fork_child_return(void);
/* First code of an exec'd program or a clone(fn) child: exit(fn(arg)). */
void user_start(void);
#endif

#endif
