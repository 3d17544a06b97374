/*
 * The model's parameters: TLB and cache geometry, from a named preset or
 * from the host CPU's CPUID. Independent of QEMU (unit-tested alone).
 */
#ifndef FBSIM_SIZES_H
#define FBSIM_SIZES_H

#include <stddef.h>
#include <stdint.h>

/* One set-associative TLB array; ways == entries is fully associative. */
struct sim_tlb_geom {
	unsigned entries, ways;
};

struct sim_cache_geom {
	uint64_t bytes;
	unsigned ways, line;
};

struct sim_sizes {
	/*
	 * "skylake", "zen3" or "cpuid", then ":" and what CPUID did not say
	 * and the model assumed (e.g. "cpuid:l3_ways_assumed_16")
	 */
	char source[48];
	struct sim_tlb_geom l1dtlb_4k, l1dtlb_2m;
	/*
	 * The second-level TLB: one array for 4 KiB and 2 MiB entries when
	 * stlb_2m_shared, else stlb holds 4 KiB entries and stlb_2m the
	 * 2 MiB ones (entries 0: 2 MiB pages have no second level).
	 */
	struct sim_tlb_geom stlb, stlb_2m;
	int stlb_2m_shared;
	struct sim_cache_geom l1d, l2, llc;
};

/* cpuid(leaf, subleaf) -> eax, ebx, ecx, edx: the host's, or a test's. */
typedef void (*sim_cpuid_fn)(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* 0 and *s filled for "skylake" or "zen3"; -1 for any other name. */
int sim_sizes_preset(const char *name, struct sim_sizes *s);

/*
 * Fill *s from CPUID (Intel leaves 2, 4 and 0x18; AMD 0x80000005/6 and
 * 0x8000001D). 0 on success; -1 with the reason in err when the CPU does
 * not report something the model needs.
 */
int sim_sizes_cpuid(sim_cpuid_fn cpuid, struct sim_sizes *s, char *err,
		    size_t errlen);

/* The host's own CPUID instruction. */
void sim_host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* 0 when every array is usable by the model (entries a multiple of ways). */
int sim_sizes_check(const struct sim_sizes *s, char *err, size_t errlen);

/*
 * The parameters as the key=value words of the output's first line:
 * "source=skylake l1dtlb_4k=64/4 l1dtlb_2m=32/4 stlb=1536/12
 * stlb_2m=shared l1d=32/8/64 l2=256/4/64 llc=8192/16/64" (caches in KiB).
 */
int sim_sizes_format(const struct sim_sizes *s, char *buf, size_t len);

#endif
