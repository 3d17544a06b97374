/*
 * The TLB and cache probes' read passes, one implementation for our
 * guest (guest/cmd/probes.c) and for forkbench host and the Linux peer
 * (bench/host_probes.c). Header-only and freestanding. Loads are
 * volatile: a pass is its loads, nothing the compiler may drop.
 */
#ifndef FB_PASSES_H
#define FB_PASSES_H

#include <stdint.h>

#define FB_WORDS_PER_PAGE 512 /* 8-byte words in a 4 KiB page */
#define FB_LINE_WORDS 8       /* in a 64-byte line */
#define FB_LINES_PER_PAGE (FB_WORDS_PER_PAGE / FB_LINE_WORDS)

/* One word per page: the TLB pass (and the line it reads). */
static inline void fb_read_pages(const uint64_t *base, uint64_t pages)
{
	for (uint64_t p = 0; p < pages; p++)
		(void)((volatile const uint64_t *)base)[p * FB_WORDS_PER_PAGE];
}

/* One word per line, all lines but each page's first (the TLB pass's). */
static inline void fb_read_lines(const uint64_t *base, uint64_t pages)
{
	for (uint64_t p = 0; p < pages; p++)
		for (uint64_t l = 1; l < FB_LINES_PER_PAGE; l++)
			(void)((volatile const uint64_t *)base)
				[p * FB_WORDS_PER_PAGE + l * FB_LINE_WORDS];
}

#endif
