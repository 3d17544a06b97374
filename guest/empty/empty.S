/*
 * The empty guest of the boot benchmark: a PVH entry that reports PASS on
 * the exit port at once, so a run measures the monitor, not the kernel.
 */
#include "fb_abi.h"

	FB_PVH_NOTE(pvh_start)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	movl $FB_STATUS_PASS, %eax
	movw $FB_PORT_EXIT, %dx
	outl %eax, %dx
1:	hlt
	jmp 1b
