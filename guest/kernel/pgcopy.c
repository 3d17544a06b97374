/*
 * Copying an address space at fork (pgcopy.h), region by region. The COW
 * loop is the one every page of a parent goes through, so it is written
 * for that: one pass over each PTE table, no walk per page, the
 * write-protect without a branch and the reference count taken inline
 * (frame_get_small).
 */
#include "kernel/pgcopy.h"
#include "kernel/errno.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/huge_memory.h"
#include "kernel/odf.h"
#include "kernel/vmstat.h"

_Static_assert(PTE_COW == PTE_W << 8, "wrprotect moves W into COW");

/* A writable PTE becomes read-only and COW; any other stays as it is. */
static inline pte_t wrprotect(pte_t pte)
{
	return (pte & ~PTE_W) | (pte & PTE_W) << 8;
}

/*
 * The loop itself. subpages (a table of parts of 2 MiB frames, whose
 * references count on the frame) is a constant at each call, so each
 * call compiles to its own loop, the common one with the inline count.
 */
static inline __attribute__((always_inline)) uint64_t
copy_entries(pte_t *to, pte_t *from, unsigned i, unsigned end,
	     const int subpages)
{
	uint64_t n = 0;
	for (; i < end; i++) {
		pte_t pte = from[i];
		if (pte & PTE_P) {
			pte = wrprotect(pte);
			from[i] = pte;
			if (subpages)
				frame_get(PTE_ADDR(pte));
			else
				frame_get_small(PTE_ADDR(pte));
			n++;
		}
		to[i] = pte;
	}
	return n;
}

uint64_t copy_pte_entries(pte_t *to, pte_t *from, pte_t pmd, unsigned i,
			  unsigned end)
{
	if (pmd & PMD_SUBPAGES)
		return copy_entries(to, from, i, end, 1);
	return copy_entries(to, from, i, end, 0);
}

/* The entries [*i, *end) of a PTE table that [va, stop) covers. */
static void pte_slots(uint64_t va, uint64_t stop, unsigned *i, unsigned *end)
{
	*i = (unsigned)(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
	*end = *i + (unsigned)((stop - va + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/*
 * The child's PTE table under dst_pmd: made now (every entry written when
 * the range covers all of it, else zeroed), or the one an earlier region
 * in the same 2 MiB made. NULL when RAM ran out.
 */
static pte_t *child_table(pte_t *dst_pmd, pte_t flags, int whole)
{
	if (!(*dst_pmd & PTE_P)) {
		uint64_t pa = whole ? alloc_table_uninit() : alloc_table();
		if (!pa)
			return 0;
		*dst_pmd = pa | flags | PTE_P | PTE_W;
	}
	return pa_to_va(PTE_ADDR(*dst_pmd));
}

/* copy_pte_range: the child's own copy of [va, stop) of one PTE table. */
static int copy_pte_range(pte_t *dst_pmd, pte_t *src_pmd, uint64_t va,
			  uint64_t stop)
{
	unsigned i, end;
	pte_slots(va, stop, &i, &end);
	pte_t *to = child_table(dst_pmd, *src_pmd & PMD_SUBPAGES,
				i == 0 && end == PTRS_PER_TABLE);
	if (!to)
		return -ENOMEM;
	pte_t *from = pa_to_va(PTE_ADDR(*src_pmd));
	vmstat.ptes_copied += copy_pte_entries(to, from, *src_pmd, i, end);
	return 0;
}

_Static_assert(PTE_W == PTE_COW >> 8, "unprotect moves COW into W");

/* A page's flags in a private copy: a COW page is the copy's to write. */
static inline pte_t unprotect(pte_t pte)
{
	return (pte & ~PTE_ADDR_MASK & ~PTE_COW) | (pte & PTE_COW) >> 8;
}

/* Program text, shared read-only: entries [i, end) of the table. */
static uint64_t share_text(pte_t *to, const pte_t *from, unsigned i,
			   unsigned end)
{
	uint64_t n = 0;
	for (; i < end; i++) {
		if (from[i] & PTE_P) {
			frame_get(PTE_ADDR(from[i]));
			to[i] = from[i];
			n++;
		}
	}
	return n;
}

/*
 * A new frame and a 4 KiB copy for each page of entries [i, end): what
 * every page of a naive fork pays, so the loop around the copy is kept to
 * a few instructions (the counters are added once, by the caller). The
 * pages copied, or -1 - n when RAM ran out after n.
 */
static int64_t copy_pages(pte_t *to, const pte_t *from, unsigned i,
			  unsigned end)
{
	int64_t n = 0;
	for (; i < end; i++) {
		pte_t pte = from[i];
		if (!(pte & PTE_P))
			continue;
		uint64_t pa = frame_alloc(FRAME_USER);
		if (!pa)
			return -1 - n;
		timed_copy(pa_to_va(pa), pa_to_va(PTE_ADDR(pte)), PAGE_SIZE / 8);
		to[i] = pa | unprotect(pte);
		n++;
	}
	return n;
}

/*
 * uvmcopy for [va, stop) of one PTE table: a private copy of every page,
 * or for program text with fork_share_text (share), the same frames.
 */
static int uvmcopy_range(pte_t *dst_pmd, pte_t *src_pmd, uint64_t va,
			 uint64_t stop, int share)
{
	unsigned i, end;
	pte_slots(va, stop, &i, &end);
	pte_t *to = child_table(dst_pmd, 0, 0);
	if (!to)
		return -ENOMEM;
	pte_t *from = pa_to_va(PTE_ADDR(*src_pmd));
	if (share) {
		vmstat.ptes_copied += share_text(to, from, i, end);
		return 0;
	}
	int64_t n = copy_pages(to, from, i, end);
	uint64_t copied = (uint64_t)(n < 0 ? -1 - n : n);
	vmstat.pages_copied += copied;
	vmstat.ptes_copied += copied;
	return n < 0 ? -ENOMEM : 0;
}

struct range_ctx {
	uint64_t src_pml4, dst_pml4;
	enum copy_how how;
	int text; /* the region copied is program text */
};

static uint64_t next_boundary(uint64_t va, uint64_t size, uint64_t stop)
{
	uint64_t next = (va & ~(size - 1)) + size;
	return next < stop ? next : stop;
}

/* A PMD entry pointing to a PTE table: [va, stop) of it into the child. */
static int copy_pte_table(struct range_ctx *c, uint64_t va, uint64_t stop,
			  pte_t *dst_pmd, pte_t *src_pmd)
{
	switch (c->how) {
	case COPY_EAGER:
		return uvmcopy_range(dst_pmd, src_pmd, va, stop,
				     c->text && fork_share_text);
	case COPY_ODF:
		if (!(*dst_pmd & PTE_P)) /* not shared yet by another region */
			odf_share_pmd(dst_pmd, src_pmd);
		return 0;
	default: return copy_pte_range(dst_pmd, src_pmd, va, stop);
	}
}

/*
 * copy_pmd_range: [va, stop) of one PMD table (up to 1 GiB) into the
 * child's, entry by entry. A 2 MiB page costs one entry here
 * (copy_huge_pmd, inline), so that a parent of them forks in a few
 * instructions per 2 MiB.
 */
static int copy_pmd_range(struct range_ctx *c, uint64_t va, uint64_t stop,
			  pte_t *to, pte_t *from)
{
	int whole = c->how == COPY_HUGE_COPY;
	for (uint64_t next; va < stop; va = next) {
		next = next_boundary(va, HUGE_SIZE, stop);
		unsigned i = (unsigned)(va >> 21) & (PTRS_PER_TABLE - 1);
		if (!(from[i] & PTE_P))
			continue;
		int r = 0;
		if (!(from[i] & PTE_PS))
			r = copy_pte_table(c, va, next, &to[i], &from[i]);
		else if (c->how == COPY_EAGER)
			r = uvmcopy_huge_pmd(&to[i], &from[i]);
		else
			copy_huge_pmd(&to[i], &from[i], whole);
		if (r)
			return r;
	}
	return 0;
}

/* One region of the parent, [start, end), a PMD table at a time. */
static int copy_vma(struct range_ctx *c, uint64_t start, uint64_t end)
{
	for (uint64_t va = start, next; va < end; va = next) {
		next = next_boundary(va, 1ull << 30, end);
		pte_t *src_pud = pud_walk(c->src_pml4, va, 0);
		if (!src_pud || !(*src_pud & PTE_P))
			continue;
		pte_t *dst_pud = pud_walk(c->dst_pml4, va, 1);
		if (!dst_pud)
			return -ENOMEM;
		if (!(*dst_pud & PTE_P)) {
			uint64_t pa = alloc_table();
			if (!pa)
				return -ENOMEM;
			*dst_pud = pa | PTE_P | PTE_W;
		}
		int r = copy_pmd_range(c, va, next, pa_to_va(PTE_ADDR(*dst_pud)),
				       pa_to_va(PTE_ADDR(*src_pud)));
		if (r)
			return r;
	}
	return 0;
}

/*
 * Region by region, as Linux's dup_mmap copies VMA by VMA: the walk
 * visits the tables that map the process and not the empty rest of them.
 */
int copy_page_range(struct mm *src, struct mm *dst, enum copy_how how)
{
	const struct { uint64_t start, end; int text; } vmas[] = {
		{ src->text_start, src->text_end, 1 },
		{ HEAP_BASE, src->brk, 0 },
		{ STACK_LO, STACK_TOP, 0 },
	};
	struct range_ctx c = { src->pml4, dst->pml4, how, 0 };
	for (unsigned i = 0; i < sizeof(vmas) / sizeof(vmas[0]); i++) {
		c.text = vmas[i].text;
		int r = copy_vma(&c, vmas[i].start, vmas[i].end);
		if (r)
			return r;
	}
	return 0;
}
