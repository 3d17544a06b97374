/*
 * Regions: what happens between a BEGIN and an END marker is counted,
 * as the difference of running totals at the two markers. Regions do
 * not nest. Also the announcement decoder (six window loads -> an
 * address) and the output lines.
 */
#ifndef FBSIM_REGIONS_H
#define FBSIM_REGIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The per-region counters; also the model's running totals. */
struct sim_counts {
	uint64_t insns, loads, stores;
	uint64_t dtlb_l1_misses, stlb_misses; /* stlb_misses: page walks */
	uint64_t l1d_misses, l2_misses, llc_misses;
};

struct sim_regions {
	int open;
	unsigned tag;      /* the open region's */
	uint64_t seq;      /* BEGINs so far: the open or last region's number */
	uint64_t finished; /* regions ended properly */
	struct sim_counts at_begin;
};

/*
 * BEGIN tag at totals now: a new region opens. 0, or -1 and err when a
 * region was open (it is dropped, and err says so).
 */
int regions_begin(struct sim_regions *r, unsigned tag,
		  const struct sim_counts *now, char *err, size_t errlen);

/*
 * END tag at totals now: 0 and *delta (the region's counts), or -1 and
 * err when no region is open or it has another tag (then it is dropped).
 */
int regions_end(struct sim_regions *r, unsigned tag,
		const struct sim_counts *now, struct sim_counts *delta,
		char *err, size_t errlen);

/* An announcement: bytes of an address, least significant first. */
struct sim_announce {
	unsigned got;
	uint64_t addr;
};

/* Take the next byte; 1 when all FB_SIM_ANNOUNCE_BYTES are in. */
int announce_byte(struct sim_announce *a, unsigned byte);

/* The output's lines (plugin/README.md, "Output"). */
void write_region(FILE *f, uint64_t seq, unsigned tag,
		  const struct sim_counts *c);
void write_error(FILE *f, uint64_t seq, const char *what);

#endif
