/*
 * Events -> models, counters and output lines. The output is flushed at
 * every region end and error, so a guest that dies mid-run still leaves
 * its finished regions behind.
 */
#include "simulator.h"

#include <inttypes.h>
#include <string.h>

#include "fb_sim.h"

#define ERR_LEN 160

/* The first line: format version, sizes, and the ranges given. */
static void write_header(FILE *out, const struct sim_sizes *sz,
			 const struct sim_args *a)
{
	char params[512];
	sim_sizes_format(sz, params, sizeof(params));
	fprintf(out, "fbsim 1 %s", params);
	for (unsigned i = 0; i < a->huge.n; i++)
		fprintf(out, " huge=0x%" PRIx64 "-0x%" PRIx64, a->huge.r[i].lo,
			a->huge.r[i].hi);
	for (unsigned i = 0; i < a->global.n; i++)
		fprintf(out, " global=0x%" PRIx64 "-0x%" PRIx64,
			a->global.r[i].lo, a->global.r[i].hi);
	fputc('\n', out);
	fflush(out);
}

int sim_init(struct sim *s, const struct sim_sizes *sz,
	     const struct sim_args *a, const uint64_t *insns, FILE *out,
	     char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (tlb_init(&s->tlb, sz) || caches_init(&s->caches, sz)) {
		sim_free(s);
		snprintf(err, errlen, "out of memory for the model");
		return -1;
	}
	s->huge = a->huge;
	s->global = a->global;
	s->insns = insns;
	s->out = out;
	write_header(out, sz, a);
	return 0;
}

void sim_free(struct sim *s)
{
	tlb_free(&s->tlb);
	caches_free(&s->caches);
}

static void error_line(struct sim *s, const char *what)
{
	write_error(s->out, s->regions.seq, what);
	fflush(s->out);
}

static struct sim_counts snapshot(const struct sim *s)
{
	struct sim_counts c = s->total;
	c.insns = *s->insns - s->excluded;
	return c;
}

static void begin(struct sim *s, unsigned tag)
{
	char err[ERR_LEN];
	struct sim_counts now = snapshot(s);
	uint64_t dropped = s->regions.seq;
	if (regions_begin(&s->regions, tag, &now, err, sizeof(err))) {
		write_error(s->out, dropped, err);
		fflush(s->out);
	}
}

static void end(struct sim *s, unsigned tag)
{
	char err[ERR_LEN];
	struct sim_counts now = snapshot(s), d;
	if (regions_end(&s->regions, tag, &now, &d, err, sizeof(err)))
		write_error(s->out, s->regions.seq, err);
	else
		write_region(s->out, s->regions.seq, tag, &d);
	fflush(s->out);
}

/* A WINDOW or ANNOUNCE sequence starts: its loads are the marker's. */
static void start_wait(struct sim *s, enum sim_wait w)
{
	s->wait = w;
	s->wait_from = *s->insns;
	s->ann = (struct sim_announce){ 0 };
}

/* A marker or invlpg came before a sequence had all its loads. */
static void abandon_wait(struct sim *s)
{
	if (s->wait == SIM_IDLE)
		return;
	error_line(s, s->wait == SIM_WANT_WINDOW
		   ? "window marker without its load"
		   : "announcement with fewer than 6 loads");
	s->wait = SIM_IDLE;
}

void sim_marker(struct sim *s, unsigned op, unsigned tag)
{
	char what[ERR_LEN];
	abandon_wait(s);
	switch (op) {
	case FB_SIM_OP_BEGIN: begin(s, tag); break;
	case FB_SIM_OP_END: end(s, tag); break;
	case FB_SIM_OP_WINDOW: start_wait(s, SIM_WANT_WINDOW); break;
	case FB_SIM_OP_ANNOUNCE:
		if (s->have_window)
			start_wait(s, SIM_ANNOUNCING);
		else
			error_line(s, "announcement before the window marker");
		break;
	default:
		snprintf(what, sizeof(what), "unknown marker op=%u tag=%u", op,
			 tag);
		error_line(s, what);
	}
}

/* The sequence's last load: its instructions leave the counts. */
static void end_wait(struct sim *s)
{
	s->excluded += *s->insns - s->wait_from;
	s->wait = SIM_IDLE;
}

/* 1 when the access is a load that belongs to a marker sequence. */
static int marker_load(struct sim *s, uint64_t va)
{
	if (s->wait == SIM_WANT_WINDOW) {
		if (va % FB_SIM_WINDOW_SIZE) {
			char what[ERR_LEN];
			snprintf(what, sizeof(what), "window 0x%" PRIx64
				 " is not %d-byte aligned", va,
				 FB_SIM_WINDOW_SIZE);
			error_line(s, what);
		} else {
			s->window = va;
			s->have_window = 1;
		}
		end_wait(s);
		return 1;
	}
	if (va < s->window || va - s->window >= FB_SIM_WINDOW_SIZE)
		return 0; /* an interrupt's access, say: modelled as usual */
	if (announce_byte(&s->ann, (unsigned)(va - s->window))) {
		s->pending = 1;
		s->pending_va = s->ann.addr;
		end_wait(s);
	}
	return 1;
}

static void count_tlb(struct sim *s, enum tlb_outcome t)
{
	if (t != TLB_L1_HIT)
		s->total.dtlb_l1_misses++;
	if (t == TLB_WALK)
		s->total.stlb_misses++;
}

static void count_cache(struct sim *s, enum cache_outcome c)
{
	if (c >= CACHE_L2_HIT)
		s->total.l1d_misses++;
	if (c >= CACHE_LLC_HIT)
		s->total.l2_misses++;
	if (c == CACHE_MEMORY)
		s->total.llc_misses++;
}

void sim_access(struct sim *s, uint64_t va, uint64_t pa, unsigned size_shift,
		int store, int io)
{
	if (s->wait != SIM_IDLE && !store && size_shift == 0 &&
	    marker_load(s, va))
		return;
	count_tlb(s, tlb_access(&s->tlb, va, sim_ranges_contain(&s->huge, va),
				sim_ranges_contain(&s->global, va)));
	if (!io)
		count_cache(s, caches_access(&s->caches, pa));
	if (store)
		s->total.stores++;
	else
		s->total.loads++;
}

void sim_cr3_write(struct sim *s)
{
	s->cr3_writes++;
	tlb_flush_nonglobal(&s->tlb);
}

void sim_invlpg(struct sim *s)
{
	s->invlpg++;
	abandon_wait(s);
	if (s->pending) {
		tlb_invlpg(&s->tlb, s->pending_va);
		s->pending = 0;
		return;
	}
	/* the page is unknown: flushing all non-global entries covers it */
	s->invlpg_unannounced++;
	tlb_flush_nonglobal(&s->tlb);
}

void sim_finish(struct sim *s)
{
	if (s->regions.open) {
		char what[ERR_LEN];
		snprintf(what, sizeof(what), "region tag=%u not ended",
			 s->regions.tag);
		write_error(s->out, s->regions.seq, what);
	}
	fprintf(s->out, "end regions=%" PRIu64 " invlpg_unannounced=%" PRIu64
		" cr3_writes=%" PRIu64 " invlpg=%" PRIu64 "\n",
		s->regions.finished, s->invlpg_unannounced, s->cr3_writes,
		s->invlpg);
	fflush(s->out);
}
