/*
 * A set-associative array with least-recently-used replacement: what the
 * TLB and cache models are both made of. The caller picks the set (TLBs
 * index by page number, caches by line number), so a key can carry more
 * than the index (a TLB's page-size bit).
 */
#ifndef FBSIM_LRU_H
#define FBSIM_LRU_H

#include <stdint.h>

struct lru_entry {
	uint64_t key;
	uint64_t stamp; /* last use; 0: the way is empty */
	uint32_t flags; /* the owner's (a TLB entry's global bit) */
};

struct lru_array {
	unsigned sets, ways;
	uint64_t clock; /* bumped on every use: a total order of uses */
	struct lru_entry *e; /* sets * ways, set-major */
	uint16_t *mru; /* per set: the way used last */
};

/* 0, or -1 when out of memory. */
int lru_init(struct lru_array *a, unsigned sets, unsigned ways);
void lru_free(struct lru_array *a);

/*
 * Use key in set: 1 on a hit; 0 on a miss, after putting key (with flags)
 * in an empty way or else the least recently used one. Either way key is
 * then the set's most recently used.
 */
int lru_access(struct lru_array *a, unsigned set, uint64_t key,
	       uint32_t flags);

/* Empty the way holding key in set, if any. */
void lru_invalidate(struct lru_array *a, unsigned set, uint64_t key);

/* Empty every way whose flags have none of the bits in keep. */
void lru_invalidate_all_but(struct lru_array *a, uint32_t keep);

/* How many ways hold an entry (tests). */
unsigned lru_count(const struct lru_array *a);

#endif
