/*
 * The bench command's configuration and how "bench key=value..." sets
 * it: each argument checked alone, then together, before anything runs.
 */
#ifndef GUEST_BENCH_OPTS_H
#define GUEST_BENCH_OPTS_H

#include <stdint.h>

/* SC_PHASES: create, timed inside the call too (its own configurations,
 * so the instrumented timings never mix with the clean ones). */
enum scenario { SC_CREATE, SC_EXIT_WAIT, SC_EXEC_WAIT, SC_COW, SC_TLB,
		SC_CACHE, SC_PHASES };
enum variant { V_COPY, V_COW, V_VFORK, V_CLONE };
/* Apart from the enums, so switches over them need no case for these. */
enum { SC_COUNT = SC_PHASES + 1, V_COUNT = V_CLONE + 1 };

struct bench_cfg {
	enum scenario scenario;
	enum variant variant;
	uint64_t size;     /* bytes of touched parent memory */
	unsigned reps;
	int child_first;   /* scheduling policy after creation */
	uint64_t writes;   /* cow: pages written after the fork */
	int writer_child;  /* cow: the child writes (else the parent) */
	int phases;        /* time the phases inside the creation call */
	uint64_t hot_kb;   /* cache: hot working set */
	int pcid;          /* tlb: run with PCIDs (needs CPU support) */
};

extern struct bench_cfg bench;
/* Indexed by enum scenario and enum variant. */
extern const char *const scenario_names[], *const variant_names[];

/*
 * Read "bench key=value..." into bench; a bad or impossible request ends
 * the run there, naming the problem.
 */
void bench_parse(int argc, char **argv);

#endif
