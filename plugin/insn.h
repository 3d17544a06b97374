/*
 * The instructions the plugin recognises from their bytes at translation
 * time: markers (include/fb_sim.h), CR3 writes and invlpg.
 */
#ifndef FBSIM_INSN_H
#define FBSIM_INSN_H

#include <stddef.h>
#include <stdint.h>

/* 1 and *op, *tag set when the bytes are exactly a marker. */
int insn_marker(const uint8_t *b, size_t len, unsigned *op, unsigned *tag);

/* 1 for mov %reg,%cr3: [prefixes][REX] 0f 22 /3 (REX.R clear). */
int insn_cr3_write(const uint8_t *b, size_t len);

/* 1 for invlpg m: [prefixes][REX] 0f 01 /7 with a memory operand. */
int insn_invlpg(const uint8_t *b, size_t len);

#endif
