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

/* kB of a "Name: N kB" line of /proc/self/smaps_rollup; 0 when absent. */
static unsigned long long rollup_kb(const char *name)
{
	char line[256];
	unsigned long long kb = 0;
	size_t n = strlen(name);
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			sscanf(line + n + 1, "%llu", &kb);
	fclose(f);
	return kb;
}

/*
 * A THP parent must be one: say why it is not. THP's own setting first
 * ("[never]" ignores MADV_HUGEPAGE), then what the kernel gave.
 */
static int check_huge(const struct host_region *r, unsigned long long before,
		      char *err, size_t errlen)
{
	char mode[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
		mode[strcspn(mode, "\n")] = '\0';
	}
	if (strstr(mode, "[never]")) {
		snprintf(err, errlen, "transparent huge pages are off here "
			 "(/sys/kernel/mm/transparent_hugepage/enabled: %s)", mode);
		return -1;
	}
	unsigned long long got = rollup_kb("AnonHugePages") - before;
	if (r->size >= HOST_HUGE_PAGE && got == 0) {
		snprintf(err, errlen, "the kernel gave this MADV_HUGEPAGE "
			 "parent no huge page (THP enabled: %s)",
			 mode[0] ? mode : "unknown");
		return -1;
	}
	return 0;
}

int host_region_map(struct host_region *r, uint64_t size, int thp, char *err,
		    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->pages = size / HOST_PAGE;
	if (size == 0)
		return 0;
	if (region_fits(size, err, errlen) < 0)
		return -1;
	/* a huge-page parent starts on a 2M boundary: map 2M more, skip up */
	r->map_len = size + (thp ? HOST_HUGE_PAGE : 0);
	void *p = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		char s[24];
		size_text(size, s, sizeof(s));
		snprintf(err, errlen, "mmap %s: %s", s, strerror(errno));
		return -1;
	}
	r->map = p;
	uintptr_t at = (uintptr_t)p;
	if (thp)
		at = (at + HOST_HUGE_PAGE - 1) & ~(uintptr_t)(HOST_HUGE_PAGE - 1);
	r->base = (uint64_t *)at;
	/* 4K pages like the guest: a THP parent would copy PMDs, not PTEs. */
	madvise(r->base, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	unsigned long long before = rollup_kb("AnonHugePages");
	host_region_dirty(r);
	if (thp && check_huge(r, before, err, errlen) < 0) {
		host_region_unmap(r);
		r->size = size; /* still the configuration's size, for its rows */
		return -1;
	}
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
	if (r->map)
		munmap(r->map, r->map_len);
	memset(r, 0, sizeof(*r));
}

int host_region_redirty_each_sample(enum host_variant v)
{
	return v == HV_FORK || v == HV_FORK_THP;
}
