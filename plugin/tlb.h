/*
 * The data-TLB model: an L1 dTLB with separate 4 KiB and 2 MiB arrays, and
 * a second-level TLB (STLB) shared by both sizes or split as the CPU
 * reports. An access that misses L1 looks in the STLB; one that misses
 * there is a page walk, which fills the STLB and L1. Entries are tagged
 * global or not; the page size and global bit of an address are the
 * caller's (plugin arguments: the plugin cannot read page tables).
 * Lookups are by virtual page; there are no address-space tags (no PCID).
 */
#ifndef FBSIM_TLB_H
#define FBSIM_TLB_H

#include <stdint.h>

#include "lru.h"
#include "sizes.h"

#define TLB_GLOBAL 1u /* lru_entry flags */

enum tlb_outcome { TLB_L1_HIT, TLB_STLB_HIT, TLB_WALK };

struct sim_tlb {
	struct lru_array l1_4k, l1_2m, stlb, stlb_2m;
	struct lru_array *stlb_for_2m; /* &stlb, &stlb_2m, or NULL: none */
};

/* 0, or -1 when out of memory. */
int tlb_init(struct sim_tlb *t, const struct sim_sizes *s);
void tlb_free(struct sim_tlb *t);

/* Translate va (huge: a 2 MiB page; global: a global entry). */
enum tlb_outcome tlb_access(struct sim_tlb *t, uint64_t va, int huge,
			    int global);

/* A CR3 write: every non-global entry of every array goes. */
void tlb_flush_nonglobal(struct sim_tlb *t);

/* invlpg va: the entries translating va go, global or not, either size. */
void tlb_invlpg(struct sim_tlb *t, uint64_t va);

/* Entries held in all arrays (tests). */
unsigned tlb_count(const struct sim_tlb *t);

#endif
