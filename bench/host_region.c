/* The parent region of forkbench host: mapped, written, unmapped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "host_region.h"
#include "parse.h"

#define WORDS_PER_PAGE (HOST_PAGE / sizeof(uint64_t))

/* MemAvailable from /proc/meminfo in bytes; 0 when it cannot be read. */
static uint64_t mem_available(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

/*
 * A parent larger than the free memory would be swapped or OOM-killed
 * while being dirtied (the kernel overcommits): refuse it up front, so it
 * becomes a failed configuration instead.
 */
static int region_fits(uint64_t size, char *err, size_t errlen)
{
	uint64_t avail = mem_available();
	if (avail == 0 || size <= avail)
		return 0;
	char s[24];
	size_text(size, s, sizeof(s));
	snprintf(err, errlen, "a %s parent does not fit in the %llu MiB of "
		 "MemAvailable", s, (unsigned long long)(avail >> 20));
	return -1;
}

int host_region_map(struct host_region *r, uint64_t size, char *err,
		    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->pages = size / HOST_PAGE;
	if (size == 0)
		return 0;
	if (region_fits(size, err, errlen) < 0)
		return -1;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		char s[24];
		size_text(size, s, sizeof(s));
		snprintf(err, errlen, "mmap %s: %s", s, strerror(errno));
		return -1;
	}
	/* 4K pages like the guest: a THP parent would copy PMDs, not PTEs. */
	madvise(p, size, MADV_NOHUGEPAGE);
	r->base = p;
	host_region_dirty(r);
	return 0;
}

void host_region_dirty(const struct host_region *r)
{
	volatile uint64_t *w = r->base;
	for (uint64_t p = 0; p < r->pages; p++)
		w[p * WORDS_PER_PAGE] = p;
}

void host_region_unmap(struct host_region *r)
{
	if (r->base)
		munmap(r->base, r->size);
	memset(r, 0, sizeof(*r));
}

int host_region_redirty_each_sample(enum host_variant v)
{
	return v == HV_FORK;
}
