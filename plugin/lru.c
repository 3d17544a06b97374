/*
 * Set-associative LRU arrays. Ways are scanned linearly: the arrays the
 * model uses have at most a few dozen ways (a fully associative L1 TLB
 * of ~100 is the largest).
 */
#include "lru.h"

#include <stdlib.h>

int lru_init(struct lru_array *a, unsigned sets, unsigned ways)
{
	a->sets = sets;
	a->ways = ways;
	a->clock = 0;
	a->e = calloc((size_t)sets * ways, sizeof(*a->e));
	a->mru = calloc(sets, sizeof(*a->mru));
	if (a->e && a->mru && ways <= UINT16_MAX)
		return 0;
	lru_free(a);
	return -1;
}

void lru_free(struct lru_array *a)
{
	free(a->e);
	free(a->mru);
	a->e = NULL;
	a->mru = NULL;
}

static struct lru_entry *set_base(struct lru_array *a, unsigned set)
{
	return a->e + (size_t)set * a->ways;
}

/* Make way i of the set its most recently used. */
static void use(struct lru_array *a, unsigned set, unsigned i)
{
	set_base(a, set)[i].stamp = ++a->clock;
	a->mru[set] = (uint16_t)i;
}

static unsigned victim_of(const struct lru_entry *w, unsigned ways)
{
	unsigned v = 0;
	for (unsigned i = 1; i < ways && w[v].stamp; i++)
		if (w[i].stamp < w[v].stamp)
			v = i; /* an empty way has stamp 0: taken first */
	return v;
}

int lru_access(struct lru_array *a, unsigned set, uint64_t key,
	       uint32_t flags)
{
	struct lru_entry *w = set_base(a, set);
	/*
	 * The set's last-used way again (the same line or page as the
	 * set's previous access: the common case) changes no order within
	 * the set, and only that order decides evictions: no scan, no stamp.
	 */
	struct lru_entry *m = &w[a->mru[set]];
	if (m->stamp && m->key == key)
		return 1;
	for (unsigned i = 0; i < a->ways; i++) {
		if (w[i].stamp && w[i].key == key) {
			use(a, set, i);
			return 1;
		}
	}
	unsigned v = victim_of(w, a->ways);
	w[v].key = key;
	w[v].flags = flags;
	use(a, set, v);
	return 0;
}

void lru_invalidate(struct lru_array *a, unsigned set, uint64_t key)
{
	struct lru_entry *w = set_base(a, set);
	for (unsigned i = 0; i < a->ways; i++)
		if (w[i].stamp && w[i].key == key)
			w[i].stamp = 0;
}

void lru_invalidate_all_but(struct lru_array *a, uint32_t keep)
{
	size_t n = (size_t)a->sets * a->ways;
	for (size_t i = 0; i < n; i++)
		if (!(a->e[i].flags & keep))
			a->e[i].stamp = 0;
}

unsigned lru_count(const struct lru_array *a)
{
	size_t n = (size_t)a->sets * a->ways;
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		c += a->e[i].stamp != 0;
	return c;
}
