/*
 * The process API's entry and exit. A call such as sys_fork() saves the
 * caller's callee-saved registers, return address and stack pointer in
 * current->uctx, runs the kernel function on the process's kernel stack,
 * and returns through current->uctx. A forked child starts at
 * fork_child_return with a copy of its parent's uctx: it "returns" from
 * the same call, with 0.
 */
#include "kernel/sysentry.h"

	.text
syscall_entry:			/* rax = kernel function, args untouched */
	movq current(%rip), %r11
	movq %rbx, PROC_UCTX + 0(%r11)
	movq %rbp, PROC_UCTX + 8(%r11)
	movq %r12, PROC_UCTX + 16(%r11)
	movq %r13, PROC_UCTX + 24(%r11)
	movq %r14, PROC_UCTX + 32(%r11)
	movq %r15, PROC_UCTX + 40(%r11)
	popq %r10
	movq %r10, PROC_UCTX + 48(%r11)	/* rip: the caller's return address */
	movq %rsp, PROC_UCTX + 56(%r11)	/* rsp: as it will be after return */
	movq PROC_KSTACK_TOP(%r11), %rsp
	call *%rax
	/* fall through with the result in rax */

	.globl ret_to_user
ret_to_user:
	movq current(%rip), %r11
	movq PROC_UCTX + 0(%r11), %rbx
	movq PROC_UCTX + 8(%r11), %rbp
	movq PROC_UCTX + 16(%r11), %r12
	movq PROC_UCTX + 24(%r11), %r13
	movq PROC_UCTX + 32(%r11), %r14
	movq PROC_UCTX + 40(%r11), %r15
	movq PROC_UCTX + 56(%r11), %rsp
	jmpq *PROC_UCTX + 48(%r11)

	.globl fork_child_return
fork_child_return:
	xorl %eax, %eax
	jmp ret_to_user

/* First code of an exec'd program or a clone(fn) child: exit(fn(arg)). */
	.globl user_start
user_start:
	movq %r12, %rdi
	callq *%r13
	movl %eax, %edi
	callq sys_exit
	ud2

.macro SYSCALL name, fn
	.globl \name
\name:
	leaq \fn(%rip), %rax
	jmp syscall_entry
.endm

SYSCALL sys_fork, k_fork
SYSCALL sys_fork_copy, k_fork_copy
SYSCALL sys_fork_cow, k_fork_cow
SYSCALL sys_fork_odf, k_fork_odf
SYSCALL sys_vfork, k_vfork
SYSCALL sys_clone, k_clone
SYSCALL sys_exec, k_exec
SYSCALL sys_spawn, k_spawn
SYSCALL sys_exit, k_exit
SYSCALL sys_wait, k_wait
SYSCALL sys_waitpid, k_waitpid
SYSCALL sys_getpid, k_getpid
SYSCALL sys_getppid, k_getppid
SYSCALL sys_yield, k_yield
SYSCALL sys_sbrk, k_sbrk
