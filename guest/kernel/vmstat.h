/*
 * Exact software counters of the memory system. They must match the
 * arithmetic of each fork variant (naive fork of N pages copies N pages),
 * and the tests check that they do.
 */
#ifndef GUEST_VMSTAT_H
#define GUEST_VMSTAT_H

#include <stdint.h>

struct vmstat {
	uint64_t pages_copied;     /* 4 KiB page copies (fork and COW) */
	uint64_t pt_pages_alloc;   /* page-table pages allocated */
	uint64_t ptes_copied;      /* leaf entries copied into a child (a
				      2 MiB page's PMD entry is one) */
	uint64_t cow_faults;       /* write faults on COW pages */
	uint64_t cow_copies;       /* ... resolved by copying (wp_page_copy) */
	uint64_t cow_reuses;       /* ... resolved by reuse (wp_page_reuse) */
	uint64_t demand_faults;    /* first touches of lazily allocated pages */
	uint64_t tlb_full_flushes; /* CR3 reloads */
	uint64_t invlpgs;
	uint64_t frames_alloc;
	uint64_t frames_freed;
	uint64_t pt_shared;        /* PTE tables shared by on-demand fork */
	uint64_t pt_copied;        /* ... copied on their first write fault */
	uint64_t huge_copies;      /* COW faults that copied a 2 MiB page */
	uint64_t pmd_splits;       /* 2 MiB pages split into 512 PTEs */
};

extern struct vmstat vmstat;

/* delta = vmstat - before, counter by counter. */
void vmstat_since(const struct vmstat *before, struct vmstat *delta);

#endif
