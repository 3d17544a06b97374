/*
 * Model parameters: presets with their sources, and CPUID decoding.
 */
#include "sizes.h"

#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#define KIB 1024ull
#define MIB (1024ull * 1024ull)

static const struct sim_sizes presets[] = {
	/*
	 * Intel Skylake client. TLBs: Intel 64 and IA-32 Architectures
	 * Optimization Reference Manual (248966-045, February 2022),
	 * Table 2-15: DTLB 4 KiB 64 entries 4-way, 2/4 MiB 32 entries 4-way,
	 * STLB 4 KiB+2 MiB 1536 entries 12-way (CPUID leaf 2 descriptor 0xC3
	 * says 6-way for the same STLB; the model follows the manual).
	 * Caches: the same manual's Skylake client cache table: L1D 32 KiB
	 * 8-way, L2 256 KiB 4-way, L3 "up to 2 MB per core, up to 16 ways",
	 * 64-byte lines; the LLC here is that bound for 4 cores (8 MiB, as
	 * on a 4-core part such as the i7-6700K).
	 */
	{ .source = "skylake",
	  .l1dtlb_4k = { 64, 4 },
	  .l1dtlb_2m = { 32, 4 },
	  .stlb = { 1536, 12 },
	  .stlb_2m_shared = 1,
	  .l1d = { 32 * KIB, 8, 64 },
	  .l2 = { 256 * KIB, 4, 64 },
	  .llc = { 8 * MIB, 16, 64 } },
	/*
	 * AMD Zen 3. TLBs: Software Optimization Guide for AMD Family 19h
	 * Processors (pub. 56665): the L1 DTLB has 64 entries, fully
	 * associative, for every page size (one array on the CPU; the model
	 * has a 4 KiB and a 2 MiB array, each given the 64 entries); the L2
	 * DTLB has 2048 entries for 4 KiB and 2 MiB pages. AMD gives the L2
	 * DTLB no plain associativity (it is skewed by page size); 16 ways
	 * (128 sets) is this model's choice, not an AMD figure.
	 * Caches: L1D 32 KiB 8-way, L2 512 KiB 8-way, L3 32 MiB 16-way per
	 * 8-core CCD, 64-byte lines: the same guide, and QEMU 7.2's own
	 * EPYC-Milan CPU model (target/i386/cpu.c, epyc_milan_cache_info).
	 */
	{ .source = "zen3",
	  .l1dtlb_4k = { 64, 64 },
	  .l1dtlb_2m = { 64, 64 },
	  .stlb = { 2048, 16 },
	  .stlb_2m_shared = 1,
	  .l1d = { 32 * KIB, 8, 64 },
	  .l2 = { 512 * KIB, 8, 64 },
	  .llc = { 32 * MIB, 16, 64 } },
};

int sim_sizes_preset(const char *name, struct sim_sizes *s)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(name, presets[i].source) == 0) {
			*s = presets[i];
			return 0;
		}
	}
	return -1;
}

void sim_host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

/* ---- Intel ------------------------------------------------------------ */

enum tlb_kind { L1_4K, L1_2M, L1_4K_2M, STLB_4K, STLB_4K_2M };

struct leaf2_tlb {
	uint8_t desc;
	uint8_t kind;
	uint16_t entries, ways;
};

/*
 * The data-TLB descriptors of CPUID leaf 2 that the model can use: Intel
 * SDM Vol. 2A, CPUID, Table 3-12 "Encoding of CPUID Leaf 2 Descriptors"
 * (cross-checked with the strings of Debian's `cpuid` tool). Descriptors
 * for 4 MiB-only pages (32-bit paging) and those without an associativity
 * are left out.
 */
static const struct leaf2_tlb leaf2_tlbs[] = {
	{ 0x03, L1_4K, 64, 4 },       { 0x57, L1_4K, 16, 4 },
	{ 0x59, L1_4K, 16, 16 },      { 0x5a, L1_2M, 32, 4 },
	{ 0x63, L1_2M, 32, 4 },       { 0x64, L1_4K, 512, 4 },
	{ 0x6b, L1_4K, 256, 8 },      { 0x6c, L1_2M, 128, 8 },
	{ 0xa0, L1_4K, 32, 32 },      { 0xb3, L1_4K, 128, 4 },
	{ 0xb4, L1_4K, 256, 4 },      { 0xba, L1_4K, 64, 4 },
	{ 0xc0, L1_4K, 8, 4 },        { 0xc1, STLB_4K_2M, 1024, 8 },
	{ 0xc2, L1_4K_2M, 16, 4 },    { 0xc3, STLB_4K_2M, 1536, 6 },
	{ 0xc4, L1_2M, 32, 4 },       { 0xca, STLB_4K, 512, 4 },
};

#define N_LEAF2_TLBS (sizeof(leaf2_tlbs) / sizeof(leaf2_tlbs[0]))

struct tlb_found {
	struct sim_tlb_geom l1_4k, l1_2m, stlb, stlb_2m;
	int shared; /* stlb holds 2 MiB entries too */
};

/* Fill g unless an earlier (more specific) report already did. */
static void take(struct sim_tlb_geom *g, unsigned entries, unsigned ways)
{
	if (g->entries == 0) {
		g->entries = entries;
		g->ways = ways;
	}
}

static void leaf2_apply(const struct leaf2_tlb *d, struct tlb_found *f)
{
	switch (d->kind) {
	case L1_4K: take(&f->l1_4k, d->entries, d->ways); break;
	case L1_2M: take(&f->l1_2m, d->entries, d->ways); break;
	case L1_4K_2M:
		take(&f->l1_4k, d->entries, d->ways);
		take(&f->l1_2m, d->entries, d->ways);
		break;
	case STLB_4K: take(&f->stlb, d->entries, d->ways); break;
	case STLB_4K_2M:
		if (f->stlb.entries == 0)
			f->shared = 1;
		take(&f->stlb, d->entries, d->ways);
		break;
	}
}

static void intel_leaf2(sim_cpuid_fn cpuid, struct tlb_found *f)
{
	uint32_t r[4];
	cpuid(2, 0, r);
	for (int reg = 0; reg < 4; reg++) {
		if (r[reg] >> 31) /* bit 31 set: no descriptors in this one */
			continue;
		for (int b = reg == 0 ? 1 : 0; b < 4; b++) { /* AL: a count */
			uint8_t desc = (uint8_t)(r[reg] >> (8 * b));
			for (size_t i = 0; i < N_LEAF2_TLBS; i++)
				if (leaf2_tlbs[i].desc == desc)
					leaf2_apply(&leaf2_tlbs[i], f);
		}
	}
}

/*
 * Leaf 0x18, deterministic address translation parameters (SDM Vol. 2A):
 * EDX[4:0] type (1 data, 3 unified, 4 load-only; 5 store-only is left
 * out: the model has one L1 for loads and stores), EDX[7:5] level,
 * EDX[8] fully associative, EBX[0] 4 KiB and EBX[1] 2 MiB pages,
 * EBX[31:16] ways, ECX sets.
 */
static void intel_leaf18(sim_cpuid_fn cpuid, struct tlb_found *f)
{
	uint32_t r[4];
	cpuid(0x18, 0, r);
	uint32_t last = r[0] < 64 ? r[0] : 64;
	for (uint32_t sub = 0; sub <= last; sub++) {
		cpuid(0x18, sub, r);
		unsigned type = r[3] & 0x1f, level = (r[3] >> 5) & 7;
		unsigned ways = r[1] >> 16, entries = ways * r[2];
		int k4 = r[1] & 1, m2 = (r[1] >> 1) & 1;
		if (r[3] & (1u << 8))
			ways = entries;
		if (entries == 0)
			continue;
		if (level == 1 && (type == 1 || type == 4)) {
			if (k4)
				take(&f->l1_4k, entries, ways);
			if (m2)
				take(&f->l1_2m, entries, ways);
		} else if (level == 2 && (type == 1 || type == 3)) {
			if (k4 && f->stlb.entries == 0) {
				take(&f->stlb, entries, ways);
				f->shared = m2;
			} else if (m2 && !k4) {
				take(&f->stlb_2m, entries, ways);
			}
		}
	}
}

/*
 * Leaf 4 (Intel) and 0x8000001D (AMD) share a layout: EAX[4:0] type
 * (1 data, 2 instruction, 3 unified), EAX[7:5] level, EBX[31:22] ways-1,
 * EBX[21:12] partitions-1, EBX[11:0] line-1, ECX sets-1.
 * Returns 0 when L1D, L2 and a level-3-or-higher cache were all found.
 */
static int deterministic_caches(sim_cpuid_fn cpuid, uint32_t leaf,
				struct sim_sizes *s)
{
	uint32_t r[4];
	unsigned llc_level = 0;
	for (uint32_t sub = 0; sub < 16; sub++) {
		cpuid(leaf, sub, r);
		unsigned type = r[0] & 0x1f, level = (r[0] >> 5) & 7;
		if (type == 0)
			break;
		if (type == 2)
			continue;
		struct sim_cache_geom g;
		g.ways = (r[1] >> 22) + 1;
		g.line = (r[1] & 0xfff) + 1;
		g.bytes = (uint64_t)g.ways * (((r[1] >> 12) & 0x3ff) + 1) *
			  g.line * ((uint64_t)r[2] + 1);
		if (level == 1)
			s->l1d = g;
		else if (level == 2)
			s->l2 = g;
		else if (level > llc_level) {
			s->llc = g;
			llc_level = level;
		}
	}
	return s->l1d.bytes && s->l2.bytes && s->llc.bytes ? 0 : -1;
}

static int intel_sizes(sim_cpuid_fn cpuid, uint32_t max, struct sim_sizes *s,
		       char *err, size_t errlen)
{
	struct tlb_found f = { 0 };
	if (max >= 0x18)
		intel_leaf18(cpuid, &f);
	if (max >= 2)
		intel_leaf2(cpuid, &f); /* fills only what 0x18 left empty */
	s->l1dtlb_4k = f.l1_4k;
	s->l1dtlb_2m = f.l1_2m;
	s->stlb = f.stlb;
	s->stlb_2m = f.stlb_2m;
	s->stlb_2m_shared = f.shared;
	if (max < 4 || deterministic_caches(cpuid, 4, s) != 0) {
		snprintf(err, errlen, "CPUID leaf 4 reports no L1D, L2 and L3");
		return -1;
	}
	return 0;
}

/* ---- AMD -------------------------------------------------------------- */

/*
 * The 4-bit associativity codes of CPUID 0x80000006 (AMD APM Vol. 3,
 * CPUID Fn8000_0006): most name a range ("8 to 15 ways"); the model takes
 * the lower bound. 0 (disabled), 7 (reserved) and 9 ("see 0x8000001D")
 * give 0.
 */
#define AMD_ASSOC_SEE_1D 9

static unsigned amd_assoc_code(unsigned code, unsigned entries)
{
	static const unsigned ways[16] = { 0, 1, 2, 3, 4, 6, 8, 0,
					   16, 0, 32, 48, 64, 96, 128, 0 };
	return code == 0xf ? entries : ways[code & 0xf];
}

/* 0x80000005's 8-bit associativity: 0xff is fully associative. */
static unsigned amd_assoc_l1(unsigned assoc, unsigned entries)
{
	return assoc == 0xff ? entries : assoc;
}

/* 0x80000005 EAX (2M/4M) and EBX (4K): [31:24] assoc, [23:16] entries. */
static struct sim_tlb_geom amd_l1_tlb(uint32_t reg)
{
	unsigned entries = (reg >> 16) & 0xff;
	return (struct sim_tlb_geom){ entries, amd_assoc_l1(reg >> 24, entries) };
}

/* 0x80000006 EAX (2M/4M) and EBX (4K): [31:28] code, [27:16] entries. */
static struct sim_tlb_geom amd_l2_tlb(uint32_t reg)
{
	unsigned entries = (reg >> 16) & 0xfff;
	unsigned ways = amd_assoc_code(reg >> 28, entries);
	/* code 0: the L2 DTLB holds no entries of this size */
	return (struct sim_tlb_geom){ ways ? entries : 0, ways };
}

static void amd_tlbs(sim_cpuid_fn cpuid, uint32_t max, struct sim_sizes *s)
{
	uint32_t r[4];
	if (max >= 0x80000005) {
		cpuid(0x80000005, 0, r);
		s->l1dtlb_2m = amd_l1_tlb(r[0]);
		s->l1dtlb_4k = amd_l1_tlb(r[1]);
	}
	if (max >= 0x80000006) {
		cpuid(0x80000006, 0, r);
		s->stlb_2m = amd_l2_tlb(r[0]);
		s->stlb = amd_l2_tlb(r[1]);
		s->stlb_2m_shared = 0;
	}
}

/* A cache from its size, line and associativity field (l1: 8-bit). */
static struct sim_cache_geom amd_cache(uint64_t bytes, unsigned line,
				       unsigned assoc, int l1)
{
	struct sim_cache_geom g = { bytes, 0, line };
	if (line) {
		unsigned lines = (unsigned)(bytes / line);
		g.ways = l1 ? amd_assoc_l1(assoc, lines)
			    : amd_assoc_code(assoc, lines);
	}
	return g;
}

/* Without 0x8000001D: L1D in 0x80000005 ECX, L2 and L3 in 0x80000006. */
static int amd_legacy_caches(sim_cpuid_fn cpuid, uint32_t max,
			     struct sim_sizes *s, char *err, size_t errlen)
{
	uint32_t r[4];
	if (max < 0x80000006) {
		snprintf(err, errlen, "CPUID reports no 0x80000006 (L2, L3)");
		return -1;
	}
	cpuid(0x80000005, 0, r); /* ECX: [31:24] KiB [23:16] assoc [7:0] line */
	s->l1d = amd_cache((uint64_t)(r[2] >> 24) * KIB, r[2] & 0xff,
			   (r[2] >> 16) & 0xff, 1);
	cpuid(0x80000006, 0, r);
	/* ECX: [31:16] KiB [15:12] code [7:0] line */
	s->l2 = amd_cache((uint64_t)(r[2] >> 16) * KIB, r[2] & 0xff,
			  (r[2] >> 12) & 0xf, 0);
	/* EDX: [31:18] size in 512 KiB units, [15:12] code, [7:0] line */
	s->llc = amd_cache((uint64_t)(r[3] >> 18) * 512 * KIB, r[3] & 0xff,
			   (r[3] >> 12) & 0xf, 0);
	unsigned code = (r[3] >> 12) & 0xf;
	if (s->llc.bytes && s->llc.ways == 0 && code == AMD_ASSOC_SEE_1D) {
		/*
		 * "See 0x8000001D", which is absent (virtual CPUs): every Zen
		 * L3 is 16-way (AMD PPRs for Families 17h and 19h); the
		 * assumption goes into source, and so into every output.
		 */
		s->llc.ways = 16;
		snprintf(s->source, sizeof(s->source), "cpuid:l3_ways_assumed_16");
	}
	if (s->llc.bytes && s->llc.ways == 0) {
		snprintf(err, errlen, "CPUID 0x80000006 gives no L3 associativity "
			 "(code %u) and 0x8000001D is absent", code);
		return -1;
	}
	return 0;
}

static int amd_sizes(sim_cpuid_fn cpuid, struct sim_sizes *s, char *err,
		     size_t errlen)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	uint32_t max = r[0];
	amd_tlbs(cpuid, max, s);
	int topoext = 0;
	if (max >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		topoext = (r[2] >> 22) & 1; /* ECX[22]: 0x8000001D exists */
	}
	if (topoext && max >= 0x8000001d &&
	    deterministic_caches(cpuid, 0x8000001d, s) == 0)
		return 0;
	return amd_legacy_caches(cpuid, max, s, err, errlen);
}

int sim_sizes_cpuid(sim_cpuid_fn cpuid, struct sim_sizes *s, char *err,
		    size_t errlen)
{
	uint32_t r[4];
	char vendor[13];
	memset(s, 0, sizeof(*s));
	snprintf(s->source, sizeof(s->source), "cpuid");
	cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	int rc;
	if (strcmp(vendor, "GenuineIntel") == 0)
		rc = intel_sizes(cpuid, r[0], s, err, errlen);
	else if (strcmp(vendor, "AuthenticAMD") == 0 ||
		 strcmp(vendor, "HygonGenuine") == 0)
		rc = amd_sizes(cpuid, s, err, errlen);
	else {
		snprintf(err, errlen, "CPU vendor \"%s\": no CPUID decoding",
			 vendor);
		return -1;
	}
	return rc != 0 ? rc : sim_sizes_check(s, err, errlen);
}

/* ---- checks and output ------------------------------------------------ */

static int check_tlb(const char *name, const struct sim_tlb_geom *g,
		     char *err, size_t errlen)
{
	if (g->entries == 0 || g->ways == 0 || g->entries % g->ways) {
		snprintf(err, errlen, "%s: %u entries, %u ways: not a usable "
			 "set-associative array", name, g->entries, g->ways);
		return -1;
	}
	return 0;
}

static int check_cache(const char *name, const struct sim_cache_geom *g,
		       char *err, size_t errlen)
{
	int pow2 = g->line && (g->line & (g->line - 1)) == 0;
	if (!pow2 || g->ways == 0 ||
	    g->bytes % ((uint64_t)g->ways * g->line) || g->bytes == 0) {
		snprintf(err, errlen, "%s: %llu bytes, %u ways, %u-byte lines: "
			 "not a usable cache", name,
			 (unsigned long long)g->bytes, g->ways, g->line);
		return -1;
	}
	return 0;
}

int sim_sizes_check(const struct sim_sizes *s, char *err, size_t errlen)
{
	if (check_tlb("l1dtlb_4k", &s->l1dtlb_4k, err, errlen) ||
	    check_tlb("l1dtlb_2m", &s->l1dtlb_2m, err, errlen) ||
	    check_tlb("stlb", &s->stlb, err, errlen))
		return -1;
	if (!s->stlb_2m_shared && s->stlb_2m.entries &&
	    check_tlb("stlb_2m", &s->stlb_2m, err, errlen))
		return -1;
	return check_cache("l1d", &s->l1d, err, errlen) ||
	       check_cache("l2", &s->l2, err, errlen) ||
	       check_cache("llc", &s->llc, err, errlen) ? -1 : 0;
}

int sim_sizes_format(const struct sim_sizes *s, char *buf, size_t len)
{
	char stlb2m[32];
	if (s->stlb_2m_shared)
		snprintf(stlb2m, sizeof(stlb2m), "shared");
	else if (s->stlb_2m.entries == 0)
		snprintf(stlb2m, sizeof(stlb2m), "none");
	else
		snprintf(stlb2m, sizeof(stlb2m), "%u/%u", s->stlb_2m.entries,
			 s->stlb_2m.ways);
	int n = snprintf(buf, len,
			 "source=%s l1dtlb_4k=%u/%u l1dtlb_2m=%u/%u stlb=%u/%u "
			 "stlb_2m=%s l1d=%llu/%u/%u l2=%llu/%u/%u llc=%llu/%u/%u",
			 s->source, s->l1dtlb_4k.entries, s->l1dtlb_4k.ways,
			 s->l1dtlb_2m.entries, s->l1dtlb_2m.ways,
			 s->stlb.entries, s->stlb.ways, stlb2m,
			 (unsigned long long)(s->l1d.bytes / KIB), s->l1d.ways,
			 s->l1d.line, (unsigned long long)(s->l2.bytes / KIB),
			 s->l2.ways, s->l2.line,
			 (unsigned long long)(s->llc.bytes / KIB), s->llc.ways,
			 s->llc.line);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
