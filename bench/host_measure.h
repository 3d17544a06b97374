/*
 * forkbench host: one repetition of a (variant, scenario) on a dirty
 * parent region, on this host's Linux, producing the guest's metrics.
 */
#ifndef FB_HOST_MEASURE_H
#define FB_HOST_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "host_opts.h"
#include "resultset.h"

/* The parent's touched memory: SIZE bytes of private anonymous pages. */
struct host_region {
	uint64_t *base; /* NULL when size is 0 */
	uint64_t size, pages;
};

/* Map it (4K pages, no THP). -1 with "mmap 1G: reason" in err. */
int host_region_map(struct host_region *r, uint64_t size, char *err,
		    size_t errlen);
/* Write one word per page: every page private and writable again. */
void host_region_dirty(const struct host_region *r);
void host_region_unmap(struct host_region *r);

/* What the measurements share across configurations; set up once. */
struct host_env {
	volatile uint64_t *child_tsc; /* MAP_SHARED page the child writes */
	void *stack;                  /* the clone children's stack */
	size_t stack_len;
	const char *exec_path;        /* /bin/true, or NULL when missing */
	int child_execs;              /* for the clone child: exec or exit */
	uint64_t writes;              /* cow: pages the parent writes */
};

int host_env_init(struct host_env *e, uint64_t writes, char *err,
		  size_t errlen);
void host_env_free(struct host_env *e);

/*
 * One repetition of scenario s with variant v on region r: its metric
 * rows (labelled rep) appended to out. -1 with the reason in err (the
 * call failed, the child failed, out of memory).
 */
int host_measure(struct host_env *e, enum host_variant v,
		 enum host_scenario s, const struct host_region *r,
		 unsigned rep, struct metric_table *out, char *err,
		 size_t errlen);

#endif
