/*
 * Facts about the host machine, recorded with every result so that a
 * number can always be traced to the CPU, kernel and source tree that
 * produced it.
 *
 * The rule is "never invented": a fact the machine does not report, or
 * reports in a way we cannot decode unambiguously, is -1 (numbers) or
 * "unknown" (strings), and is written to JSON as null / "unknown".
 */
#ifndef FB_HOSTINFO_H
#define FB_HOSTINFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct hostinfo {
	char cpu_vendor[16], cpu_brand[64];
	int family, model, stepping; /* libcpuid's ext_family/ext_model, stepping */
	int l1d_kb, l2_kb, l3_kb;    /* cache sizes (libcpuid), -1 when unknown */
	int cache_line;              /* L1d line in bytes, -1 when unknown */
	/*
	 * Entries for 4K pages, -1 when unknown, read from CPUID directly
	 * (libcpuid 0.6 has no TLB fields). Reported for the core this ran on.
	 *  dtlb_l1_4k: first-level data TLB; on Intel parts with split L1
	 *              load/store TLBs, the load-only one.
	 *  itlb_l1_4k: first-level instruction TLB.
	 *  stlb_4k:    second-level TLB backing data accesses: Intel's shared
	 *              STLB; AMD's L2 DTLB (AMD's L2 ITLB is separate).
	 */
	int dtlb_l1_4k, itlb_l1_4k, stlb_4k;
	int has_pcid, has_invpcid, has_rdtscp, has_pdpe1gb, has_vmx, has_svm,
		hypervisor;  /* CPUID bits, 0/1 */
	int pmu_version;     /* Intel CPUID 0xA EAX[7:0]; -1: absent / not Intel */
	char kernel[128];    /* uname: "sysname release machine" */
	char git_rev[48];    /* 12-hex HEAD [+ "-dirty"], or "unknown" */
};

/*
 * Fill h. src_dir is the source tree whose git revision is recorded (NULL:
 * git_rev is "unknown"). Returns 0 when at least the CPU vendor could be
 * read; anything that failed along the way (libcpuid, git, uname) is noted
 * in err as "; "-separated reasons, err[0] == 0 when nothing failed.
 * Returns -1 only when the CPU cannot be identified at all.
 */
int hostinfo_collect(struct hostinfo *h, const char *src_dir, char *err,
		     size_t errlen);

/*
 * Write h as one JSON object (no trailing newline), keys named like the
 * fields; negative numbers are written as null. Returns 0, or -1 on a
 * write error.
 */
int hostinfo_write_json(const struct hostinfo *h, FILE *f);

/*
 * Only vendor, brand, family, model and stepping (libcpuid), without
 * running git or reading the kernel: cheap enough for every guest run.
 * -1 with err when libcpuid cannot identify the CPU.
 */
int hostinfo_cpu_identity(struct hostinfo *h, char *err, size_t errlen);

/* ---- CPUID decoders, exposed so tests can feed them known dumps -------- */

struct hostinfo_tlb {
	int dtlb_l1_4k, itlb_l1_4k, stlb_4k; /* as in struct hostinfo */
};

/* Intel leaf 0x18: sub[i] = {eax, ebx, ecx, edx} of subleaf i, i < n. */
void hostinfo_tlb_leaf18(const uint32_t (*sub)[4], unsigned n,
			 struct hostinfo_tlb *t);

/* Intel leaf 2 descriptors: regs = {eax, ebx, ecx, edx}. */
void hostinfo_tlb_leaf2(const uint32_t regs[4], struct hostinfo_tlb *t);

/* AMD leaves 0x80000005/6 EBX; NULL when the leaf is absent. */
void hostinfo_tlb_amd(const uint32_t *ebx_80000005,
		      const uint32_t *ebx_80000006, struct hostinfo_tlb *t);

#endif
