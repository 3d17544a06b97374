/*
 * The kernel's own GDT with a 64-bit TSS, needed for the double-fault IST
 * stack: a #DF caused by a broken kernel stack must not use that stack.
 */
#include <stdint.h>

#include "kernel/gdt.h"
#include "kernel/trap.h"

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_TSS 0x18

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss64 tss;
static uint64_t gdt[5] __attribute__((aligned(16)));
static uint8_t df_stack[8192] __attribute__((aligned(16)));
static uint8_t pf_stack[16384] __attribute__((aligned(16)));

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	uint64_t base;
};

static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		  (0x89ull << 40) /* present, 64-bit available TSS */ |
		  ((uint64_t)(limit >> 16 & 0xf) << 48) |
		  ((base >> 24 & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffull; /* kernel data */
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(uintptr_t)(df_stack +
							      sizeof(df_stack));
	tss.ist[IST_PAGE_FAULT - 1] = (uint64_t)(uintptr_t)(pf_stack +
							    sizeof(pf_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap */
	set_tss_descriptor(&gdt[3], (uint64_t)(uintptr_t)&tss, sizeof(tss) - 1);

	struct desc_ptr p = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_KCODE), "r"(SEL_KDATA),
			   "r"(SEL_TSS)
			 : "rax", "memory");
}
