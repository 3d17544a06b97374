/*
 * The "bench" command: one configuration (scenario, variant, parent size,
 * repetitions) measured in the guest, every repetition reported raw as
 * metric records.
 */
#ifndef GUEST_BENCH_H
#define GUEST_BENCH_H

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
extern const char *const scenario_names[], *const variant_names[];

/*
 * Read "bench key=value..." into bench; a bad or impossible request ends
 * the run there, naming the problem (bench_opts.c).
 */
void bench_parse(int argc, char **argv);

/* One metric of one repetition. */
void metric(unsigned rep, const char *name, uint64_t value, const char *unit);
/* A metric that could not be measured: value NA with the reason. */
void metric_na(unsigned rep, const char *name, const char *unit,
	       const char *why);

/* Run one repetition of the configured scenario; 0, or an FB_STATUS_*. */
int scenario_run(unsigned rep, uint64_t *parent, uint64_t pages);

/* The creation call of the configured variant, for fork-like children. */
long create_child(int (*clone_fn)(long), long arg);

#endif
