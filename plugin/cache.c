/*
 * Caches over LRU arrays: the key is the line number, the set the line
 * number modulo the sets (LLC slices with a hashed index are not
 * modelled).
 */
#include "cache.h"

static int level_init(struct cache_level *l, const struct sim_cache_geom *g)
{
	unsigned shift = 0;
	while ((1u << shift) < g->line)
		shift++;
	l->line_shift = shift;
	uint64_t lines = g->bytes / g->line;
	return lru_init(&l->a, (unsigned)(lines / g->ways), g->ways);
}

int caches_init(struct sim_caches *c, const struct sim_sizes *s)
{
	*c = (struct sim_caches){ 0 };
	if (level_init(&c->l1d, &s->l1d) || level_init(&c->l2, &s->l2) ||
	    level_init(&c->llc, &s->llc)) {
		caches_free(c);
		return -1;
	}
	return 0;
}

void caches_free(struct sim_caches *c)
{
	lru_free(&c->l1d.a);
	lru_free(&c->l2.a);
	lru_free(&c->llc.a);
}

/* 1 on a hit; on a miss the line is filled and 0 returned. */
static int level_access(struct cache_level *l, uint64_t pa)
{
	uint64_t line = pa >> l->line_shift;
	unsigned set = (unsigned)(line % l->a.sets);
	return lru_access(&l->a, set, line, 0);
}

enum cache_outcome caches_access(struct sim_caches *c, uint64_t pa)
{
	if (level_access(&c->l1d, pa))
		return CACHE_L1D_HIT;
	if (level_access(&c->l2, pa))
		return CACHE_L2_HIT;
	if (level_access(&c->llc, pa))
		return CACHE_LLC_HIT;
	return CACHE_MEMORY;
}
