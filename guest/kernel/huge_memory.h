/*
 * 2 MiB pages of process memory (Linux's mm/huge_memory.c): mapping a
 * heap range with one, sharing one at fork, and the first write after.
 */
#ifndef GUEST_HUGE_MEMORY_H
#define GUEST_HUGE_MEMORY_H

#include <stdint.h>

#include "kernel/frame.h"
#include "kernel/mm.h"
#include "kernel/vm.h"
#include "kernel/vmstat.h"

/* Map a zeroed 2 MiB page at va (2 MiB-aligned, unmapped). 0, or -ENOMEM. */
int do_huge_pmd_anonymous_page(struct mm *mm, uint64_t va);

/*
 * COW fork of a 2 MiB page (copy_huge_pmd): one PMD entry, write-protected
 * on both sides, one reference on the page. Inline: fork's loop over a
 * parent of 2 MiB pages is made of it. whole: the first write copies all 2 MiB
 * (huge_copy) instead of splitting the entry (Linux, cow fork).
 */
static inline void copy_huge_pmd(pte_t *dst_pmd, pte_t *src_pmd, int whole)
{
	pte_t pmd = *src_pmd;
	if (pmd & (PTE_W | PTE_COW))
		pmd = (pmd & ~(PTE_W | PMD_HUGE_COPY)) | PTE_COW |
		      (whole ? PMD_HUGE_COPY : 0);
	*src_pmd = pmd;
	*dst_pmd = pmd;
	frame_get_small(PTE_ADDR(pmd)); /* a head frame holds the count */
	vmstat.ptes_copied++;
}
/* Naive fork of a 2 MiB page: a copy of all of it. 0, or -ENOMEM. */
int uvmcopy_huge_pmd(pte_t *dst_pmd, pte_t *src_pmd);

/*
 * A write fault on a 2 MiB page: the writer's alone, it is made writable;
 * shared, it is copied whole (PMD_HUGE_COPY) or split into a table of 512
 * COW PTEs, after which *split is set and the caller handles the 4 KiB
 * fault in the new table. 0, -EFAULT (not COW: a real fault), -ENOMEM.
 */
int do_huge_pmd_wp_page(pte_t *pmd, uint64_t va, int *split);

#endif
