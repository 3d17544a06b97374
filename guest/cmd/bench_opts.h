/*
 * The bench command's configuration and how "bench key=value..." sets
 * it: each argument checked alone, then together, before anything runs.
 */
#ifndef GUEST_BENCH_OPTS_H
#define GUEST_BENCH_OPTS_H

#include <stdint.h>

/* Scenarios and variants: include/fb_vocab.h. FB_SC_PHASES has its own
 * configurations, so the instrumented timings never mix with the clean
 * ones. */
#include "fb_vocab.h"

struct bench_cfg {
	enum fb_scenario scenario;
	enum fb_variant variant;
	uint64_t size;     /* bytes of touched parent memory */
	unsigned reps;
	int child_first;   /* scheduling policy after creation */
	uint64_t writes;   /* cow: pages written after the fork */
	int writer_child;  /* cow: the child writes (else the parent) */
	int phases;        /* time the phases inside the creation call */
	uint64_t hot_kb;   /* cache: hot working set */
	int pcid;          /* tlb: run with PCIDs (needs CPU support) */
	int sim;           /* tlb, cache: report the fbsim model's counts */
	uint64_t stlb;     /* tlb: pass length (0: the STLB's, from CPUID) */
	int huge_parent;   /* the parent's heap in 2 MiB pages (parent_pages=2M,
			      always for huge_copy and huge_split) */
};

extern struct bench_cfg bench;

/*
 * Read "bench key=value..." into bench; a bad or impossible request ends
 * the run there, naming the problem.
 */
void bench_parse(int argc, char **argv);

#endif
