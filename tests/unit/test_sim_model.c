/*
 * plugin/: the TLB and cache model, the marker protocol and the argument
 * and CPUID parsing, without QEMU. Expected counts come from the sizes
 * (a preset's geometry) and the access pattern, not from the model code.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_args.h"
#include "cache.h"
#include "fb_sim.h"
#include "insn.h"
#include "lru.h"
#include "regions.h"
#include "simulator.h"
#include "sizes.h"
#include "tlb.h"

#define PAGE 4096ull
#define HUGE (2ull << 20)

static struct sim_sizes preset(const char *name)
{
	struct sim_sizes s;
	cr_assert_eq(sim_sizes_preset(name, &s), 0);
	return s;
}

/* ---- LRU arrays against a plain recency list ----------------------- */

#define REF_SETS 8
#define REF_WAYS 4

/* Per set, keys most recent first: LRU by its definition. */
struct ref_lru {
	unsigned n[REF_SETS];
	uint64_t key[REF_SETS][REF_WAYS];
};

static int ref_access(struct ref_lru *r, unsigned set, uint64_t key)
{
	uint64_t *k = r->key[set];
	unsigned i = 0;
	while (i < r->n[set] && k[i] != key)
		i++;
	int hit = i < r->n[set];
	if (!hit && r->n[set] < REF_WAYS)
		i = r->n[set]++;
	else if (!hit)
		i = REF_WAYS - 1; /* the least recently used goes */
	memmove(k + 1, k, i * sizeof(*k));
	k[0] = key;
	return hit;
}

static void ref_invalidate(struct ref_lru *r, unsigned set, uint64_t key)
{
	uint64_t *k = r->key[set];
	for (unsigned i = 0; i < r->n[set]; i++) {
		if (k[i] == key) {
			memmove(k + i, k + i + 1, (r->n[set] - i - 1) * sizeof(*k));
			r->n[set]--;
			return;
		}
	}
}

Test(lru, agrees_with_a_recency_list)
{
	struct lru_array a;
	struct ref_lru r = { 0 };
	cr_assert_eq(lru_init(&a, REF_SETS, REF_WAYS), 0);
	uint64_t x = 99;
	for (unsigned i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t key = (x >> 33) % 48; /* 6 keys per set: evictions */
		unsigned set = (unsigned)(key % REF_SETS);
		if ((x >> 20) % 16 == 0) {
			lru_invalidate(&a, set, key);
			ref_invalidate(&r, set, key);
			continue;
		}
		cr_assert_eq(lru_access(&a, set, key, 0), ref_access(&r, set, key),
			     "access %u (key %llu)", i, (unsigned long long)key);
	}
	lru_free(&a);
}

/* ---- TLB ------------------------------------------------------------ */

static struct sim_tlb tlb;
static struct sim_sizes sz;

static void tlb_setup(void)
{
	sz = preset("skylake");
	cr_assert_eq(tlb_init(&tlb, &sz), 0);
}

static void tlb_teardown(void)
{
	tlb_free(&tlb);
}

/* Touch n 4 KiB pages from base; the number of L1 misses and of walks. */
static void touch(uint64_t base, unsigned n, int global, unsigned *l1_misses,
		  unsigned *walks)
{
	*l1_misses = *walks = 0;
	for (unsigned i = 0; i < n; i++) {
		enum tlb_outcome o = tlb_access(&tlb, base + i * PAGE, 0, global);
		*l1_misses += o != TLB_L1_HIT;
		*walks += o == TLB_WALK;
	}
}

TestSuite(tlb, .init = tlb_setup, .fini = tlb_teardown);

Test(tlb, distinct_pages_once_miss_once_each)
{
	unsigned m, w, n = sz.l1dtlb_4k.entries;
	touch(0x10000000, n, 0, &m, &w);
	cr_assert_eq(m, n);
	cr_assert_eq(w, n, "cold pages: every L1 miss is a walk");
}

Test(tlb, set_fitting_l1_hits_on_second_pass)
{
	/* consecutive pages spread evenly over the sets: ways per set */
	unsigned m, w, n = sz.l1dtlb_4k.entries;
	touch(0x10000000, n, 0, &m, &w);
	touch(0x10000000, n, 0, &m, &w);
	cr_assert_eq(m, 0);
	cr_assert_eq(w, 0);
}

Test(tlb, beyond_l1_within_stlb_misses_l1_but_does_not_walk)
{
	/* twice the L1: cyclic LRU misses L1 every time; the STLB holds all */
	unsigned m, w, n = 2 * sz.l1dtlb_4k.entries;
	cr_assert_leq(n, sz.stlb.entries / sz.stlb.ways,
		      "one page per STLB set");
	touch(0x10000000, n, 0, &m, &w);
	touch(0x10000000, n, 0, &m, &w);
	cr_assert_eq(m, n);
	cr_assert_eq(w, 0);
}

Test(tlb, cr3_flush_drops_non_global_keeps_global)
{
	unsigned m, w, n = 8;
	touch(0x10000000, n, 1, &m, &w); /* global */
	touch(0x20000000, n, 0, &m, &w);
	tlb_flush_nonglobal(&tlb);
	touch(0x10000000, n, 1, &m, &w);
	cr_assert_eq(m, 0, "global entries survive a CR3 write");
	touch(0x20000000, n, 0, &m, &w);
	cr_assert_eq(m, n);
	cr_assert_eq(w, n, "gone from the STLB too");
}

Test(tlb, invlpg_drops_exactly_that_page)
{
	unsigned m, w, n = 8;
	touch(0x10000000, n, 1, &m, &w);
	uint64_t victim = 0x10000000 + 3 * PAGE;
	tlb_invlpg(&tlb, victim + 0x123); /* any address in the page */
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = 0x10000000 + i * PAGE;
		enum tlb_outcome o = tlb_access(&tlb, va, 0, 1);
		cr_assert_eq(o, va == victim ? TLB_WALK : TLB_L1_HIT,
			     "page %u", i);
	}
}

Test(tlb, invlpg_removes_one_translation_from_each_level)
{
	unsigned m, w;
	touch(0x10000000, 8, 0, &m, &w);
	unsigned before = tlb_count(&tlb);
	tlb_invlpg(&tlb, 0x10000000);
	cr_assert_eq(tlb_count(&tlb), before - 2, "its L1 and STLB entries");
}

Test(tlb, huge_page_is_one_translation)
{
	unsigned misses = 0;
	for (uint64_t va = HUGE; va < 2 * HUGE; va += PAGE)
		misses += tlb_access(&tlb, va, 1, 0) != TLB_L1_HIT;
	cr_assert_eq(misses, 1);
}

Test(tlb, sizes_do_not_share_l1_entries)
{
	cr_assert_eq(tlb_access(&tlb, HUGE, 1, 0), TLB_WALK);
	cr_assert_eq(tlb_access(&tlb, HUGE, 0, 0), TLB_WALK,
		     "a 4 KiB lookup does not hit a 2 MiB entry");
}

/* ---- caches ----------------------------------------------------------- */

static struct sim_caches caches;

static void cache_setup(void)
{
	sz = preset("skylake");
	cr_assert_eq(caches_init(&caches, &sz), 0);
}

static void cache_teardown(void)
{
	caches_free(&caches);
}

struct misses {
	uint64_t l1d, l2, llc;
};

/* 8-byte accesses over [base, base + bytes). */
static struct misses stream(uint64_t base, uint64_t bytes)
{
	struct misses m = { 0 };
	for (uint64_t pa = base; pa < base + bytes; pa += 8) {
		enum cache_outcome o = caches_access(&caches, pa);
		m.l1d += o >= CACHE_L2_HIT;
		m.l2 += o >= CACHE_LLC_HIT;
		m.llc += o == CACHE_MEMORY;
	}
	return m;
}

TestSuite(cache, .init = cache_setup, .fini = cache_teardown);

Test(cache, sequential_stream_misses_once_per_line)
{
	uint64_t s = 4 * sz.l1d.bytes;
	struct misses m = stream(0x1000000, s);
	cr_assert_eq(m.l1d, s / sz.l1d.line);
	cr_assert_eq(m.l2, s / sz.l2.line, "cold: every level misses");
	cr_assert_eq(m.llc, s / sz.llc.line);
}

Test(cache, set_fitting_l1d_hits_on_second_pass)
{
	stream(0x1000000, sz.l1d.bytes);
	struct misses m = stream(0x1000000, sz.l1d.bytes);
	cr_assert_eq(m.l1d, 0);
}

Test(cache, beyond_l1d_within_l2_misses_l1d_only)
{
	uint64_t s = 2 * sz.l1d.bytes;
	cr_assert_leq(s, sz.l2.bytes);
	stream(0x1000000, s);
	struct misses m = stream(0x1000000, s);
	cr_assert_eq(m.l1d, s / sz.l1d.line, "cyclic LRU: every line misses");
	cr_assert_eq(m.l2, 0);
	cr_assert_eq(m.llc, 0);
}

Test(cache, one_line_per_access_by_its_first_byte)
{
	/* an 8-byte access at line end - 4 straddles: counted once, at pa */
	uint64_t pa = 0x1000000 + sz.l1d.line - 4;
	cr_assert_eq(caches_access(&caches, pa), CACHE_MEMORY);
	cr_assert_eq(caches_access(&caches, pa + 4), CACHE_MEMORY,
		     "the next line was not filled by the straddling access");
}

/* ---- instruction bytes ---------------------------------------------- */

Test(insn, marker_bytes_decode_to_op_and_tag)
{
	const uint8_t b[] = { 0x0f, 0x1f, 0x80, 0x2a, 0x03, 0x42, 0x46 };
	unsigned op, tag;
	cr_assert_eq(insn_marker(b, sizeof(b), &op, &tag), 1);
	cr_assert_eq(op, FB_SIM_OP_ANNOUNCE);
	cr_assert_eq(tag, 42);
	cr_assert_eq(FB_SIM_DISP(FB_SIM_OP_ANNOUNCE, 42), 0x4642032a);
}

Test(insn, other_nops_are_not_markers)
{
	const uint8_t other[] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 };
	const uint8_t magic8[] = { 0x0f, 0x1f, 0x40, 0x42 }; /* disp8 form */
	const uint8_t prefixed[] = { 0x66, 0x0f, 0x1f, 0x80, 0x01, 0x01,
				     0x42, 0x46 };
	unsigned op, tag;
	cr_assert_eq(insn_marker(other, sizeof(other), &op, &tag), 0);
	cr_assert_eq(insn_marker(magic8, sizeof(magic8), &op, &tag), 0);
	cr_assert_eq(insn_marker(prefixed, sizeof(prefixed), &op, &tag), 0);
}

Test(insn, cr3_writes)
{
	const uint8_t rax[] = { 0x0f, 0x22, 0xd8 };       /* mov %rax,%cr3 */
	const uint8_t r8[] = { 0x41, 0x0f, 0x22, 0xd8 };  /* mov %r8,%cr3 */
	const uint8_t cr11[] = { 0x44, 0x0f, 0x22, 0xd8 }; /* REX.R: cr11 */
	const uint8_t read[] = { 0x0f, 0x20, 0xd8 };       /* mov %cr3,%rax */
	const uint8_t cr4[] = { 0x0f, 0x22, 0xe0 };        /* mov %rax,%cr4 */
	cr_assert(insn_cr3_write(rax, sizeof(rax)));
	cr_assert(insn_cr3_write(r8, sizeof(r8)));
	cr_assert_not(insn_cr3_write(cr11, sizeof(cr11)));
	cr_assert_not(insn_cr3_write(read, sizeof(read)));
	cr_assert_not(insn_cr3_write(cr4, sizeof(cr4)));
}

Test(insn, invlpg_with_a_memory_operand_only)
{
	const uint8_t rax[] = { 0x0f, 0x01, 0x38 };             /* (%rax) */
	const uint8_t eax[] = { 0x67, 0x0f, 0x01, 0x38 };       /* (%eax) */
	const uint8_t abs[] = { 0x0f, 0x01, 0x3c, 0x25, 0, 0, 0x58, 0 };
	const uint8_t swapgs[] = { 0x0f, 0x01, 0xf8 };          /* mod 3 */
	const uint8_t lidt[] = { 0x0f, 0x01, 0x18 };            /* /3 */
	cr_assert(insn_invlpg(rax, sizeof(rax)));
	cr_assert(insn_invlpg(eax, sizeof(eax)));
	cr_assert(insn_invlpg(abs, sizeof(abs)));
	cr_assert_not(insn_invlpg(swapgs, sizeof(swapgs)));
	cr_assert_not(insn_invlpg(lidt, sizeof(lidt)));
	cr_assert_not(insn_invlpg(rax, 2), "truncated");
}

/* ---- regions and the announcement decoder --------------------------- */

Test(regions, announcement_assembles_six_bytes_low_first)
{
	struct sim_announce a = { 0 };
	const unsigned bytes[] = { 0x00, 0xf0, 0x5a, 0x34, 0x12, 0x7f };
	for (int i = 0; i < 5; i++)
		cr_assert_eq(announce_byte(&a, bytes[i]), 0);
	cr_assert_eq(announce_byte(&a, bytes[5]), 1);
	cr_assert_eq(a.addr, 0x7f12345af000ull);
}

Test(regions, begin_end_counts_the_difference)
{
	struct sim_regions r = { 0 };
	struct sim_counts at = { .insns = 100, .loads = 7 }, d;
	char err[100];
	cr_assert_eq(regions_begin(&r, 3, &at, err, sizeof(err)), 0);
	at.insns = 150;
	at.loads = 9;
	cr_assert_eq(regions_end(&r, 3, &at, &d, err, sizeof(err)), 0);
	cr_assert_eq(d.insns, 50);
	cr_assert_eq(d.loads, 2);
	cr_assert_eq(r.seq, 1);
	cr_assert_eq(r.finished, 1);
}

Test(regions, protocol_errors)
{
	struct sim_regions r = { 0 };
	struct sim_counts at = { 0 }, d;
	char err[100];
	cr_assert_eq(regions_end(&r, 1, &at, &d, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "end tag=1 without begin");
	regions_begin(&r, 1, &at, err, sizeof(err));
	cr_assert_eq(regions_begin(&r, 2, &at, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "begin tag=2 inside region tag=1 (dropped)");
	cr_assert_eq(regions_end(&r, 1, &at, &d, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "end tag=1 does not match begin tag=2 (dropped)");
	cr_assert_eq(r.finished, 0);
	cr_assert_eq(r.open, 0);
}

/* ---- the whole simulator, driven as the plugin drives it ------------- */

struct run {
	struct sim s;
	uint64_t insns; /* the plugin's inline counter */
	char *text;
	size_t len;
	FILE *out;
};

static void run_start(struct run *r, const char *preset_name,
		      const struct sim_args *a)
{
	struct sim_sizes z = preset(preset_name);
	struct sim_args none = { 0 };
	char err[100];
	memset(r, 0, sizeof(*r));
	r->out = open_memstream(&r->text, &r->len);
	cr_assert_not_null(r->out);
	cr_assert_eq(sim_init(&r->s, &z, a ? a : &none, &r->insns, r->out, err,
			      sizeof(err)), 0);
}

/* The whole output; valid until the next run_finish. */
static const char *run_finish(struct run *r)
{
	static char text[65536];
	sim_finish(&r->s);
	fclose(r->out);
	sim_free(&r->s);
	cr_assert_lt(r->len, sizeof(text));
	memcpy(text, r->text, r->len + 1);
	free(r->text);
	return text;
}

/* n instructions, each a load at va (va == pa), as the plugin sees them. */
static void loads(struct run *r, uint64_t va, unsigned n, uint64_t stride)
{
	for (unsigned i = 0; i < n; i++) {
		r->insns++;
		sim_access(&r->s, va + i * stride, va + i * stride, 3, 0, 0);
	}
}

#define WINDOW 0x101000ull

/* fb_sim_window_announce(): the marker, then one load of the base. */
static void window(struct run *r)
{
	sim_marker(&r->s, FB_SIM_OP_WINDOW, 0);
	r->insns++;
	sim_access(&r->s, WINDOW, WINDOW, 0, 0, 0);
}

/* fb_sim_invlpg(va): announcement, then the invlpg instruction. */
static void announced_invlpg(struct run *r, uint64_t va)
{
	sim_marker(&r->s, FB_SIM_OP_ANNOUNCE, 0);
	for (int i = 0; i < FB_SIM_ANNOUNCE_BYTES; i++) {
		r->insns++;
		uint64_t b = WINDOW + ((va >> (8 * i)) & 0xff);
		sim_access(&r->s, b, b, 0, 0, 0);
	}
	r->insns++;
	sim_invlpg(&r->s);
}

static void region_line(const char *text, unsigned seq, const char *want)
{
	char key[32];
	snprintf(key, sizeof(key), "\nregion %u ", seq);
	const char *p = strstr(text, key);
	cr_assert_not_null(p, "no region %u in:\n%s", seq, text);
	p += strlen(key);
	cr_assert_eq(strncmp(p, want, strlen(want)), 0,
		     "region %u: got \"%.*s\", want \"%s\"", seq,
		     (int)strcspn(p, "\n"), p, want);
}

Test(sim, output_header_regions_and_end)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	r.insns = 1000; /* before the region: not counted */
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 5);
	loads(&r, 0x200000, 16, PAGE);
	sim_marker(&r.s, FB_SIM_OP_END, 5);
	const char *t = run_finish(&r);
	cr_assert_eq(strncmp(t, "fbsim 1 source=skylake l1dtlb_4k=64/4 "
			     "l1dtlb_2m=32/4 stlb=1536/12 stlb_2m=shared "
			     "l1d=32/8/64 l2=256/4/64 llc=8192/16/64\n", 93), 0,
		     "%s", t);
	region_line(t, 1, "tag=5 insns=16 loads=16 stores=0 dtlb_l1_misses=16 "
		    "stlb_misses=16 l1d_misses=16 l2_misses=16 "
		    "llc_misses=16\n");
	cr_assert_not_null(strstr(t, "\nend regions=1 invlpg_unannounced=0 "
				  "cr3_writes=0 invlpg=0\n"));
}

Test(sim, announcement_is_not_counted_and_hits_one_page)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	window(&r);
	loads(&r, 0x300000, 4, PAGE);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 1);
	announced_invlpg(&r, 0x302000);
	loads(&r, 0x300000, 4, PAGE);
	sim_marker(&r.s, FB_SIM_OP_END, 1);
	const char *t = run_finish(&r);
	/* the invlpg and 4 loads; one walk, for the page that was flushed */
	region_line(t, 1, "tag=1 insns=5 loads=4 stores=0 dtlb_l1_misses=1 "
		    "stlb_misses=1 l1d_misses=0 ");
	cr_assert_not_null(strstr(t, "invlpg_unannounced=0 cr3_writes=0 "
				  "invlpg=1\n"), "%s", t);
}

Test(sim, unannounced_invlpg_flushes_non_global)
{
	struct run r;
	struct sim_args a = { 0 };
	cr_assert_eq(sim_range_parse("0x300000-0x301000", PAGE,
				     &a.global.r[0], NULL, 0), 0);
	a.global.n = 1;
	run_start(&r, "skylake", &a);
	loads(&r, 0x300000, 4, PAGE);
	r.insns++;
	sim_invlpg(&r.s);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 1);
	loads(&r, 0x300000, 4, PAGE);
	sim_marker(&r.s, FB_SIM_OP_END, 1);
	const char *t = run_finish(&r);
	region_line(t, 1, "tag=1 insns=4 loads=4 stores=0 dtlb_l1_misses=3 ");
	cr_assert_not_null(strstr(t, "invlpg_unannounced=1 cr3_writes=0 "
				  "invlpg=1\n"), "%s", t);
}

Test(sim, cr3_write_keeps_global_ranges)
{
	struct run r;
	struct sim_args a = { 0 };
	char err[100];
	char *argv[] = { "out=x", "global=0x300000-0x302000" };
	cr_assert_eq(sim_args_parse(2, argv, &a, err, sizeof(err)), 0);
	run_start(&r, "zen3", &a);
	loads(&r, 0x300000, 4, PAGE);
	r.insns++;
	sim_cr3_write(&r.s);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 2);
	loads(&r, 0x300000, 4, PAGE);
	sim_marker(&r.s, FB_SIM_OP_END, 2);
	const char *t = run_finish(&r);
	region_line(t, 1, "tag=2 insns=4 loads=4 stores=0 dtlb_l1_misses=2 "
		    "stlb_misses=2 ");
	cr_assert_not_null(strstr(t, "cr3_writes=1"));
}

Test(sim, stores_and_io_accesses)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 9);
	r.insns += 2;
	sim_access(&r.s, 0x400000, 0x400000, 3, 1, 0);
	sim_access(&r.s, 0xfee00000, 0xfee00000, 2, 0, 1); /* MMIO: TLB only */
	sim_marker(&r.s, FB_SIM_OP_END, 9);
	const char *t = run_finish(&r);
	region_line(t, 1, "tag=9 insns=2 loads=1 stores=1 dtlb_l1_misses=2 "
		    "stlb_misses=2 l1d_misses=1 l2_misses=1 llc_misses=1\n");
}

Test(sim, protocol_errors_are_lines_and_counting_goes_on)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	sim_marker(&r.s, FB_SIM_OP_END, 9);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 7);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 8);
	loads(&r, 0x200000, 1, PAGE);
	sim_marker(&r.s, FB_SIM_OP_END, 8);
	sim_marker(&r.s, FB_SIM_OP_ANNOUNCE, 0); /* no window yet */
	sim_marker(&r.s, 77, 1);
	sim_marker(&r.s, FB_SIM_OP_BEGIN, 4); /* never ended */
	const char *t = run_finish(&r);
	const char *want = "error 0 end tag=9 without begin\n"
			   "error 1 begin tag=8 inside region tag=7 (dropped)\n"
			   "region 2 tag=8 insns=1 loads=1 ";
	cr_assert_not_null(strstr(t, want), "%s", t);
	cr_assert_not_null(strstr(t, "error 2 announcement before the window "
				  "marker\nerror 2 unknown marker op=77 tag=1\n"),
			   "%s", t);
	cr_assert_not_null(strstr(t, "error 3 region tag=4 not ended\n"
				  "end regions=1 "), "%s", t);
}

Test(sim, incomplete_announcement_is_an_error_and_invlpg_unannounced)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	window(&r);
	sim_marker(&r.s, FB_SIM_OP_ANNOUNCE, 0);
	r.insns++;
	sim_access(&r.s, WINDOW + 5, WINDOW + 5, 0, 0, 0);
	r.insns++;
	sim_invlpg(&r.s);
	const char *t = run_finish(&r);
	cr_assert_not_null(strstr(t, "error 0 announcement with fewer than 6 "
				  "loads\n"), "%s", t);
	cr_assert_not_null(strstr(t, "invlpg_unannounced=1"));
}

Test(sim, window_must_be_aligned)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	sim_marker(&r.s, FB_SIM_OP_WINDOW, 0);
	r.insns++;
	sim_access(&r.s, WINDOW + 8, WINDOW + 8, 0, 0, 0);
	sim_marker(&r.s, FB_SIM_OP_ANNOUNCE, 0);
	const char *t = run_finish(&r);
	cr_assert_not_null(strstr(t, "error 0 window 0x101008 is not 256-byte "
				  "aligned\nerror 0 announcement before the "
				  "window marker\n"), "%s", t);
}

/* A fixed pseudo-random mix of loads, stores, flushes and regions. */
static char *mixed_run(void)
{
	struct run r;
	run_start(&r, "skylake", NULL);
	uint64_t x = 12345;
	for (unsigned i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t va = (x >> 20) % (64ull << 20);
		if (i % 10000 == 0)
			sim_marker(&r.s, FB_SIM_OP_BEGIN, i / 10000 % 256);
		r.insns++;
		sim_access(&r.s, va, va, (x >> 8) & 3, (x >> 12) & 1, 0);
		if (i % 7777 == 0)
			sim_cr3_write(&r.s);
		if (i % 10000 == 9999)
			sim_marker(&r.s, FB_SIM_OP_END, i / 10000 % 256);
	}
	return strdup(run_finish(&r));
}

Test(sim, same_input_same_counts)
{
	char *a = mixed_run(), *b = mixed_run();
	cr_assert_str_eq(a, b);
	cr_assert_not_null(strstr(a, "end regions=20 "), "%s", a);
	free(a);
	free(b);
}

/* ---- arguments ------------------------------------------------------- */

static int parse(int argc, char **argv, struct sim_args *a, char *err)
{
	return sim_args_parse(argc, argv, a, err, 120);
}

Test(args, all_keys)
{
	struct sim_args a;
	char err[120];
	char *argv[] = { "out=/tmp/x", "preset=zen3", "huge=0x200000-0x600000",
			 "huge=0x40000000-0x40200000", "global=0xffff800000000000-0xffff800000001000" };
	cr_assert_eq(parse(5, argv, &a, err), 0, "%s", err);
	cr_assert_str_eq(a.out, "/tmp/x");
	cr_assert_str_eq(a.preset, "zen3");
	cr_assert_eq(a.huge.n, 2);
	cr_assert_eq(a.huge.r[1].lo, 0x40000000);
	cr_assert_eq(a.global.r[0].hi, 0xffff800000001000ull);
	cr_assert(sim_ranges_contain(&a.huge, 0x5fffff));
	cr_assert_not(sim_ranges_contain(&a.huge, 0x600000), "HI is exclusive");
}

Test(args, preset_defaults_to_cpuid)
{
	struct sim_args a;
	char err[120];
	char *argv[] = { "out=o" };
	cr_assert_eq(parse(1, argv, &a, err), 0);
	cr_assert_str_eq(a.preset, "cpuid");
}

Test(args, refused)
{
	struct {
		const char *arg, *why;
	} bad[] = {
		{ "preset=haswell", "preset=haswell: not skylake, zen3 or cpuid" },
		{ "huge=200000-400000", "range \"200000-400000\" is not 0xLO-0xHI" },
		{ "huge=0x400000-0x200000", "range \"0x400000-0x200000\" is empty (LO >= HI)" },
		{ "huge=0x1000-0x200000", "range \"0x1000-0x200000\" is not aligned to 0x200000" },
		{ "global=0x1000-0x1800", "range \"0x1000-0x1800\" is not aligned to 0x1000" },
		{ "global=0x0x1000-0x2000", "range \"0x0x1000-0x2000\" is not 0xLO-0xHI" },
		{ "global=0x1000-0x2000junk", "range \"0x1000-0x2000junk\" is not 0xLO-0xHI" },
		{ "global=0x10000000000000000-0x2", "range \"0x10000000000000000-0x2\" is not 0xLO-0xHI" },
		{ "hugepages=0x0-0x200000", "unknown argument \"hugepages\" (out, preset, huge, global)" },
		{ "verbose", "argument \"verbose\" is not KEY=VALUE" },
		{ "out=", "out= is empty" },
		{ "out=b", "out= given twice" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sim_args a;
		char err[120] = "";
		char *argv[] = { "out=a", (char *)bad[i].arg };
		int first = strncmp(bad[i].arg, "out=", 4) == 0 &&
			    strcmp(bad[i].arg, "out=") == 0;
		cr_assert_eq(parse(first ? 1 : 2, first ? argv + 1 : argv, &a,
				   err), -1, "%s accepted", bad[i].arg);
		cr_assert_str_eq(err, bad[i].why);
	}
}

Test(args, out_is_required)
{
	struct sim_args a;
	char err[120];
	char *argv[] = { "preset=skylake" };
	cr_assert_eq(parse(1, argv, &a, err), -1);
	cr_assert_str_eq(err, "out=PATH is required");
}

/* ---- sizes from CPUID ------------------------------------------------ */

/* A fake CPUID: a table of (leaf, subleaf) -> registers; zeros elsewhere. */
struct fake_leaf {
	uint32_t leaf, sub, r[4];
};
static const struct fake_leaf *fake;
static size_t nfake;

static void fake_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(r[0]));
	for (size_t i = 0; i < nfake; i++)
		if (fake[i].leaf == leaf && fake[i].sub == sub)
			memcpy(r, fake[i].r, sizeof(fake[i].r));
}

#define VENDOR_INTEL 0x756e6547, 0x6c65746e, 0x49656e69 /* ebx ecx edx */
#define VENDOR_AMD 0x68747541, 0x444d4163, 0x69746e65

/* Leaf 4 / 0x8000001D registers for a cache of that shape. */
#define DET_CACHE(type, level, ways, line, sets)                             \
	{ (type) | (level) << 5, ((ways) - 1u) << 22 | ((line) - 1u), (sets) - 1u, 0 }

/*
 * An Intel CPU that describes its TLBs in leaf 2 only: descriptors 0x63
 * (DTLB 2/4 MiB 32 entries 4-way), 0x03 (DTLB 4 KiB 64 entries 4-way),
 * 0xc3 (STLB 4 KiB/2 MiB 1536 entries 6-way), 0xff (caches: leaf 4).
 */
static const struct fake_leaf intel_leaf2[] = {
	{ 0, 0, { 0x16, VENDOR_INTEL } },
	{ 2, 0, { 0x00c30301 | 0, 0, 0, 0x6300ff00 } },
	{ 4, 0, DET_CACHE(1, 1, 8, 64, 64) },
	{ 4, 1, DET_CACHE(2, 1, 8, 64, 64) },
	{ 4, 2, DET_CACHE(3, 2, 4, 64, 1024) },
	{ 4, 3, DET_CACHE(3, 3, 16, 64, 8192) },
};

Test(cpuid, intel_leaf2_and_leaf4)
{
	struct sim_sizes s;
	char err[200] = "";
	fake = intel_leaf2;
	nfake = sizeof(intel_leaf2) / sizeof(intel_leaf2[0]);
	cr_assert_eq(sim_sizes_cpuid(fake_cpuid, &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.l1dtlb_4k.entries, 64);
	cr_assert_eq(s.l1dtlb_4k.ways, 4);
	cr_assert_eq(s.l1dtlb_2m.entries, 32);
	cr_assert_eq(s.stlb.entries, 1536);
	cr_assert_eq(s.stlb.ways, 6);
	cr_assert(s.stlb_2m_shared);
	cr_assert_eq(s.l1d.bytes, 32 * 1024);
	cr_assert_eq(s.l2.bytes, 256 * 1024);
	cr_assert_eq(s.llc.bytes, 8 << 20);
	cr_assert_eq(s.llc.ways, 16);
}

/*
 * Leaf 0x18 (as on Ice Lake): a load-only L1 DTLB for 4 KiB pages (64
 * entries, 4 ways x 16 sets), one for 2 MiB (32, 4 x 8), a store-only
 * one (ignored) and an STLB for 4 KiB and 2 MiB (2048: 16 ways x 128).
 */
#define L18(type, level, pages, ways, sets, full)                            \
	{ 0, (pages) | (ways) << 16, (sets), (type) | (level) << 5 | (full) << 8 }

static const struct fake_leaf intel_leaf18[] = {
	{ 0, 0, { 0x1b, VENDOR_INTEL } },
	{ 0x18, 0, { 4, 0, 0, 0 } },
	{ 0x18, 1, L18(4, 1, 0x1, 4, 16, 0) },
	{ 0x18, 2, L18(4, 1, 0x6, 4, 8, 0) },
	{ 0x18, 3, L18(5, 1, 0xf, 16, 1, 1) },
	{ 0x18, 4, L18(3, 2, 0x3, 16, 128, 0) },
	{ 4, 0, DET_CACHE(1, 1, 12, 64, 64) },
	{ 4, 1, DET_CACHE(3, 2, 20, 64, 1024) },
	{ 4, 2, DET_CACHE(3, 3, 12, 64, 16384) },
};

Test(cpuid, intel_leaf18)
{
	struct sim_sizes s;
	char err[200] = "";
	fake = intel_leaf18;
	nfake = sizeof(intel_leaf18) / sizeof(intel_leaf18[0]);
	cr_assert_eq(sim_sizes_cpuid(fake_cpuid, &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.l1dtlb_4k.entries, 64);
	cr_assert_eq(s.l1dtlb_2m.entries, 32);
	cr_assert_eq(s.stlb.entries, 2048);
	cr_assert_eq(s.stlb.ways, 16);
	cr_assert(s.stlb_2m_shared);
	cr_assert_eq(s.l1d.bytes, 48 * 1024);
	cr_assert_eq(s.l2.bytes, 1280 * 1024);
	cr_assert_eq(s.llc.bytes, 12ull << 20);
}

/*
 * AMD with TOPOEXT (0x8000001D): L1 DTLB 64 entries fully associative for
 * both sizes (0x80000005 assoc 0xff), L2 DTLB 2048 entries code 6 (8 to
 * 15 ways: 8) for 4 KiB and code 0 (none) for 2 MiB.
 */
static const struct fake_leaf amd_topoext[] = {
	{ 0, 0, { 0x10, VENDOR_AMD } },
	{ 0x80000000, 0, { 0x80000020, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 1u << 22, 0 } },
	{ 0x80000005, 0, { 0xff40ff40, 0xff40ff40, 0, 0 } },
	{ 0x80000006, 0, { 0x00000000, 0x68002000, 0, 0 } },
	{ 0x8000001d, 0, DET_CACHE(1, 1, 8, 64, 64) },
	{ 0x8000001d, 1, DET_CACHE(2, 1, 8, 64, 64) },
	{ 0x8000001d, 2, DET_CACHE(3, 2, 8, 64, 1024) },
	{ 0x8000001d, 3, DET_CACHE(3, 3, 16, 64, 32768) },
};

Test(cpuid, amd_topoext)
{
	struct sim_sizes s;
	char err[200] = "";
	fake = amd_topoext;
	nfake = sizeof(amd_topoext) / sizeof(amd_topoext[0]);
	cr_assert_eq(sim_sizes_cpuid(fake_cpuid, &s, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(s.l1dtlb_4k.entries, 64);
	cr_assert_eq(s.l1dtlb_4k.ways, 64, "fully associative");
	cr_assert_eq(s.stlb.entries, 2048);
	cr_assert_eq(s.stlb.ways, 8, "code 6: the lower bound of 8-15");
	cr_assert_not(s.stlb_2m_shared);
	cr_assert_eq(s.stlb_2m.entries, 0, "code 0: no 2 MiB STLB");
	cr_assert_eq(s.llc.bytes, 32ull << 20);
	char line[300];
	cr_assert_eq(sim_sizes_format(&s, line, sizeof(line)), 0);
	cr_assert_str_eq(line, "source=cpuid l1dtlb_4k=64/64 l1dtlb_2m=64/64 "
			 "stlb=2048/8 stlb_2m=none l1d=32/8/64 l2=512/8/64 "
			 "llc=32768/16/64");
}

/*
 * AMD without TOPOEXT whose L3 associativity code is 9 ("see
 * 0x8000001D"): the registers of the machine this was written on.
 */
static const struct fake_leaf amd_no_topoext[] = {
	{ 0, 0, { 0x0d, VENDOR_AMD } },
	{ 0x80000000, 0, { 0x80000021, 0, 0, 0 } },
	{ 0x80000001, 0, { 0x00b00f21, 0x40000000, 0x440001f1, 0x25d3fbff } },
	{ 0x80000005, 0, { 0xff60ff40, 0xff60ff40, 0x300c0140, 0x20080140 } },
	{ 0x80000006, 0, { 0x40802040, 0x60804040, 0x04006140, 0x0fe09140 } },
};

/*
 * L3 associativity code 9 ("see 0x8000001D") without that leaf, as this
 * project's virtual AMD CPUs report it: 16 ways assumed, and said in the
 * source; a reserved code (7) is still refused.
 */
Test(cpuid, amd_l3_code_9_without_0x8000001d_assumes_16_ways)
{
	struct sim_sizes s;
	char err[200] = "";
	fake = amd_no_topoext;
	nfake = sizeof(amd_no_topoext) / sizeof(amd_no_topoext[0]);
	cr_assert_eq(sim_sizes_cpuid(fake_cpuid, &s, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_str_eq(s.source, "cpuid:l3_ways_assumed_16");
	cr_assert_eq(s.llc.ways, 16);
	cr_assert_eq(s.llc.bytes, 1016ull * 512 * 1024); /* EDX[31:18] */
	struct fake_leaf reserved[sizeof(amd_no_topoext) / sizeof(amd_no_topoext[0])];
	memcpy(reserved, amd_no_topoext, sizeof(reserved));
	for (size_t i = 0; i < nfake; i++)
		if (reserved[i].leaf == 0x80000006)
			reserved[i].r[3] = (reserved[i].r[3] & ~0xf000u) | 0x7000u;
	fake = reserved;
	cr_assert_eq(sim_sizes_cpuid(fake_cpuid, &s, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "CPUID 0x80000006 gives no L3 associativity "
			 "(code 7) and 0x8000001D is absent");
	/* what it did decode: */
	cr_assert_eq(s.l1dtlb_4k.entries, 96);
	cr_assert_eq(s.stlb.entries, 128);
	cr_assert_eq(s.stlb.ways, 8);
	cr_assert_eq(s.stlb_2m.entries, 128);
	cr_assert_eq(s.stlb_2m.ways, 4);
	cr_assert_eq(s.l1d.bytes, 48 * 1024);
	cr_assert_eq(s.l1d.ways, 12);
	cr_assert_eq(s.l2.bytes, 1024 * 1024);
}

Test(cpuid, this_machine)
{
	struct sim_sizes s;
	char err[200] = "", line[300];
	if (sim_sizes_cpuid(sim_host_cpuid, &s, err, sizeof(err))) {
		cr_log_info("this machine's CPUID: %s", err);
		cr_assert_neq(err[0], '\0', "a refusal says why");
		return;
	}
	cr_assert_eq(sim_sizes_format(&s, line, sizeof(line)), 0);
	cr_log_info("this machine's CPUID: %s", line);
	cr_assert_geq(s.l1dtlb_4k.entries, 8);
	cr_assert_geq(s.stlb.entries, s.l1dtlb_4k.entries);
	cr_assert_geq(s.l2.bytes, s.l1d.bytes);
	cr_assert_geq(s.llc.bytes, s.l2.bytes);
}

Test(cpuid, presets_are_usable)
{
	const char *names[] = { "skylake", "zen3" };
	for (int i = 0; i < 2; i++) {
		struct sim_sizes s = preset(names[i]);
		char err[200];
		cr_assert_eq(sim_sizes_check(&s, err, sizeof(err)), 0, "%s", err);
	}
	struct sim_sizes s;
	cr_assert_eq(sim_sizes_preset("cpuid", &s), -1, "not a preset");
}
