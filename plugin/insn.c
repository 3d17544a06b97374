/*
 * Instruction-byte recognition. x86 prefixes come in any order before the
 * opcode, a REX prefix (64-bit mode) last; QEMU hands the plugin each
 * instruction's bytes, so a 0x40-0x4f first byte followed by 0f is a REX.
 */
#include "insn.h"

#include "fb_sim.h"

#define MARKER_LEN 7

int insn_marker(const uint8_t *b, size_t len, unsigned *op, unsigned *tag)
{
	if (len != MARKER_LEN || b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x80)
		return 0;
	uint32_t disp = (uint32_t)b[3] | (uint32_t)b[4] << 8 |
			(uint32_t)b[5] << 16 | (uint32_t)b[6] << 24;
	if (disp >> 16 != FB_SIM_MAGIC)
		return 0;
	*op = (disp >> 8) & 0xff;
	*tag = disp & 0xff;
	return 1;
}

static int is_legacy_prefix(uint8_t c)
{
	switch (c) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return 1;
	default:
		return 0;
	}
}

/*
 * The ModRM byte of a two-byte opcode 0f OP after the prefixes; -1 when
 * the instruction is not 0f OP. *rex gets the REX prefix (0 if none).
 */
static int modrm_of(const uint8_t *b, size_t len, uint8_t opcode, uint8_t *rex)
{
	size_t i = 0;
	while (i < len && is_legacy_prefix(b[i]))
		i++;
	*rex = 0;
	if (i < len && (b[i] & 0xf0) == 0x40)
		*rex = b[i++];
	if (i + 3 > len)
		return -1;
	if (b[i] != 0x0f || b[i + 1] != opcode)
		return -1;
	return b[i + 2];
}

int insn_cr3_write(const uint8_t *b, size_t len)
{
	uint8_t rex;
	int modrm = modrm_of(b, len, 0x22, &rex);
	return modrm >= 0 && ((modrm >> 3) & 7) == 3 && !(rex & 0x4);
}

int insn_invlpg(const uint8_t *b, size_t len)
{
	uint8_t rex;
	int modrm = modrm_of(b, len, 0x01, &rex);
	return modrm >= 0 && ((modrm >> 3) & 7) == 7 && (modrm >> 6) != 3;
}
