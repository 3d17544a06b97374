/*
 * Copying an address space at fork (pgcopy.h). The COW loop is the one
 * every page of a parent goes through, so it is written for that: one
 * pass over each PTE table, no walk per page, the write-protect without
 * a branch and the reference count taken inline (frame_get_small).
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

/* A table of parts of 2 MiB frames: their references count on the frame. */
static uint64_t copy_subpage_entries(pte_t *to, pte_t *from)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = from[i];
		if (pte & PTE_P) {
			pte = wrprotect(pte);
			from[i] = pte;
			frame_get(PTE_ADDR(pte));
			n++;
		}
		to[i] = pte;
	}
	return n;
}

uint64_t copy_pte_entries(pte_t *to, pte_t *from, pte_t pmd)
{
	if (pmd & PMD_SUBPAGES)
		return copy_subpage_entries(to, from);
	uint64_t n = 0;
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t pte = from[i];
		if (pte & PTE_P) {
			pte = wrprotect(pte);
			from[i] = pte;
			frame_get_small(PTE_ADDR(pte));
			n++;
		}
		to[i] = pte;
	}
	return n;
}

/* copy_pte_range: the child's own copy of one PTE table. */
static int copy_pte_range(pte_t *dst_pmd, pte_t *src_pmd)
{
	uint64_t pa = alloc_table_uninit();
	if (!pa)
		return -ENOMEM;
	pte_t *from = pa_to_va(PTE_ADDR(*src_pmd));
	vmstat.ptes_copied += copy_pte_entries(pa_to_va(pa), from, *src_pmd);
	*dst_pmd = pa | (*src_pmd & PMD_SUBPAGES) | PTE_P | PTE_W;
	return 0;
}

_Static_assert(PTE_W == PTE_COW >> 8, "unprotect moves COW into W");

/* A page's flags in a private copy: a COW page is the copy's to write. */
static inline pte_t unprotect(pte_t pte)
{
	return (pte & ~PTE_ADDR_MASK & ~PTE_COW) | (pte & PTE_COW) >> 8;
}

/* The entries [*first, *end) of the table at va that map program text. */
static void text_slots(const struct mm *mm, uint64_t va, unsigned *first,
		       unsigned *end)
{
	uint64_t lo = mm->text_start > va ? mm->text_start : va;
	uint64_t hi = mm->text_end < va + HUGE_SIZE ? mm->text_end
						    : va + HUGE_SIZE;
	*first = *end = 0;
	if (fork_share_text && lo < hi) {
		*first = (unsigned)((lo - va) / PAGE_SIZE);
		*end = (unsigned)((hi - va + PAGE_SIZE - 1) / PAGE_SIZE);
	}
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
 * pages copied, or -1 when RAM ran out (to holds those copied so far).
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
 * uvmcopy for one PTE table: a private copy of every page, but for
 * program text, shared read-only when fork_share_text.
 */
static int uvmcopy_range(const struct mm *src, uint64_t va, pte_t *dst_pmd,
			 pte_t *src_pmd)
{
	uint64_t tpa = alloc_table();
	if (!tpa)
		return -ENOMEM;
	*dst_pmd = tpa | PTE_P | PTE_W;
	pte_t *to = pa_to_va(tpa), *from = pa_to_va(PTE_ADDR(*src_pmd));
	unsigned text, text_end;
	text_slots(src, va, &text, &text_end);
	uint64_t shared = share_text(to, from, text, text_end);
	int64_t before = copy_pages(to, from, 0, text);
	int64_t after = before < 0 ? 0 : copy_pages(to, from, text_end,
						   PTRS_PER_TABLE);
	/* -1 - n when RAM ran out after n copies */
	uint64_t copied = (uint64_t)(before < 0 ? -1 - before : before) +
			  (uint64_t)(after < 0 ? -1 - after : after);
	vmstat.pages_copied += copied;
	vmstat.ptes_copied += shared + copied;
	return before < 0 || after < 0 ? -ENOMEM : 0;
}

struct range_ctx {
	const struct mm *src;
	uint64_t dst_pml4;
	enum copy_how how;
};

/* A PMD entry pointing to a PTE table (2 MiB of the parent) into the child. */
static int copy_pte_table(struct range_ctx *c, uint64_t va, pte_t *dst_pmd,
			  pte_t *src_pmd)
{
	switch (c->how) {
	case COPY_EAGER: return uvmcopy_range(c->src, va, dst_pmd, src_pmd);
	case COPY_ODF: odf_share_pmd(dst_pmd, src_pmd); return 0;
	default: return copy_pte_range(dst_pmd, src_pmd);
	}
}

/*
 * copy_pmd_range: the child's PMD table for 1 GiB of the parent, entry by
 * entry. A 2 MiB page costs one entry here (copy_huge_pmd inline), so
 * that a parent of them forks in a few instructions per 2 MiB.
 */
static int copy_pmd_range(uint64_t va, pte_t *src_pud, void *ctx)
{
	struct range_ctx *c = ctx;
	pte_t *dst_pud = pud_walk(c->dst_pml4, va, 1);
	if (!dst_pud)
		return -ENOMEM;
	uint64_t pa = alloc_table();
	if (!pa)
		return -ENOMEM;
	*dst_pud = pa | PTE_P | PTE_W;
	pte_t *to = pa_to_va(pa), *from = pa_to_va(PTE_ADDR(*src_pud));
	int whole = c->how == COPY_HUGE_COPY;
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++, va += HUGE_SIZE) {
		if (!(from[i] & PTE_P))
			continue;
		int r = 0;
		if (!(from[i] & PTE_PS))
			r = copy_pte_table(c, va, &to[i], &from[i]);
		else if (c->how == COPY_EAGER)
			r = uvmcopy_huge_pmd(&to[i], &from[i]);
		else
			copy_huge_pmd(&to[i], &from[i], whole);
		if (r)
			return r;
	}
	return 0;
}

int copy_page_range(struct mm *src, struct mm *dst, enum copy_how how)
{
	struct range_ctx c = { src, dst->pml4, how };
	return vm_for_each_pud(src->pml4, copy_pmd_range, &c);
}
