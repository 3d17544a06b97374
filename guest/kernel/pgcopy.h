/*
 * Fork's copies of an address space, one PMD entry (2 MiB) at a time:
 * Linux's copy_page_range for COW fork, xv6's uvmcopy for the naive one,
 * on-demand fork's table sharing (odf.h) and 2 MiB pages (huge_memory.h).
 */
#ifndef GUEST_PGCOPY_H
#define GUEST_PGCOPY_H

#include <stdint.h>

#include "kernel/mm.h"
#include "kernel/vm.h"

enum copy_how {
	COPY_COW,       /* PTEs copied, pages shared COW; 2 MiB pages split on write */
	COPY_HUGE_COPY, /* the same, but a write copies a whole 2 MiB page */
	COPY_EAGER,     /* every page copied now (naive fork) */
	COPY_ODF,       /* PTE tables shared until written (odf.c) */
};

/* src's user half into dst's, as how says. 0, or -ENOMEM. */
int copy_page_range(struct mm *src, struct mm *dst, enum copy_how how);

/*
 * copy_pte_range's loop: entries [i, end) of to become a copy of those of
 * the PTE table from (pointed to by PMD entry pmd); writable pages become
 * COW on both sides and the copy takes a reference on every page. Every
 * entry of the range is written. Returns the PTEs copied.
 */
uint64_t copy_pte_entries(pte_t *to, pte_t *from, pte_t pmd, unsigned i,
			  unsigned end);

#endif
