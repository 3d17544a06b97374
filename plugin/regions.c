/*
 * Region bookkeeping. Counting by difference keeps the model running the
 * same way inside and outside regions: its state at a BEGIN is what the
 * code before left behind, as on a real CPU.
 */
#include "regions.h"

#include <inttypes.h>

#include "fb_sim.h"

static void counts_sub(const struct sim_counts *a, const struct sim_counts *b,
		       struct sim_counts *d)
{
	d->insns = a->insns - b->insns;
	d->loads = a->loads - b->loads;
	d->stores = a->stores - b->stores;
	d->dtlb_l1_misses = a->dtlb_l1_misses - b->dtlb_l1_misses;
	d->stlb_misses = a->stlb_misses - b->stlb_misses;
	d->l1d_misses = a->l1d_misses - b->l1d_misses;
	d->l2_misses = a->l2_misses - b->l2_misses;
	d->llc_misses = a->llc_misses - b->llc_misses;
}

int regions_begin(struct sim_regions *r, unsigned tag,
		  const struct sim_counts *now, char *err, size_t errlen)
{
	int rc = 0;
	if (r->open) {
		snprintf(err, errlen, "begin tag=%u inside region tag=%u "
			 "(dropped)", tag, r->tag);
		rc = -1;
	}
	r->open = 1;
	r->tag = tag;
	r->seq++;
	r->at_begin = *now;
	return rc;
}

int regions_end(struct sim_regions *r, unsigned tag,
		const struct sim_counts *now, struct sim_counts *delta,
		char *err, size_t errlen)
{
	if (!r->open) {
		snprintf(err, errlen, "end tag=%u without begin", tag);
		return -1;
	}
	r->open = 0;
	if (tag != r->tag) {
		snprintf(err, errlen, "end tag=%u does not match begin tag=%u "
			 "(dropped)", tag, r->tag);
		return -1;
	}
	counts_sub(now, &r->at_begin, delta);
	r->finished++;
	return 0;
}

int announce_byte(struct sim_announce *a, unsigned byte)
{
	a->addr |= (uint64_t)(byte & 0xff) << (8 * a->got);
	return ++a->got == FB_SIM_ANNOUNCE_BYTES;
}

void write_region(FILE *f, uint64_t seq, unsigned tag,
		  const struct sim_counts *c)
{
	fprintf(f, "region %" PRIu64 " tag=%u insns=%" PRIu64 " loads=%" PRIu64
		" stores=%" PRIu64 " dtlb_l1_misses=%" PRIu64
		" stlb_misses=%" PRIu64 " l1d_misses=%" PRIu64
		" l2_misses=%" PRIu64 " llc_misses=%" PRIu64 "\n",
		seq, tag, c->insns, c->loads, c->stores, c->dtlb_l1_misses,
		c->stlb_misses, c->l1d_misses, c->l2_misses, c->llc_misses);
}

void write_error(FILE *f, uint64_t seq, const char *what)
{
	fprintf(f, "error %" PRIu64 " %s\n", seq, what);
}
