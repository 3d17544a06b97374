/* The context switch between kernel stacks (swtch.S). */
#ifndef GUEST_SWTCH_H
#define GUEST_SWTCH_H

#include <stdint.h>

/*
 * Push the callee-saved registers, save the stack pointer in *save_ksp,
 * switch to new_ksp and pop the same registers from it.
 */
void swtch(uint64_t *save_ksp, uint64_t new_ksp);

#endif
