/*
 * The TLB and cache probes: a warm read pass over part of the parent's
 * memory before the creation call, and again in the parent once the
 * child has exited and been reaped, the same process and state for every
 * variant. What the second pass costs more is what creating, running and
 * reaping the child left behind in the parent's TLB or caches.
 */
#ifndef GUEST_PROBES_H
#define GUEST_PROBES_H

#include <stdint.h>

/* tlb: one word per page over the pages the STLB can hold. */
int run_tlb(unsigned rep, uint64_t *parent, uint64_t pages);
/* cache: one word per line over a hot set of half the L2. */
int run_cache(unsigned rep);

#endif
