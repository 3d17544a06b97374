/*
 * The kernel's own GDT with a 64-bit TSS, whose IST stacks (trap.h) take
 * double faults and page faults.
 */
#ifndef GUEST_GDT_H
#define GUEST_GDT_H

void gdt_init(void);

#endif
