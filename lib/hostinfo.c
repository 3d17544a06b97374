/*
 * Host facts for results metadata (see hostinfo.h).
 *
 * Sources: libcpuid for identification and caches (it knows the vendor
 * quirks), the CPUID instruction for TLBs and feature bits (libcpuid 0.6
 * has no TLB fields, and a bit is simplest read at the source), uname for
 * the kernel and git for the source revision.
 */
#include "hostinfo.h"

#include <cpuid.h>
#include <libcpuid.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "csvjson.h"

#define UNKNOWN_STR "unknown"

/* ---- error notes -------------------------------------------------------- */

/*
 * Append one reason to err, "; "-separated. Collection goes on after a
 * failure, so several reasons may pile up; err is for people, so a
 * truncated note is acceptable.
 */
static void note(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!err || errlen == 0)
		return;
	len = strnlen(err, errlen);
	if (len + 3 >= errlen)
		return;
	if (len > 0) {
		memcpy(err + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(err + len, errlen - len, fmt, ap);
	va_end(ap);
}

/* ---- small string helpers ----------------------------------------------- */

/*
 * Copy src into dst without leading/trailing blanks: CPUID brand strings
 * come padded with spaces (right-justified on older Intel parts). An empty
 * result becomes "unknown" rather than an empty field.
 */
static void copy_trimmed(char *dst, size_t cap, const char *src, size_t n)
{
	size_t start = 0, end = strnlen(src, n);

	while (start < end && src[start] == ' ')
		start++;
	while (end > start && src[end - 1] == ' ')
		end--;
	if (end == start) {
		snprintf(dst, cap, "%s", UNKNOWN_STR);
		return;
	}
	snprintf(dst, cap, "%.*s", (int)(end - start), src + start);
}

/* Append s to dst (holding *len bytes); -1 if it does not fit. */
static int append(char *dst, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= cap)
		return -1;
	memcpy(dst + *len, s, n + 1);
	*len += n;
	return 0;
}

/* Append s single-quoted for sh: a ' inside is written as '\''. */
static int append_quoted(char *dst, size_t cap, size_t *len, const char *s)
{
	char one[2] = { 0, 0 };

	if (append(dst, cap, len, "'") < 0)
		return -1;
	for (; *s; s++) {
		one[0] = *s;
		if (append(dst, cap, len, *s == '\'' ? "'\\''" : one) < 0)
			return -1;
	}
	return append(dst, cap, len, "'");
}

/* ---- raw CPUID ---------------------------------------------------------- */

struct regs {
	uint32_t a, b, c, d;
};

/*
 * The highest basic and extended leaves. Above them CPUID does not fail:
 * Intel returns the highest basic leaf's data, so every read must be
 * checked against these or it silently decodes the wrong leaf.
 */
struct leaves {
	uint32_t max_basic, max_ext;
};

static struct leaves cpuid_leaves(void)
{
	struct leaves l;

	l.max_basic = __get_cpuid_max(0, NULL);
	l.max_ext = __get_cpuid_max(0x80000000u, NULL);
	if (l.max_ext < 0x80000000u) /* no extended range at all */
		l.max_ext = 0;
	return l;
}

/* Read leaf/subleaf into r if the CPU has it (returns 1); else zeros, 0. */
static int cpuid_read(const struct leaves *l, uint32_t leaf, uint32_t sub,
		      struct regs *r)
{
	uint32_t max = leaf >= 0x80000000u ? l->max_ext : l->max_basic;

	memset(r, 0, sizeof *r);
	if (leaf > max)
		return 0;
	__cpuid_count(leaf, sub, r->a, r->b, r->c, r->d);
	return 1;
}

static int bit(uint32_t v, unsigned n)
{
	return (int)((v >> n) & 1);
}

enum hi_vendor { HI_OTHER, HI_INTEL, HI_AMD };

/* Hygon's Dhyana is a Zen derivative and uses AMD's TLB leaves. */
static enum hi_vendor vendor_of(const char *s)
{
	if (strcmp(s, "GenuineIntel") == 0)
		return HI_INTEL;
	if (strcmp(s, "AuthenticAMD") == 0 || strcmp(s, "HygonGenuine") == 0)
		return HI_AMD;
	return HI_OTHER;
}

/* Leaf 0: the 12-byte vendor id, in EBX, EDX, ECX order. -1 if empty. */
static int raw_vendor(const struct leaves *l, char *out, size_t cap)
{
	struct regs r;
	char v[13];

	cpuid_read(l, 0, 0, &r);
	memcpy(v, &r.b, 4);
	memcpy(v + 4, &r.d, 4);
	memcpy(v + 8, &r.c, 4);
	v[12] = '\0';
	if (v[0] == '\0')
		return -1;
	snprintf(out, cap, "%s", v);
	return 0;
}

/* Leaves 0x80000002..4: the 48-byte brand string, or "unknown". */
static void raw_brand(const struct leaves *l, char *out, size_t cap)
{
	char b[48];
	struct regs r;

	for (uint32_t i = 0; i < 3; i++) {
		if (!cpuid_read(l, 0x80000002u + i, 0, &r)) {
			snprintf(out, cap, "%s", UNKNOWN_STR);
			return;
		}
		memcpy(b + 16 * i, &r.a, 4);
		memcpy(b + 16 * i + 4, &r.b, 4);
		memcpy(b + 16 * i + 8, &r.c, 4);
		memcpy(b + 16 * i + 12, &r.d, 4);
	}
	copy_trimmed(out, cap, b, sizeof b);
}

/*
 * Leaf 1 EAX: display family/model as libcpuid reports them (its
 * ext_family/ext_model), so both sources mean the same numbers. The
 * extended fields only count for base family 6 and 15 (SDM; AMD uses them
 * only for 15, where the two rules agree).
 */
static void raw_signature(const struct leaves *l, struct hostinfo *h)
{
	struct regs r;
	uint32_t base_family, base_model;

	if (!cpuid_read(l, 1, 0, &r))
		return;
	base_family = (r.a >> 8) & 0xf;
	base_model = (r.a >> 4) & 0xf;
	h->stepping = (int)(r.a & 0xf);
	h->family = (int)(base_family +
			  (base_family == 0xf ? (r.a >> 20) & 0xff : 0));
	h->model = (int)(base_model +
			 (base_family == 0x6 || base_family == 0xf ?
				  ((r.a >> 16) & 0xf) << 4 : 0));
}

/*
 * Feature bits. A leaf the CPU lacks reads as zeros, which is exactly
 * CPUID's "not supported". In a guest these are what the hypervisor chose
 * to expose, which is what matters for a run inside it.
 */
static void raw_flags(const struct leaves *l, struct hostinfo *h)
{
	struct regs r1, r7, e1;

	cpuid_read(l, 1, 0, &r1);
	cpuid_read(l, 7, 0, &r7);
	cpuid_read(l, 0x80000001u, 0, &e1);
	h->has_vmx = bit(r1.c, 5);
	h->has_pcid = bit(r1.c, 17);
	h->hypervisor = bit(r1.c, 31);
	h->has_invpcid = bit(r7.b, 10);
	h->has_svm = bit(e1.c, 2);
	h->has_pdpe1gb = bit(e1.d, 26);
	h->has_rdtscp = bit(e1.d, 27);
}

/*
 * Intel's architectural PMU version (leaf 0xA EAX[7:0]). 0 is a real
 * answer (no architectural PMU, common in guests). AMD does not define
 * leaf 0xA, so anything read there would be invented: -1.
 */
static int raw_pmu_version(const struct leaves *l, enum hi_vendor v)
{
	struct regs r;

	if (v != HI_INTEL || !cpuid_read(l, 0xa, 0, &r))
		return -1;
	return (int)(r.a & 0xff);
}

/* ---- TLB decoders ------------------------------------------------------- */

static void tlb_unknown(struct hostinfo_tlb *t)
{
	t->dtlb_l1_4k = t->itlb_l1_4k = t->stlb_4k = -1;
}

static int tlb_any_known(const struct hostinfo_tlb *t)
{
	return t->dtlb_l1_4k >= 0 || t->itlb_l1_4k >= 0 || t->stlb_4k >= 0;
}

/* Leaf 0x18 translation cache types, EDX[4:0]. */
enum { DAT_NULL, DAT_DATA, DAT_INSTR, DAT_UNIFIED, DAT_LOAD, DAT_STORE,
       DAT_NTYPES };
#define DAT_NLEVELS 8 /* EDX[7:5] */

/* 4K entries of one leaf 0x18 subleaf: ways (EBX[31:16]) x sets (ECX). */
static uint64_t dat_entries_4k(const uint32_t s[4])
{
	if ((s[3] & 0x1f) == DAT_NULL || !(s[1] & 1)) /* invalid, or no 4K */
		return 0;
	return (uint64_t)(s[1] >> 16) * s[2];
}

/* The preferred count if any, else the fallback, else unknown. */
static int pick(uint64_t preferred, uint64_t fallback)
{
	uint64_t v = preferred ? preferred : fallback;

	return v == 0 || v > INT_MAX ? -1 : (int)v;
}

/*
 * Every subleaf is a separate structure, and a level can be split across
 * several (Golden Cove's STLB is two 1024-entry arrays that both hold 4K
 * pages), so 4K entries are summed per (type, level). Subleaf 0 describes
 * a structure too; invalid (null-type) subleaves may sit between valid
 * ones and are skipped, not treated as the end.
 */
void hostinfo_tlb_leaf18(const uint32_t (*sub)[4], unsigned n,
			 struct hostinfo_tlb *t)
{
	uint64_t sum[DAT_NTYPES][DAT_NLEVELS] = { { 0 } };

	for (unsigned i = 0; i < n; i++) {
		unsigned type = sub[i][3] & 0x1f, level = (sub[i][3] >> 5) & 7;

		if (type < DAT_NTYPES) /* reserved types: meaning unknown */
			sum[type][level] += dat_entries_4k(sub[i]);
	}
	t->itlb_l1_4k = pick(sum[DAT_INSTR][1], 0);
	/* Split load/store L1s (Ice Lake on): loads are what page walks feed. */
	t->dtlb_l1_4k = pick(sum[DAT_DATA][1], sum[DAT_LOAD][1]);
	t->stlb_4k = pick(sum[DAT_UNIFIED][2], sum[DAT_DATA][2]);
}

/* What a leaf 2 TLB descriptor tells us about 4K pages. */
enum l2_class {
	L2_ITLB,   /* first-level instruction TLB */
	L2_DTLB,   /* first-level data TLB */
	L2_STLB,   /* shared second-level TLB */
	L2_DAMBIG, /* 4K data TLB whose level depends on the core */
	L2_NCLASSES
};

struct l2_desc {
	uint8_t code;
	uint8_t cls;
	uint16_t entries;
};

/*
 * The SDM's leaf 2 descriptors that cover 4K pages (Table "Encoding of
 * CPUID Leaf 2 Descriptors"); descriptors for large pages only, caches
 * and prefetch are not listed. L2_DAMBIG holds the DTLB0/uTLB micro-TLBs
 * and the Atom arrays: next to them, which data TLB is "L1" is a guess.
 */
static const struct l2_desc l2_descs[] = {
	{ 0x01, L2_ITLB, 32 },    { 0x4f, L2_ITLB, 32 },
	{ 0x50, L2_ITLB, 64 },    { 0x51, L2_ITLB, 128 },
	{ 0x52, L2_ITLB, 256 },   { 0x61, L2_ITLB, 48 },
	{ 0xb0, L2_ITLB, 128 },   { 0xb2, L2_ITLB, 64 },
	{ 0xb5, L2_ITLB, 64 },    { 0xb6, L2_ITLB, 128 },
	{ 0x03, L2_DTLB, 64 },    { 0x5b, L2_DTLB, 64 },
	{ 0x5c, L2_DTLB, 128 },   { 0x5d, L2_DTLB, 256 },
	{ 0xb3, L2_DTLB, 128 },   { 0xb4, L2_DTLB, 256 },
	{ 0xba, L2_DTLB, 64 },    { 0xc1, L2_STLB, 1024 },
	{ 0xc3, L2_STLB, 1536 },  { 0xca, L2_STLB, 512 },
	{ 0x57, L2_DAMBIG, 16 },  { 0x59, L2_DAMBIG, 16 },
	{ 0x64, L2_DAMBIG, 512 }, { 0x6a, L2_DAMBIG, 64 },
	{ 0x6b, L2_DAMBIG, 256 }, { 0xa0, L2_DAMBIG, 32 },
	{ 0xc0, L2_DAMBIG, 8 },   { 0xc2, L2_DAMBIG, 16 },
};

static const struct l2_desc *l2_lookup(uint8_t code)
{
	for (size_t i = 0; i < sizeof l2_descs / sizeof l2_descs[0]; i++)
		if (l2_descs[i].code == code)
			return &l2_descs[i];
	return NULL;
}

/* Exactly one descriptor of a class gives its size; none or several: -1. */
static int l2_single(const unsigned count[], const int entries[], int cls)
{
	return count[cls] == 1 ? entries[cls] : -1;
}

/*
 * Leaf 2 (cores before leaf 0x18). AL must be 1: larger values mean the
 * leaf must be executed several times (P6-era), which we do not attempt.
 * A register with bit 31 set holds no descriptors. 0xFE ("see leaf 0x18")
 * is not in the table, so it yields unknowns.
 */
void hostinfo_tlb_leaf2(const uint32_t regs[4], struct hostinfo_tlb *t)
{
	unsigned count[L2_NCLASSES] = { 0 };
	int entries[L2_NCLASSES] = { 0 };

	tlb_unknown(t);
	if ((regs[0] & 0xff) != 1)
		return;
	for (int r = 0; r < 4; r++) {
		if (regs[r] & 0x80000000u)
			continue;
		for (int byte = r == 0 ? 1 : 0; byte < 4; byte++) {
			const struct l2_desc *d =
				l2_lookup((uint8_t)(regs[r] >> (8 * byte)));

			if (d) {
				count[d->cls]++;
				entries[d->cls] = d->entries;
			}
		}
	}
	t->itlb_l1_4k = l2_single(count, entries, L2_ITLB);
	t->stlb_4k = l2_single(count, entries, L2_STLB);
	if (count[L2_DAMBIG] == 0)
		t->dtlb_l1_4k = l2_single(count, entries, L2_DTLB);
}

/*
 * One AMD TLB field pair. Associativity 0 is "reserved" in 0x80000005 and
 * "L2 off" in 0x80000006: either way the size beside it means nothing.
 */
static int amd_entries(uint32_t assoc, uint32_t size)
{
	return assoc && size ? (int)size : -1;
}

/*
 * 0x80000005 EBX: L1 DTLB 4K assoc[31:24] size[23:16], L1 ITLB 4K
 * assoc[15:8] size[7:0]. 0x80000006 EBX: L2 DTLB 4K assoc[31:28]
 * size[27:16] (the L2 ITLB in [15:0] is not reported).
 */
void hostinfo_tlb_amd(const uint32_t *ebx_80000005,
		      const uint32_t *ebx_80000006, struct hostinfo_tlb *t)
{
	tlb_unknown(t);
	if (ebx_80000005) {
		uint32_t v = *ebx_80000005;

		t->dtlb_l1_4k = amd_entries(v >> 24, (v >> 16) & 0xff);
		t->itlb_l1_4k = amd_entries((v >> 8) & 0xff, v & 0xff);
	}
	if (ebx_80000006) {
		uint32_t v = *ebx_80000006;

		t->stlb_4k = amd_entries(v >> 28, (v >> 16) & 0xfff);
	}
}

/* Enough for every subleaf any real part reports; more are ignored. */
#define LEAF18_MAX_SUBLEAVES 64

static void intel_leaf18(const struct leaves *l, struct hostinfo_tlb *t)
{
	uint32_t sub[LEAF18_MAX_SUBLEAVES][4];
	struct regs r;
	unsigned n;

	tlb_unknown(t);
	if (!cpuid_read(l, 0x18, 0, &r))
		return;
	n = r.a < LEAF18_MAX_SUBLEAVES ? r.a + 1 : LEAF18_MAX_SUBLEAVES;
	for (unsigned i = 0; i < n; i++) {
		cpuid_read(l, 0x18, i, &r);
		sub[i][0] = r.a;
		sub[i][1] = r.b;
		sub[i][2] = r.c;
		sub[i][3] = r.d;
	}
	hostinfo_tlb_leaf18((const uint32_t (*)[4])sub, n, t);
}

/*
 * Leaf 0x18 where it exists; leaf 2 only when 0x18 is absent or empty
 * (hypervisors sometimes zero it), never a mix of the two.
 */
static void intel_tlbs(const struct leaves *l, struct hostinfo_tlb *t)
{
	struct regs r;
	uint32_t regs[4];

	intel_leaf18(l, t);
	if (tlb_any_known(t) || !cpuid_read(l, 2, 0, &r))
		return;
	regs[0] = r.a;
	regs[1] = r.b;
	regs[2] = r.c;
	regs[3] = r.d;
	hostinfo_tlb_leaf2(regs, t);
}

static void amd_tlbs(const struct leaves *l, struct hostinfo_tlb *t)
{
	struct regs r5, r6;
	int have5 = cpuid_read(l, 0x80000005u, 0, &r5);
	int have6 = cpuid_read(l, 0x80000006u, 0, &r6);

	hostinfo_tlb_amd(have5 ? &r5.b : NULL, have6 ? &r6.b : NULL, t);
}

static void raw_tlbs(const struct leaves *l, enum hi_vendor v,
		     struct hostinfo *h)
{
	struct hostinfo_tlb t;

	if (v == HI_INTEL)
		intel_tlbs(l, &t);
	else if (v == HI_AMD)
		amd_tlbs(l, &t);
	else
		tlb_unknown(&t);
	h->dtlb_l1_4k = t.dtlb_l1_4k;
	h->itlb_l1_4k = t.itlb_l1_4k;
	h->stlb_4k = t.stlb_4k;
}

/* ---- libcpuid ------------------------------------------------------------ */

static int known_or_unknown(int32_t v)
{
	return v < 0 ? -1 : (int)v;
}

/*
 * Identification and caches from libcpuid, over what raw CPUID filled in.
 * On failure h keeps the raw values (caches stay unknown) and err says why.
 */
static int from_libcpuid(struct hostinfo *h, char *err, size_t errlen)
{
	struct cpu_raw_data_t raw;
	struct cpu_id_t id;

	if (!cpuid_present()) {
		note(err, errlen, "libcpuid: CPUID not present");
		return -1;
	}
	if (cpuid_get_raw_data(&raw) != 0 || cpu_identify(&raw, &id) != 0) {
		note(err, errlen, "libcpuid: %s", cpuid_error());
		return -1;
	}
	copy_trimmed(h->cpu_vendor, sizeof h->cpu_vendor, id.vendor_str,
		     sizeof id.vendor_str);
	copy_trimmed(h->cpu_brand, sizeof h->cpu_brand, id.brand_str,
		     sizeof id.brand_str);
	h->family = known_or_unknown(id.ext_family);
	h->model = known_or_unknown(id.ext_model);
	h->stepping = known_or_unknown(id.stepping);
	h->l1d_kb = known_or_unknown(id.l1_data_cache);
	h->l2_kb = known_or_unknown(id.l2_cache);
	h->l3_kb = known_or_unknown(id.l3_cache);
	/* 0 would be "no line", which no cache has: treat as unknown. */
	h->cache_line = id.l1_data_cacheline > 0 ? id.l1_data_cacheline : -1;
	return 0;
}

int hostinfo_cpu_identity(struct hostinfo *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	h->family = h->model = h->stepping = -1;
	return from_libcpuid(h, err, errlen);
}

/* ---- kernel and git ------------------------------------------------------ */

static void read_kernel(struct hostinfo *h, char *err, size_t errlen)
{
	struct utsname u;
	int n;

	if (uname(&u) != 0) {
		note(err, errlen, "uname failed");
		return;
	}
	n = snprintf(h->kernel, sizeof h->kernel, "%s %s %s", u.sysname,
		     u.release, u.machine);
	if (n < 0 || (size_t)n >= sizeof h->kernel)
		note(err, errlen, "kernel string truncated");
}

/*
 * Run `git -C <dir> <args>` through sh with stderr discarded. Keeps the
 * first output line (without newline) in line unless it is NULL, counts
 * all output bytes in *total, and reads to the end so git never dies of
 * SIGPIPE. 0 when git ran, exited 0 and its first line fitted (a cut line
 * could pass for a shorter valid one). --no-optional-locks: status would
 * otherwise refresh the index under .git/index.lock and race with whoever
 * is committing in the tree.
 */
static int run_git(const char *dir, const char *args, char *line,
		   size_t linecap, size_t *total)
{
	char cmd[8192];
	size_t len = 0, i = 0;
	int c, in_first = 1, cut = 0, rd_err, st;
	FILE *p;

	cmd[0] = '\0';
	if (append(cmd, sizeof cmd, &len, "git --no-optional-locks -C ") < 0 ||
	    append_quoted(cmd, sizeof cmd, &len, dir) < 0 ||
	    append(cmd, sizeof cmd, &len, " ") < 0 ||
	    append(cmd, sizeof cmd, &len, args) < 0 ||
	    append(cmd, sizeof cmd, &len, " 2>/dev/null") < 0)
		return -1;
	p = popen(cmd, "r");
	if (!p)
		return -1;
	*total = 0;
	while ((c = fgetc(p)) != EOF) {
		(*total)++;
		if (c == '\n')
			in_first = 0;
		else if (!line || !in_first)
			continue;
		else if (i + 1 < linecap)
			line[i++] = (char)c;
		else
			cut = 1;
	}
	if (line)
		line[i] = '\0';
	rd_err = ferror(p);
	st = pclose(p);
	return !rd_err && !cut && st != -1 && WIFEXITED(st) &&
		       WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* An abbreviated object name: 7 to 40 lowercase hex digits. */
static int is_hex_rev(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return s[n] == '\0' && n >= 7 && n <= 40;
}

/*
 * HEAD at 12 hex digits, "-dirty" when `git status --porcelain` prints
 * anything (untracked files count: they can change what gets built). If
 * the status cannot be read the tree cannot be vouched for: "unknown".
 */
static void read_git_rev(struct hostinfo *h, const char *src_dir, char *err,
			 size_t errlen)
{
	char rev[41]; /* at most 40 hex digits */
	size_t total;

	if (!src_dir)
		return;
	if (run_git(src_dir, "rev-parse --short=12 HEAD", rev, sizeof rev,
		    &total) < 0 || !is_hex_rev(rev)) {
		note(err, errlen, "git: no revision for %s", src_dir);
		return;
	}
	if (run_git(src_dir, "status --porcelain", NULL, 0, &total) < 0) {
		note(err, errlen, "git: status failed in %s", src_dir);
		return;
	}
	snprintf(h->git_rev, sizeof h->git_rev, "%s%s", rev,
		 total ? "-dirty" : "");
}

/* ---- collection ---------------------------------------------------------- */

static void set_unknown(struct hostinfo *h)
{
	memset(h, 0, sizeof *h);
	snprintf(h->cpu_vendor, sizeof h->cpu_vendor, "%s", UNKNOWN_STR);
	snprintf(h->cpu_brand, sizeof h->cpu_brand, "%s", UNKNOWN_STR);
	snprintf(h->kernel, sizeof h->kernel, "%s", UNKNOWN_STR);
	snprintf(h->git_rev, sizeof h->git_rev, "%s", UNKNOWN_STR);
	h->family = h->model = h->stepping = -1;
	h->l1d_kb = h->l2_kb = h->l3_kb = h->cache_line = -1;
	h->dtlb_l1_4k = h->itlb_l1_4k = h->stlb_4k = -1;
	h->pmu_version = -1;
}

int hostinfo_collect(struct hostinfo *h, const char *src_dir, char *err,
		     size_t errlen)
{
	struct leaves l = cpuid_leaves();
	enum hi_vendor v;

	if (err && errlen)
		err[0] = '\0';
	set_unknown(h);
	if (raw_vendor(&l, h->cpu_vendor, sizeof h->cpu_vendor) < 0) {
		note(err, errlen, "CPUID returned no vendor");
		return -1;
	}
	v = vendor_of(h->cpu_vendor);
	raw_brand(&l, h->cpu_brand, sizeof h->cpu_brand);
	raw_signature(&l, h);
	raw_flags(&l, h);
	h->pmu_version = raw_pmu_version(&l, v);
	raw_tlbs(&l, v, h);
	from_libcpuid(h, err, errlen);
	read_kernel(h, err, errlen);
	read_git_rev(h, src_dir, err, errlen);
	return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

/* The JSON keys, in struct order; #name keeps them named like the fields. */
struct json_field {
	const char *key;
	size_t off, size; /* size 0: an int */
};

#define FIELD_SIZE(f) sizeof(((struct hostinfo *)0)->f)
#define JSTR(f) { #f, offsetof(struct hostinfo, f), FIELD_SIZE(f) }
#define JINT(f) { #f, offsetof(struct hostinfo, f), 0 }

static const struct json_field json_fields[] = {
	JSTR(cpu_vendor), JSTR(cpu_brand), JINT(family), JINT(model),
	JINT(stepping), JINT(l1d_kb), JINT(l2_kb), JINT(l3_kb),
	JINT(cache_line), JINT(dtlb_l1_4k), JINT(itlb_l1_4k), JINT(stlb_4k),
	JINT(has_pcid), JINT(has_invpcid), JINT(has_rdtscp),
	JINT(has_pdpe1gb), JINT(has_vmx), JINT(has_svm), JINT(hypervisor),
	JINT(pmu_version), JSTR(kernel), JSTR(git_rev),
};

/* Worst case: every byte of the largest string field escaped to 6. */
#define JSON_ESC_CAP (6 * FIELD_SIZE(kernel) + 1)
_Static_assert(FIELD_SIZE(kernel) >= FIELD_SIZE(cpu_brand) &&
		       FIELD_SIZE(kernel) >= FIELD_SIZE(cpu_vendor) &&
		       FIELD_SIZE(kernel) >= FIELD_SIZE(git_rev),
	       "JSON_ESC_CAP must cover the largest string field");

/*
 * One "key": value pair. Strings are bounded by their array size, so a
 * hand-built struct without a terminator cannot make us read past it.
 */
static int put_field(FILE *f, const struct hostinfo *h,
		     const struct json_field *jf, const char *sep)
{
	const char *p = (const char *)h + jf->off;
	char esc[JSON_ESC_CAP];
	int v;

	if (jf->size) {
		json_escape_n(esc, sizeof esc, p, jf->size);
		return fprintf(f, "%s\"%s\": \"%s\"", sep, jf->key, esc) < 0;
	}
	memcpy(&v, p, sizeof v);
	if (v < 0)
		return fprintf(f, "%s\"%s\": null", sep, jf->key) < 0;
	return fprintf(f, "%s\"%s\": %d", sep, jf->key, v) < 0;
}

int hostinfo_write_json(const struct hostinfo *h, FILE *f)
{
	size_t n = sizeof json_fields / sizeof json_fields[0];

	if (fputc('{', f) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (put_field(f, h, &json_fields[i], i ? ", " : ""))
			return -1;
	return fputc('}', f) == EOF ? -1 : 0;
}
