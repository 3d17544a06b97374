/*
 * The data-cache model: L1D, L2 and LLC, set-associative, LRU, indexed
 * by guest-physical address. A lookup goes down the levels until one
 * hits; every level that missed is filled (inclusive fill). Evictions do
 * not reach other levels (no back-invalidation), stores allocate like
 * loads, and nothing is written back: only hits and misses are modelled.
 */
#ifndef FBSIM_CACHE_H
#define FBSIM_CACHE_H

#include <stdint.h>

#include "lru.h"
#include "sizes.h"

/* The level that held the line: what an access costs in this model. */
enum cache_outcome { CACHE_L1D_HIT, CACHE_L2_HIT, CACHE_LLC_HIT, CACHE_MEMORY };

struct cache_level {
	struct lru_array a;
	unsigned line_shift;
};

struct sim_caches {
	struct cache_level l1d, l2, llc;
};

/* 0, or -1 when out of memory. */
int caches_init(struct sim_caches *c, const struct sim_sizes *s);
void caches_free(struct sim_caches *c);

/* Access the line holding physical address pa. */
enum cache_outcome caches_access(struct sim_caches *c, uint64_t pa);

#endif
