/*
 * swtch(save_ksp, new_ksp): switch kernel stacks. The callee-saved
 * registers go on the old stack, whose pointer is saved; the new stack
 * holds the same six registers and a return address (a fresh process's
 * stack is built to look alike, see proc_start_*).
 */
	.text
	.globl swtch
swtch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
