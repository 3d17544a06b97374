/* Helpers the in-guest tests share. */
#ifndef GUEST_TESTLIB_H
#define GUEST_TESTLIB_H

#include <stdint.h>

#include "kernel/vmstat.h"

/* Grow the heap by n pages (touch: now) and return their address, or 0. */
uint64_t *heap_pages(uint64_t n, int touch);
/* Write / check a pattern that differs per page and per seed. */
void fill_pages(uint64_t *base, uint64_t n, uint64_t seed);
/* Index of the first page that does not hold the pattern, or -1. */
long bad_page(const uint64_t *base, uint64_t n, uint64_t seed);
/*
 * The content isolation of a fork variant (forkfn: sys_fork_cow,
 * sys_fork_odf...) over n fresh heap pages: the child's writes never
 * reach the parent, or the parent's the child. 0, or a CHECK's failure.
 */
int child_writes_isolated(long (*forkfn)(void), uint64_t n);
int parent_writes_isolated(long (*forkfn)(void), uint64_t n);
/* Fault in the top of the stack now, so later calls cause no faults. */
void touch_stack(void);
/* Frame mapped at va in the current address space. */
uint64_t frame_of(const void *va);
/* Page-table pages of the current address space (all levels, PML4 too). */
uint64_t current_pt_pages(void);
/*
 * The current process's resident pages counted from its layout (text,
 * heap up to brk, the stack's pages), one page-table lookup per page:
 * the expectation fork's counters are checked against, independent of
 * the table walk (copy_page_range) fork itself uses.
 */
uint64_t layout_rss(void);
uint64_t text_pages(void);
/*
 * The 2 MiB ranges of the current layout (text, heap up to brk, stack)
 * holding a mapped page, found the same way: each has one PTE table, what
 * an on-demand fork shares.
 */
uint64_t layout_ranges(void);
/* The 2 MiB ranges that [va, va + pages * 4 KiB) touches. */
uint64_t ranges_of(const void *va, uint64_t pages);

#endif
