/*
 * The smoke guest's entry: PVH (32-bit, paging off) to 64-bit mode with
 * the first 1 GiB identity mapped by 2 MiB pages, then smoke_main (given
 * the PVH start_info), whose status goes to the exit port.
 */
#include "fb_abi.h"

	FB_PVH_NOTE(pvh_start)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	movl $pd, %edi
	movl $0x83, %eax		/* present, writable, 2 MiB */
	movl $512, %ecx
1:	movl %eax, (%edi)
	movl $0, 4(%edi)
	addl $0x200000, %eax
	addl $8, %edi
	decl %ecx
	jnz 1b
	movl $pdpt + 3, pml4
	movl $pd + 3, pdpt
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3			/* the run's first CR3 write */
	movl $0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax		/* PG, PE */
	movl %eax, %cr0
	lgdt gdt_desc
	ljmp $8, $long_mode

	.code64
long_mode:
	movl $16, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq $stack_top, %rsp
	movl %ebx, %edi			/* PVH: the start_info's address */
	call smoke_main
	movw $FB_PORT_EXIT, %dx
	outl %eax, %dx
2:	hlt
	jmp 2b

	.section .rodata
	.align 8
gdt:	.quad 0
	.quad 0x00af9a000000ffff	/* 64-bit code */
	.quad 0x00cf92000000ffff	/* data */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

	.section .bss
	.align 4096
pml4:	.skip 4096
pdpt:	.skip 4096
pd:	.skip 4096
	.skip 16384
stack_top:
