/*
 * Physical frames: a bump allocator per RAM range with a free list, and a
 * reference count per frame (Linux's page_count) so COW can share frames.
 * 2 MiB frames (huge pages) come aligned from the same ranges; their
 * count lives in their first ("head") 4 KiB frame, and a reference to any
 * 4 KiB part of one (a PTE left by splitting its PMD) counts there too,
 * as Linux counts a folio's pages on the folio.
 *
 * Frames outside the allocator's ranges (the kernel image, whose program
 * text processes map read-only) are "reserved": counted, never freed.
 */
#ifndef GUEST_FRAME_H
#define GUEST_FRAME_H

#include <stdint.h>

#include "kernel/vmstat.h"

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12
#define HUGE_SIZE (2ull << 20)
#define HUGE_FRAMES 512u

/* What a frame is used for, so leak checks can count each kind. */
enum frame_kind {
	FRAME_USER,    /* process memory (text copies, heap, stack) */
	FRAME_PT,      /* page-table pages of process address spaces */
	FRAME_KINDS,
};

struct frame_counts {
	uint64_t free;             /* frames that can still be allocated */
	uint64_t used[FRAME_KINDS]; /* a 2 MiB frame counts 512 */
};

/* Take every RAM range above the kernel from the memory map. */
int frame_init(void);
/*
 * Frames frame_init will manage, known before it runs: lets a command
 * refuse a request guest RAM can never hold before booting processes.
 */
uint64_t frame_capacity(void);
/* frame_alloc when no frame is listed free or a cap is reached. */
uint64_t frame_alloc_slow(enum frame_kind kind);
/* Same, zero-filled. */
uint64_t frame_alloc_zeroed(enum frame_kind kind);
/* A 2 MiB-aligned user frame of 2 MiB, refcount 1, or 0 (not zeroed). */
uint64_t frame_alloc_huge(void);
void frame_get(uint64_t pa);
/* n references at once (a split 2 MiB page's PTEs). */
void frame_get_many(uint64_t pa, unsigned n);
/* Drop a reference; the last one frees the frame (all 2 MiB of a huge one). */
void frame_put(uint64_t pa);
/* The count of the frame holding pa: a huge frame's for any part of it. */
unsigned frame_refcount(uint64_t pa);
int frame_is_managed(uint64_t pa);
int frame_is_huge(uint64_t pa);
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

/*
 * The allocator's state that its inline fast path reads (frame.c owns it):
 * the list of free 4 KiB frames threaded through their first word, and
 * the frames in use against the cap (all of them when no cap is set).
 */
struct frame_pool {
	uint64_t free_list; /* pa of the first listed frame, 0 if none */
	uint64_t in_use, cap; /* in_use: used[] summed, kept for one compare */
	uint64_t used[FRAME_KINDS];
};
extern struct frame_pool frame_pool;
extern uint16_t *frame_refs;   /* one count per frame below the top of RAM */
extern uint8_t *frame_meta;    /* its kind while in use (frame.c) */

/*
 * Physical address of a new frame with refcount 1, or 0 when none is left.
 * Inline for its common case, a listed frame: naive fork takes one per
 * page, and a call would cost more than the taking.
 */
static inline uint64_t frame_alloc(enum frame_kind kind)
{
	struct frame_pool *p = &frame_pool;
	uint64_t pa = p->free_list;
	if (!pa || p->in_use >= p->cap)
		return frame_alloc_slow(kind);
	p->free_list = *(uint64_t *)pa_to_va(pa);
	p->in_use++;
	p->used[kind]++;
	frame_refs[pa >> PAGE_SHIFT] = 1;
	frame_meta[pa >> PAGE_SHIFT] = (uint8_t)kind;
	vmstat.frames_alloc++;
	return pa;
}

/*
 * frame_get for a 4 KiB frame known to be no part of a huge one, inline:
 * what COW fork does for every page (copy_pte_range), where a call and
 * the huge-page test would cost more than the rest of the work. Every
 * frame below the top of RAM has a count, reserved ones included.
 */
static inline void frame_get_small(uint64_t pa)
{
	frame_refs[pa >> PAGE_SHIFT]++;
}

#endif
