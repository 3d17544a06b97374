/*
 * forkbench host (and the Linux peer's /init): the guest's TLB and cache
 * probes (guest/cmd/probes.h) on Linux. A warm read pass before the
 * creation call and again in the parent once the child has exited and
 * been reaped; what the second pass costs more is what creating, running
 * and reaping the child left behind in the parent's TLB or caches.
 */
#ifndef FB_HOST_PROBES_H
#define FB_HOST_PROBES_H

#include "host_child.h"
#include "host_emit.h"
#include "host_region.h"

/* tlb: one word per page over the parent pages the STLB can hold. */
int host_run_tlb(struct host_env *e, const struct host_region *r,
		 struct rep_ctx *x);
/* cache: one word per line over a hot set of half the L2. */
int host_run_cache(struct host_env *e, struct rep_ctx *x);

#endif
