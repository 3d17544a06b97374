/*
 * Cache and TLB sizes from CPUID, Intel's leaves or AMD's: what the TLB
 * and cache probes size their passes by. Header-only and freestanding,
 * so that our guest (ring 3 may execute CPUID), forkbench host and the
 * Linux peer's /init size them by the same rules.
 */
#ifndef FB_CPUSIZES_H
#define FB_CPUSIZES_H

#include <stdint.h>

static inline void fb_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint32_t fb_cpuid_max_leaf(uint32_t base)
{
	uint32_t r[4];
	fb_cpuid(base, 0, r);
	return r[0];
}

/* Intel's deterministic cache parameters (leaf 4): the level-2 entry. */
static inline uint64_t fb_leaf4_l2_kb(void)
{
	uint32_t r[4];
	for (uint32_t sub = 0; sub < 8; sub++) {
		fb_cpuid(4, sub, r);
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

/* L2 size in KiB (Intel leaf 4, AMD 0x80000006 ECX); 0 when not reported. */
static inline uint64_t fb_cpu_l2_kb(void)
{
	uint64_t kb = fb_cpuid_max_leaf(0) >= 4 ? fb_leaf4_l2_kb() : 0;
	if (kb == 0 && fb_cpuid_max_leaf(0x80000000) >= 0x80000006) {
		uint32_t r[4]; /* AMD: ECX[31:16], KiB (leaf 4 is empty there) */
		fb_cpuid(0x80000006, 0, r);
		kb = r[2] >> 16;
	}
	return kb;
}

/* Intel leaf 0x18: the level-2 data or unified TLB that maps 4 KiB pages. */
static inline uint64_t fb_leaf18_stlb(void)
{
	uint32_t r[4];
	fb_cpuid(0x18, 0, r);
	uint32_t last = r[0];
	for (uint32_t sub = 0; sub <= last && sub < 32; sub++) {
		fb_cpuid(0x18, sub, r);
		uint32_t type = r[3] & 0x1f, level = (r[3] >> 5) & 7;
		if ((type == 1 || type == 3) && level == 2 && (r[1] & 1))
			return (uint64_t)(r[1] >> 16) * r[2];
	}
	return 0;
}

/*
 * Second-level (shared) TLB entries for 4 KiB pages (Intel leaf 0x18,
 * AMD 0x80000006 EBX); 0 when not reported.
 */
static inline uint64_t fb_cpu_stlb_entries(void)
{
	uint64_t n = fb_cpuid_max_leaf(0) >= 0x18 ? fb_leaf18_stlb() : 0;
	if (n == 0 && fb_cpuid_max_leaf(0x80000000) >= 0x80000006) {
		uint32_t r[4]; /* AMD: EBX[27:16] L2 DTLB 4K entries, [31:28] assoc */
		fb_cpuid(0x80000006, 0, r);
		if (r[1] >> 28)
			n = (r[1] >> 16) & 0xfff;
	}
	return n;
}

#endif
