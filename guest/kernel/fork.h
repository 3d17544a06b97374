/*
 * Creating processes: do_clone() under every variant, the two ways to
 * copy an address space (uvmcopy, copy_page_range), and what the last
 * creation call did (counters and, when timed, its phases).
 */
#ifndef GUEST_FORK_H
#define GUEST_FORK_H

#include <stdint.h>

#include "kernel/frame.h"
#include "kernel/vmstat.h"

/* What sys_fork() does: COW (copy_page_range) or eager (uvmcopy). */
enum fork_variant { FORK_COW, FORK_COPY };
extern enum fork_variant fork_default;
/* Naive fork copies text too unless this is set (the seed notes' option). */
extern int fork_share_text;

/*
 * The kernel half of clone: a child running fn(arg) on child_stack, or
 * with fn NULL returning 0 from the caller's process-API call. Flags as
 * in uapi.h. Returns the child's pid or a negative errno.
 */
long do_clone(uint64_t flags, void *child_stack, int (*fn)(long), long arg);

/*
 * The 4 KiB copy itself, timed as phase page_copy inside a creation call
 * with fork_phases_on: one body for every page copy and the timer's
 * calibration (fork.c).
 */
void timed_copy(void *dst, const void *src, uint64_t words);

/* One 4 KiB frame copy, counted (pages_copied). Inline: naive fork's loop. */
static inline void copy_page(uint64_t dst_pa, uint64_t src_pa)
{
	timed_copy(pa_to_va(dst_pa), pa_to_va(src_pa), PAGE_SIZE / 8);
	vmstat.pages_copied++;
}

/* What the last process creation did to the address space. */
extern struct vmstat fork_last;

/*
 * Where the last creation call's cycles went, measured only when
 * fork_phases_on and only inside the call (do_clone): timing adds TSC
 * reads (two per page copied) to the very path the benchmark times from
 * outside; their cost, fork_timer_per_page, is measured by
 * fork_phase_timer_calibrate and taken out of every phase.
 */
struct fork_phases {
	uint64_t total;     /* do_clone, entry to scheduling decision */
	uint64_t pt_copy;   /* walking and building page tables (minus copies) */
	uint64_t page_copy; /* 4 KiB copies */
	uint64_t tlb;       /* TLB invalidation */
	uint64_t pages;     /* pages copied inside the call */
};
extern struct fork_phases fork_last_phases;
extern int fork_phases_on;
/* What timing one copied page adds to the call (rounded), for reports. */
extern uint64_t fork_timer_per_page;
void fork_phase_timer_calibrate(void);

#endif
