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
#include "kernel/pgcopy.h"
#include "kernel/vmstat.h"

int pte_table_unshare(pte_t *pmd)
{
	uint64_t old = PTE_ADDR(*pmd);
	pte_t flags = (*pmd & ~PTE_ADDR_MASK & ~PMD_ODF) | PTE_W;
	if (frame_refcount(old) == 1) { /* the others are gone: ours alone */
		*pmd = old | flags;
	} else {
		/*
		 * copy_pte_range for this table: the copy maps the same pages,
		 * writable ones become COW in both (the other sharers see the
		 * original, now COW too), and the copy takes a reference on
		 * every page.
		 */
		uint64_t pa = alloc_table_uninit();
		if (!pa)
			return -ENOMEM;
		vmstat.ptes_copied +=
			copy_pte_entries(pa_to_va(pa), pa_to_va(old), *pmd, 0,
					 PTRS_PER_TABLE);
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
