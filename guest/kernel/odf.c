/*
 * On-demand fork's page tables. Fork points the child's PMD entries at
 * the parent's PTE tables and write-protects both sides' entries (x86
 * combines the R/W bits of every level, so reads go on through a shared
 * table without a fault); the cost is one entry per 2 MiB, not one per
 * page. The first write fault in a range unshares its table
 * (pte_table_unshare), then the usual COW fault handles the page.
 *
 * The refcount invariant: a PTE table's frame refcount is the number of
 * PMD entries (address spaces) pointing to it, and the table holds one
 * reference on each page it maps however many address spaces share it.
 * So sharing a table touches no page; a copy of it takes its own page
 * references (what copy_pte_range does for COW fork); teardown
 * (pte_table_put, vm.c) drops the table and only its last sharer drops
 * the pages.
 */
#include "kernel/odf.h"
#include "kernel/errno.h"
#include "kernel/frame.h"
#include "kernel/vmstat.h"

#define ENTRIES 512

struct share_ctx {
	uint64_t dst_pml4;
};

/* One PMD entry of the parent: the child's points to the same table. */
static int share_pmd(uint64_t va, pte_t *pmd, void *ctx)
{
	struct share_ctx *c = ctx;
	pte_t *dst = pmd_walk(c->dst_pml4, va, 1);
	if (!dst)
		return -ENOMEM;
	*pmd = (*pmd & ~PTE_W) | PMD_ODF;
	*dst = *pmd;
	frame_get(PTE_ADDR(*pmd));
	vmstat.pt_shared++;
	return 0;
}

int odf_share_tables(uint64_t src_pml4, uint64_t dst_pml4)
{
	struct share_ctx c = { dst_pml4 };
	return vm_for_each_pmd(src_pml4, share_pmd, &c);
}

/*
 * copy_pte_range for one table: the copy maps the same pages, writable
 * ones become COW in both (the other sharers see the original, now
 * COW too), and the copy takes a reference on every page.
 */
static void copy_pte_table(pte_t *to, pte_t *from)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		if (!(from[i] & PTE_P))
			continue;
		if (from[i] & PTE_W)
			from[i] = (from[i] & ~PTE_W) | PTE_COW;
		to[i] = from[i];
		frame_get(PTE_ADDR(from[i]));
		vmstat.ptes_copied++;
	}
}

int pte_table_unshare(pte_t *pmd)
{
	uint64_t old = PTE_ADDR(*pmd);
	pte_t flags = (*pmd & ~PTE_ADDR_MASK & ~PMD_ODF) | PTE_W;
	if (frame_refcount(old) == 1) { /* the others are gone: ours alone */
		*pmd = old | flags;
	} else {
		uint64_t pa = alloc_table();
		if (!pa)
			return -ENOMEM;
		copy_pte_table(pa_to_va(pa), pa_to_va(old));
		*pmd = pa | flags;
		frame_put(old); /* others remain: the pages stay theirs */
		vmstat.pt_copied++;
	}
	/*
	 * Cached translations of the range are read-only (and the paging-
	 * structure caches may hold the old entry): a write through them
	 * would fault on a writable PTE. One CR3 reload drops them all.
	 */
	tlb_flush_all();
	return 0;
}
