/*
 * The smoke guest's regions, in assembly so that the test knows every
 * instruction and access inside them. Markers come straight after entry
 * and straight before ret: no stack access is inside a region.
 */
#include "fb_sim.h"
#include "smoke.h"

	.text

/* One 8-byte load per 4 KiB page: 4 instructions per page. */
	.macro LOADS name, tag
	.globl \name
\name:					/* rdi: base, esi: pages (> 0) */
	FB_SIM_MARKER(FB_SIM_OP_BEGIN, \tag)
1:	movq (%rdi), %rax
	addq $4096, %rdi
	decl %esi
	jnz 1b
	FB_SIM_MARKER(FB_SIM_OP_END, \tag)
	ret
	.endm

	LOADS loads_tag1, 1
	LOADS loads_tag2, 2

/* One 8-byte load per 64-byte line: 4 instructions per line. */
	.macro LINES name, tag
	.globl \name
\name:					/* rdi: base, esi: lines (> 0) */
	FB_SIM_MARKER(FB_SIM_OP_BEGIN, \tag)
1:	movq (%rdi), %rax
	addq $64, %rdi
	decl %esi
	jnz 1b
	FB_SIM_MARKER(FB_SIM_OP_END, \tag)
	ret
	.endm

	LINES lines_tag10, 10
	LINES lines_tag11, 11

/* Sequential 8-byte stores: 4 instructions per store. */
	.globl stores_tag3
stores_tag3:				/* rdi: base, esi: quads (> 0) */
	FB_SIM_MARKER(FB_SIM_OP_BEGIN, 3)
1:	movq %rax, (%rdi)
	addq $8, %rdi
	decl %esi
	jnz 1b
	FB_SIM_MARKER(FB_SIM_OP_END, 3)
	ret

/* The announcement's loads: byte i of ADDR, least significant first. */
	.macro ANNOUNCE addr
	FB_SIM_MARKER(FB_SIM_OP_ANNOUNCE, 0)
	movzbl fb_sim_window + ((\addr) & 0xff), %eax
	movzbl fb_sim_window + (((\addr) >> 8) & 0xff), %eax
	movzbl fb_sim_window + (((\addr) >> 16) & 0xff), %eax
	movzbl fb_sim_window + (((\addr) >> 24) & 0xff), %eax
	movzbl fb_sim_window + (((\addr) >> 32) & 0xff), %eax
	movzbl fb_sim_window + (((\addr) >> 40) & 0xff), %eax
	.endm

/*
 * P and Q are in the TLB; an announced invlpg of P, then P and Q again:
 * 3 instructions, 2 loads, P's translation missing (one walk).
 */
	.globl invlpg_tag4
invlpg_tag4:
	movq SMOKE_P, %rax
	movq SMOKE_Q, %rax
	FB_SIM_MARKER(FB_SIM_OP_BEGIN, 4)
	ANNOUNCE SMOKE_P
	invlpg SMOKE_P
	movq SMOKE_P, %rax
	movq SMOKE_Q, %rax
	FB_SIM_MARKER(FB_SIM_OP_END, 4)
	ret

/*
 * G (global) and N are in the TLB; a CR3 write, then G and N again:
 * 4 instructions, 2 loads, N's translation missing (one walk).
 */
	.globl cr3_tag5
cr3_tag5:
	movq SMOKE_G, %rax
	movq SMOKE_N, %rax
	FB_SIM_MARKER(FB_SIM_OP_BEGIN, 5)
	movq %cr3, %rax
	movq %rax, %cr3
	movq SMOKE_G, %rax
	movq SMOKE_N, %rax
	FB_SIM_MARKER(FB_SIM_OP_END, 5)
	ret
