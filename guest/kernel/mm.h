/*
 * A process address space: its page tables and its regions. Text is the
 * program code, mapped read-only; heap and stack are anonymous memory,
 * allocated on first touch (demand faults) or eagerly when asked.
 */
#ifndef GUEST_MM_H
#define GUEST_MM_H

#include <stdint.h>

#include "kernel/vm.h"

#define TEXT_BASE USER_BASE
#define HEAP_BASE (USER_BASE + (1ull << 30))
#define HEAP_MAX (64ull << 30)
#define STACK_PAGES 64
#define STACK_TOP (USER_END - 0x1000)
#define STACK_LO (STACK_TOP - STACK_PAGES * 0x1000)

struct mm {
	uint64_t pml4;
	int users; /* processes running in it (CLONE_VM, vfork) */
	uint64_t text_start, text_end;
	uint64_t brk; /* heap is [HEAP_BASE, brk) */
};

/* A fresh address space with the program text mapped; NULL if no RAM. */
struct mm *mm_create(void);
/* An empty mm for a child; its pages come from a copy routine. */
struct mm *mm_alloc(uint64_t pml4);
void mm_get(struct mm *mm);
/* Drop a user; the last one frees every page and page-table page. */
void mm_put(struct mm *mm);

/*
 * Grow the heap by pages. touch (uapi.h SBRK_*): SBRK_TOUCH allocates and
 * zeroes every new page now (a parent of known size), SBRK_HUGE the same
 * with 2 MiB pages where an aligned 2 MiB fits; SBRK_LAZY leaves pages to
 * their first touch. Returns the old break, or a negative errno.
 */
int64_t mm_grow_heap(struct mm *mm, uint64_t pages, int touch);

enum region { REGION_NONE, REGION_TEXT, REGION_HEAP, REGION_STACK };
enum region mm_region(const struct mm *mm, uint64_t va);

/* Map a zero page at va (do_anonymous_page). 0, or -ENOMEM. */
int do_anonymous_page(struct mm *mm, uint64_t va);


#endif
