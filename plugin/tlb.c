/*
 * The data-TLB model over LRU arrays. A key is the virtual page number
 * with the page size in bit 0, so that a shared STLB never confuses a
 * 4 KiB and a 2 MiB entry; the set is the page number modulo the sets.
 */
#include "tlb.h"

#define SHIFT_4K 12
#define SHIFT_2M 21

static int array_init(struct lru_array *a, const struct sim_tlb_geom *g)
{
	return lru_init(a, g->entries / g->ways, g->ways);
}

int tlb_init(struct sim_tlb *t, const struct sim_sizes *s)
{
	*t = (struct sim_tlb){ 0 };
	if (array_init(&t->l1_4k, &s->l1dtlb_4k) ||
	    array_init(&t->l1_2m, &s->l1dtlb_2m) ||
	    array_init(&t->stlb, &s->stlb))
		goto fail;
	if (s->stlb_2m_shared) {
		t->stlb_for_2m = &t->stlb;
	} else if (s->stlb_2m.entries) {
		if (array_init(&t->stlb_2m, &s->stlb_2m))
			goto fail;
		t->stlb_for_2m = &t->stlb_2m;
	}
	return 0;
fail:
	tlb_free(t);
	return -1;
}

void tlb_free(struct sim_tlb *t)
{
	lru_free(&t->l1_4k);
	lru_free(&t->l1_2m);
	lru_free(&t->stlb);
	lru_free(&t->stlb_2m);
}

static uint64_t page_number(uint64_t va, int huge)
{
	return va >> (huge ? SHIFT_2M : SHIFT_4K);
}

static uint64_t key_of(uint64_t vpn, int huge)
{
	return vpn << 1 | (huge ? 1 : 0);
}

static unsigned set_of(const struct lru_array *a, uint64_t vpn)
{
	return (unsigned)(vpn % a->sets);
}

enum tlb_outcome tlb_access(struct sim_tlb *t, uint64_t va, int huge,
			    int global)
{
	struct lru_array *l1 = huge ? &t->l1_2m : &t->l1_4k;
	struct lru_array *l2 = huge ? t->stlb_for_2m : &t->stlb;
	uint64_t vpn = page_number(va, huge), key = key_of(vpn, huge);
	uint32_t flags = global ? TLB_GLOBAL : 0;

	if (lru_access(l1, set_of(l1, vpn), key, flags))
		return TLB_L1_HIT;
	/* the L1 has the entry now, from the STLB or from the walk */
	if (l2 && lru_access(l2, set_of(l2, vpn), key, flags))
		return TLB_STLB_HIT;
	return TLB_WALK;
}

void tlb_flush_nonglobal(struct sim_tlb *t)
{
	lru_invalidate_all_but(&t->l1_4k, TLB_GLOBAL);
	lru_invalidate_all_but(&t->l1_2m, TLB_GLOBAL);
	lru_invalidate_all_but(&t->stlb, TLB_GLOBAL);
	if (t->stlb_2m.e)
		lru_invalidate_all_but(&t->stlb_2m, TLB_GLOBAL);
}

static void drop(struct lru_array *a, uint64_t va, int huge)
{
	if (!a || !a->e)
		return;
	uint64_t vpn = page_number(va, huge);
	lru_invalidate(a, set_of(a, vpn), key_of(vpn, huge));
}

void tlb_invlpg(struct sim_tlb *t, uint64_t va)
{
	for (int huge = 0; huge <= 1; huge++) {
		drop(huge ? &t->l1_2m : &t->l1_4k, va, huge);
		drop(huge ? t->stlb_for_2m : &t->stlb, va, huge);
	}
}

unsigned tlb_count(const struct sim_tlb *t)
{
	unsigned n = lru_count(&t->l1_4k) + lru_count(&t->l1_2m) +
		     lru_count(&t->stlb);
	return t->stlb_2m.e ? n + lru_count(&t->stlb_2m) : n;
}
