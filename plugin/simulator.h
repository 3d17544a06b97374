/*
 * The whole simulator behind the plugin: the TLB and cache models, the
 * marker protocol and the output file, driven by events the plugin (or
 * a unit test) feeds in. Knows nothing of QEMU.
 */
#ifndef FBSIM_SIMULATOR_H
#define FBSIM_SIMULATOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plugin_args.h"
#include "cache.h"
#include "regions.h"
#include "sizes.h"
#include "tlb.h"

enum sim_wait { SIM_IDLE, SIM_WANT_WINDOW, SIM_ANNOUNCING };

struct sim {
	struct sim_tlb tlb;
	struct sim_caches caches;
	struct sim_ranges huge, global;
	struct sim_counts total; /* whole run; insns is filled on snapshot */
	/*
	 * Instructions executed (the plugin's inline counter: every
	 * instruction but markers adds one as it starts) and those of them
	 * that belong to WINDOW/ANNOUNCE sequences, which do not count.
	 */
	const uint64_t *insns;
	uint64_t excluded;
	struct sim_regions regions;
	enum sim_wait wait;
	uint64_t wait_from; /* *insns at the WINDOW/ANNOUNCE marker */
	int have_window;
	uint64_t window;
	struct sim_announce ann;
	int pending; /* an announced address awaits its invlpg */
	uint64_t pending_va;
	uint64_t cr3_writes, invlpg, invlpg_unannounced;
	FILE *out;
};

/*
 * Set up the models and write the output's first line to out. 0, or -1
 * with the reason in err (out of memory).
 */
int sim_init(struct sim *s, const struct sim_sizes *sz,
	     const struct sim_args *a, const uint64_t *insns, FILE *out,
	     char *err, size_t errlen);
void sim_free(struct sim *s);

/* A marker instruction executed. */
void sim_marker(struct sim *s, unsigned op, unsigned tag);

/*
 * A data access of 1 << size_shift bytes at virtual va, physical pa (io:
 * not RAM, so it reaches the TLB but no cache). Counted by its first
 * byte: one TLB and one cache lookup even when it straddles a boundary.
 */
void sim_access(struct sim *s, uint64_t va, uint64_t pa, unsigned size_shift,
		int store, int io);

/* A CR3 write, an invlpg: before they execute. */
void sim_cr3_write(struct sim *s);
void sim_invlpg(struct sim *s);

/* The end of the run: the final line, flushed. */
void sim_finish(struct sim *s);

#endif
