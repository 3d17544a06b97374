/*
 * On-demand fork (Zhao et al., EuroSys'21): fork shares the last-level
 * page tables instead of copying them; the first write in a 2 MiB range
 * copies that range's PTE table.
 */
#ifndef GUEST_ODF_H
#define GUEST_ODF_H

#include "kernel/vm.h"

/*
 * Share every PTE table of src_pml4's user half with dst_pml4 (whose
 * upper levels are its own): both PMD entries write-protected and marked
 * PMD_ODF, one more reference on each table. 0, or -ENOMEM.
 */
int odf_share_tables(uint64_t src_pml4, uint64_t dst_pml4);

/*
 * Make the PTE table under pmd (marked PMD_ODF) this address space's
 * own: copied when others still share it, else just writable again.
 * Flushes the TLB. 0, or -ENOMEM (nothing changed).
 */
int pte_table_unshare(pte_t *pmd);

#endif
