/*
 * PVH entry: the loader starts us in 32-bit protected mode, paging off,
 * EBX = guest-physical address of struct hvm_start_info.
 *
 * The boot page tables are static data (identity map of the first
 * FB_DIRECT_MAP_GIB GiB with 2 MiB global pages: all the RAM a VMM may
 * give us, above the 4 GiB hole too), so entering long mode costs a
 * handful of instructions: on a host whose KVM emulates ring 0 every
 * instruction of boot code is expensive. One PML4 slot covers 512 GiB:
 * slot 0 is the kernel half every process shares (kernel/vm.c).
 */
#include "fb_abi.h"

#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80
#define PTE_G 0x100
#define BOOT_STACK_SIZE 16384

	FB_PVH_NOTE(pvh_start)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl %ebx, %esi

	lgdt boot_gdt_ptr
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE), %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	ljmp $0x08, $long_mode

	.code64
long_mode:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl %esi, %edi		/* kmain(start_info_pa) */
	call kmain
1:	cli
	hlt
	jmp 1b

	.section .rodata
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .data.pagetables, "aw"
	.align 4096
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt + (PTE_P | PTE_W)
	.fill 511, 8, 0
boot_pdpt:
	.set i, 0
	.rept FB_DIRECT_MAP_GIB
	.quad boot_pd + (i << 12) + (PTE_P | PTE_W)
	.set i, i + 1
	.endr
	.fill 512 - FB_DIRECT_MAP_GIB, 8, 0
boot_pd:
	.set i, 0
	.rept FB_DIRECT_MAP_GIB * 512
	.quad (i << 21) | (PTE_P | PTE_W | PTE_PS | PTE_G)
	.set i, i + 1
	.endr

	.section .bss
	.align 16
	.globl boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
