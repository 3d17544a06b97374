/*
 * On-demand fork (Zhao et al., EuroSys'21): fork shares the last-level
 * page tables instead of copying them; the first write in a 2 MiB range
 * copies that range's PTE table.
 */
#ifndef GUEST_ODF_H
#define GUEST_ODF_H

#include "kernel/frame.h"
#include "kernel/vm.h"
#include "kernel/vmstat.h"

/*
 * Share the PTE table under the parent's PMD entry src_pmd with the
 * child's dst_pmd (the child's upper levels are its own): both entries
 * write-protected and marked PMD_ODF, one more reference on the table.
 * Inline: on-demand fork is made of it, once per 2 MiB.
 */
static inline void odf_share_pmd(pte_t *dst_pmd, pte_t *src_pmd)
{
	*src_pmd = (*src_pmd & ~PTE_W) | PMD_ODF;
	*dst_pmd = *src_pmd;
	frame_get_small(PTE_ADDR(*src_pmd)); /* a table: a 4 KiB frame */
	vmstat.pt_shared++;
}

/*
 * Make the PTE table under pmd (marked PMD_ODF) this address space's
 * own: copied when others still share it, else just writable again.
 * Flushes the TLB. 0, or -ENOMEM (nothing changed).
 */
int pte_table_unshare(pte_t *pmd);

#endif
