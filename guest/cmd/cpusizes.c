/* Cache and TLB sizes from CPUID (cpusizes.h). */
#include "cmd/cpusizes.h"
#include "kernel/x86.h"

static uint32_t max_leaf(uint32_t base)
{
	uint32_t r[4];
	cpuid(base, 0, r);
	return r[0];
}

/* Intel's deterministic cache parameters (leaf 4): the level-2 entry. */
static uint64_t leaf4_l2_kb(void)
{
	uint32_t r[4];
	for (uint32_t sub = 0; sub < 8; sub++) {
		cpuid(4, sub, r);
		if ((r[0] & 0x1f) == 0)
			break;
		if (((r[0] >> 5) & 7) == 2) {
			uint64_t ways = (r[1] >> 22) + 1;
			uint64_t parts = ((r[1] >> 12) & 0x3ff) + 1;
			uint64_t line = (r[1] & 0xfff) + 1, sets = (uint64_t)r[2] + 1;
			return ways * parts * line * sets / 1024;
		}
	}
	return 0;
}

uint64_t cpu_l2_kb(void)
{
	uint64_t kb = max_leaf(0) >= 4 ? leaf4_l2_kb() : 0;
	if (kb == 0 && max_leaf(0x80000000) >= 0x80000006) {
		uint32_t r[4]; /* AMD: ECX[31:16], KiB (leaf 4 is empty there) */
		cpuid(0x80000006, 0, r);
		kb = r[2] >> 16;
	}
	return kb;
}

/* Intel leaf 0x18: the level-2 data or unified TLB that maps 4 KiB pages. */
static uint64_t leaf18_stlb(void)
{
	uint32_t r[4];
	cpuid(0x18, 0, r);
	uint32_t last = r[0];
	for (uint32_t sub = 0; sub <= last && sub < 32; sub++) {
		cpuid(0x18, sub, r);
		uint32_t type = r[3] & 0x1f, level = (r[3] >> 5) & 7;
		if ((type == 1 || type == 3) && level == 2 && (r[1] & 1))
			return (uint64_t)(r[1] >> 16) * r[2];
	}
	return 0;
}

uint64_t cpu_stlb_entries(void)
{
	uint64_t n = max_leaf(0) >= 0x18 ? leaf18_stlb() : 0;
	if (n == 0 && max_leaf(0x80000000) >= 0x80000006) {
		uint32_t r[4]; /* AMD: EBX[27:16] L2 DTLB 4K entries, [31:28] assoc */
		cpuid(0x80000006, 0, r);
		if (r[1] >> 28)
			n = (r[1] >> 16) & 0xfff;
	}
	return n;
}
