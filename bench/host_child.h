/*
 * forkbench host: creating the child of each variant, and waiting for
 * it. A child does as little as possible: write its TSC to a shared
 * page, then _exit or execve. It never touches the parent region.
 */
#ifndef FB_HOST_CHILD_H
#define FB_HOST_CHILD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host_opts.h"
#include "host_region.h"

/* What the measurements share across configurations; set up once. */
struct host_env {
	volatile uint64_t *child_tsc; /* MAP_SHARED page the child writes */
	void *stack;                  /* the clone children's stack */
	size_t stack_len;
	const char *exec_path;        /* /bin/true, or NULL when missing */
	int child_execs;              /* for the clone child: exec or exit */
	uint64_t writes;              /* cow: pages the parent writes */
	/*
	 * exit_wait, exec_wait: a batch lasts at least this many cycles
	 * (host_batch.h); 0, as host_env_init leaves it, is one call per
	 * batch. forkbench host sets 1 ms of its TSC.
	 */
	uint64_t batch_min_cycles;
	/* cache: the hot set (half the L2), mapped by its first sample */
	struct host_region hot;
	/*
	 * tlb, cache: pass sizes given instead of CPUID's (the Linux peer
	 * under the fbsim model: the model's STLB, half its L2); 0: CPUID
	 */
	uint64_t stlb, hot_kb;
	/*
	 * tlb, cache: where each timed pass's fbsim region goes (the Linux
	 * peer's rec_sim, under the model); NULL: nowhere (on a real CPU
	 * the markers are NOPs).
	 */
	void (*sim_region)(const char *variant, const char *scenario,
			   uint64_t size, unsigned rep, unsigned pass,
			   uint64_t region, unsigned tag);
};

int host_env_init(struct host_env *e, uint64_t writes, char *err,
		  size_t errlen);
void host_env_free(struct host_env *e);

struct host_child {
	pid_t pid;
	pthread_t thread;
};

/*
 * Create the child of variant v; it exits at once, or execs the exec
 * program when execs (posix_spawn always does). 0, or the errno of the
 * call. Nothing here but the call itself: its callers time it.
 */
int host_child_start(struct host_env *e, enum host_variant v, int execs,
		     struct host_child *c);

/* Wait for the child; anything but a clean exit 0 is -1 with err. */
int host_child_reap(enum host_variant v, const struct host_child *c,
		    char *err, size_t errlen);

/* -1, with "fork(): reason" (the variant's call and errno e) in err. */
int host_call_failed(enum host_variant v, int e, char *err, size_t errlen);

#endif
