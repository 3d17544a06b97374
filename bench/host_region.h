/*
 * forkbench host: the parent's touched memory, and when it has to be
 * written again between samples.
 */
#ifndef FB_HOST_REGION_H
#define FB_HOST_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "host_opts.h"

/*
 * SIZE bytes of private anonymous memory, every page resident: 4K pages
 * (MADV_NOHUGEPAGE), as the guest's, or transparent huge pages.
 */
struct host_region {
	uint64_t *base; /* NULL when size is 0 */
	uint64_t size, pages;
	void *map;      /* what munmap takes: base rounded for huge pages */
	uint64_t map_len;
};

#define HOST_HUGE_PAGE (2u << 20)

/*
 * Map it and write one word per 4K page, so every page is resident and
 * writable before the first configuration. thp: 2M-aligned and
 * MADV_HUGEPAGE, and a region of 2M or more must then hold huge pages
 * (AnonHugePages), else -1 saying why (THP off, or none given). -1 with
 * "mmap 1G: reason" (or why it does not fit) in err.
 */
int host_region_map(struct host_region *r, uint64_t size, int thp, char *err,
		    size_t errlen);
/* Write one word per page: every page private and writable again. */
void host_region_dirty(const struct host_region *r);
void host_region_unmap(struct host_region *r);

/*
 * Whether variant v leaves the parent's pages write-protected (a COW
 * fork), so that each sample must write them again to start from the
 * same parent, as the guest does (guest/cmd/bench.c, redirty). The other
 * variants share or never touch the parent's page tables; writing 1G of
 * pages before each of their samples only evicted the caches and TLB
 * their call then missed in: a pinned vfork+exit+wait went from 47 k to
 * 191 k cycles with it, and stayed at 47 k with a 1G parent written
 * once (README, "Why vfork and threads seemed to grow with the parent").
 */
int host_region_redirty_each_sample(enum host_variant v);

#endif
