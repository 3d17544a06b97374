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
	uint64_t ptes_copied;      /* leaf PTEs copied into a child */
	uint64_t cow_faults;       /* write faults on COW pages */
	uint64_t cow_copies;       /* ... resolved by copying (wp_page_copy) */
	uint64_t cow_reuses;       /* ... resolved by reuse (wp_page_reuse) */
	uint64_t demand_faults;    /* first touches of lazily allocated pages */
	uint64_t tlb_full_flushes; /* CR3 reloads */
	uint64_t invlpgs;
	uint64_t frames_alloc;
	uint64_t frames_freed;
};

extern struct vmstat vmstat;

/* delta = vmstat - before, counter by counter. */
void vmstat_since(const struct vmstat *before, struct vmstat *delta);
/* What the last process creation did to the address space (fork.c). */
extern struct vmstat fork_last;

/*
 * Where the last creation call's cycles went, measured only when
 * fork_phases_on: timing inside the call adds TSC reads (two per page
 * copied) to the very path the benchmark times from outside.
 */
struct fork_phases {
	uint64_t total;     /* do_clone, entry to scheduling decision */
	uint64_t pt_copy;   /* walking and building page tables (minus copies) */
	uint64_t page_copy; /* 4 KiB copies */
	uint64_t tlb;       /* TLB invalidation */
};
extern struct fork_phases fork_last_phases;
extern int fork_phases_on;

#endif
