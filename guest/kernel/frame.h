/*
 * Physical frames: a bump allocator with a free list, and a reference
 * count per frame (Linux's page_count) so COW can share frames.
 *
 * Frames outside the allocator's range (the kernel image, whose program
 * text processes map read-only) are "reserved": get/put ignore them.
 */
#ifndef GUEST_FRAME_H
#define GUEST_FRAME_H

#include <stdint.h>

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

/* What a frame is used for, so leak checks can count each kind. */
enum frame_kind {
	FRAME_USER,    /* process memory (text copies, heap, stack) */
	FRAME_PT,      /* page-table pages of process address spaces */
	FRAME_KINDS,
};

struct frame_counts {
	uint64_t free;             /* frames that can still be allocated */
	uint64_t used[FRAME_KINDS];
};

/* Take the largest RAM range above the kernel from the memory map. */
int frame_init(void);
/*
 * Frames frame_init will manage, known before it runs: lets a command
 * refuse a request guest RAM can never hold before booting processes.
 */
uint64_t frame_capacity(void);
/* Physical address of a new frame with refcount 1, or 0 when none is left. */
uint64_t frame_alloc(enum frame_kind kind);
/* Same, zero-filled. */
uint64_t frame_alloc_zeroed(enum frame_kind kind);
void frame_get(uint64_t pa);
/* Drop a reference; the last one frees the frame. */
void frame_put(uint64_t pa);
unsigned frame_refcount(uint64_t pa);
int frame_is_managed(uint64_t pa);
void frame_counts(struct frame_counts *c);
uint64_t frame_total(void);
/*
 * Cap how many frames may be in use at once (0: no cap), so exhaustion
 * can be tested without filling all of guest RAM.
 */
void frame_set_cap(uint64_t max_in_use);

/* Kernel virtual address of a frame: RAM is identity mapped. */
static inline void *pa_to_va(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

#endif
