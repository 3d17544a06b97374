/*
 * CPU exceptions: the IDT, the trap frame, and per-vector handlers. The
 * entry stubs are isr.S.
 */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include <stdint.h>

/* Layout pushed by isr.S below the hardware frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* Returns non-zero when it dealt with the trap and execution may resume. */
typedef int (*trap_handler_t)(struct trap_frame *tf);

void idt_init(void);
/* Install (or with NULL remove) the handler of a vector 0..31. */
void trap_set_handler(unsigned vector, trap_handler_t h);
const char *trap_name(unsigned vector);

/* Called by isr.S for every exception: the handler, else end the run. */
void trap_dispatch(struct trap_frame *tf);

#define IST_DOUBLE_FAULT 1
/*
 * Page faults get their own stack too: processes run in ring 0 on stacks
 * that COW write-protects, where pushing the fault frame would fault.
 */
#define IST_PAGE_FAULT 2

#endif
