/*
 * The frame allocator. In each RAM range, frames above the bump pointer
 * have never been used; freed 4 KiB frames go on a list threaded through
 * their first word, freed 2 MiB frames on another. Nothing is initialised
 * per frame at boot: on a host that emulates ring 0 a loop over a
 * gigabyte of frames would take seconds.
 */
#include "kernel/frame.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/vmstat.h"

#define RANGES_MAX 8

/* A frame's meta byte: its kind while in use, and its place in a huge one. */
#define META_KIND 0x0f
#define META_HEAD 0x40 /* first 4 KiB of a 2 MiB frame: holds its count */
#define META_TAIL 0x80 /* any other 4 KiB of it */

extern char __kernel_end[]; /* guest.ld */

struct range {
	uint64_t base, bump, limit; /* managed: [base, bump); never used above */
};

static struct range ranges[RANGES_MAX];
static unsigned nranges;
struct frame_pool frame_pool = { .cap = UINT64_MAX };
static uint64_t huge_free_list; /* free 2 MiB frames */
uint16_t *frame_refs;
uint8_t *frame_meta;
static struct frame_pool *const pool = &frame_pool;

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The RAM ranges above the kernel image within the direct map. */
static unsigned find_ranges(struct range *r)
{
	uint64_t kend = round_up((uint64_t)(uintptr_t)__kernel_end, PAGE_SIZE);
	unsigned n = 0;
	for (unsigned i = 0; i < boot.memmap_entries && n < RANGES_MAX; i++) {
		const struct hvm_memmap_table_entry *e = &boot.memmap[i];
		if (e->type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		uint64_t s = e->addr > kend ? e->addr : kend;
		uint64_t t = e->addr + e->size;
		if (t > DIRECT_MAP_END)
			t = DIRECT_MAP_END;
		s = round_up(s, PAGE_SIZE);
		t &= ~(PAGE_SIZE - 1);
		if (t > s)
			r[n++] = (struct range){ s, s, t };
	}
	return n;
}

/* Counts and meta bytes for every frame below the top of RAM. */
static uint64_t meta_bytes(const struct range *r, unsigned n)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < n; i++)
		if (r[i].limit > top)
			top = r[i].limit;
	uint64_t frames = top / PAGE_SIZE;
	return round_up(frames * (sizeof(*frame_refs) + sizeof(*frame_meta)),
			PAGE_SIZE);
}

/* The range that holds the metadata (the biggest), or -1 if none can. */
static int meta_home(const struct range *r, unsigned n, uint64_t bytes)
{
	int best = -1;
	for (unsigned i = 0; i < n; i++)
		if (r[i].limit - r[i].base > bytes &&
		    (best < 0 || r[i].limit - r[i].base >
				     r[best].limit - r[best].base))
			best = (int)i;
	return best;
}

uint64_t frame_capacity(void)
{
	struct range r[RANGES_MAX];
	unsigned n = find_ranges(r);
	uint64_t bytes = meta_bytes(r, n), frames = 0;
	if (meta_home(r, n, bytes) < 0)
		return 0;
	for (unsigned i = 0; i < n; i++)
		frames += (r[i].limit - r[i].base) / PAGE_SIZE;
	return frames - bytes / PAGE_SIZE;
}

int frame_init(void)
{
	nranges = find_ranges(ranges);
	if (nranges == 0) {
		kprintf("frame: no usable RAM above the kernel\n");
		return -1;
	}
	uint64_t bytes = meta_bytes(ranges, nranges);
	int home = meta_home(ranges, nranges, bytes);
	if (home < 0) {
		kprintf("frame: RAM too small for frame metadata\n");
		return -1;
	}
	struct range *h = &ranges[home];
	uint64_t frames = bytes / (sizeof(*frame_refs) + sizeof(*frame_meta));
	frame_refs = pa_to_va(h->base);
	frame_meta = (uint8_t *)(frame_refs + frames);
	h->base = h->bump = h->base + bytes;
	return 0;
}

static uint64_t pfn(uint64_t pa)
{
	return pa >> PAGE_SHIFT;
}

int frame_is_managed(uint64_t pa)
{
	for (unsigned i = 0; i < nranges; i++)
		if (pa >= ranges[i].base && pa < ranges[i].bump)
			return 1;
	return 0;
}

/* The frame whose count covers pa: the head of a huge frame, or pa's. */
static uint64_t counted(uint64_t pa)
{
	uint64_t i = pfn(pa);
	return frame_meta[i] & META_TAIL ? pfn(pa & ~(HUGE_SIZE - 1)) : i;
}

int frame_is_huge(uint64_t pa)
{
	return frame_is_managed(pa) && (frame_meta[pfn(pa)] & (META_HEAD | META_TAIL));
}

static void push(uint64_t *list, uint64_t pa)
{
	*(uint64_t *)pa_to_va(pa) = *list;
	*list = pa;
}

static uint64_t pop(uint64_t *list)
{
	uint64_t pa = *list;
	*list = *(uint64_t *)pa_to_va(pa);
	return pa;
}

/* A free 2 MiB frame's 4 KiB frames, for small allocations: all but one listed. */
static uint64_t break_huge(void)
{
	uint64_t pa = pop(&huge_free_list);
	for (unsigned i = 1; i < HUGE_FRAMES; i++) {
		frame_meta[pfn(pa) + i] = 0;
		push(&pool->free_list, pa + i * PAGE_SIZE);
	}
	return pa;
}

static uint64_t take_small(void)
{
	if (pool->free_list)
		return pop(&pool->free_list);
	for (unsigned i = 0; i < nranges; i++) {
		struct range *r = &ranges[i];
		if (r->bump < r->limit) {
			r->bump += PAGE_SIZE;
			return r->bump - PAGE_SIZE;
		}
	}
	return huge_free_list ? break_huge() : 0;
}

uint64_t frame_alloc_slow(enum frame_kind kind)
{
	if (pool->in_use >= pool->cap)
		return 0;
	uint64_t pa = take_small();
	if (!pa)
		return 0;
	frame_refs[pfn(pa)] = 1;
	frame_meta[pfn(pa)] = (uint8_t)kind;
	pool->used[kind]++;
	pool->in_use++;
	vmstat.frames_alloc++;
	return pa;
}

static void zero(uint64_t pa, uint64_t bytes)
{
	/* rep stosq: one instruction per 8 bytes rather than memset's per byte */
	void *d = pa_to_va(pa);
	uint64_t n = bytes / 8;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ull) : "memory");
}

uint64_t frame_alloc_zeroed(enum frame_kind kind)
{
	uint64_t pa = frame_alloc(kind);
	if (pa)
		zero(pa, PAGE_SIZE);
	return pa;
}

/* 2 MiB from a range's bump pointer; the frames skipped to align are listed. */
static uint64_t bump_huge(void)
{
	for (unsigned i = 0; i < nranges; i++) {
		struct range *r = &ranges[i];
		uint64_t h = round_up(r->bump, HUGE_SIZE);
		if (h > r->limit || r->limit - h < HUGE_SIZE)
			continue;
		for (; r->bump < h; r->bump += PAGE_SIZE)
			push(&pool->free_list, r->bump);
		r->bump = h + HUGE_SIZE;
		return h;
	}
	return 0;
}

/* Take every frame of [lo, lo + 2 MiB) off the list of free 4 KiB frames. */
static void unlist_block(uint64_t lo)
{
	uint64_t *link = &pool->free_list;
	while (*link) {
		uint64_t *next = pa_to_va(*link);
		if (*link >= lo && *link < lo + HUGE_SIZE)
			*link = *next;
		else
			link = next;
	}
}

/*
 * Compaction's cheap half: a 2 MiB-aligned block of used-before frames
 * that are all free again (count 0: in use, a frame or a huge frame's
 * head counts at least 1), taken off the free list. Slow, and only when
 * nothing else gives 2 MiB: after 4 KiB allocations filled RAM once.
 */
static uint64_t reclaim_huge(void)
{
	for (unsigned r = 0; r < nranges; r++) {
		const struct range *g = &ranges[r];
		for (uint64_t h = round_up(g->base, HUGE_SIZE);
		     h + HUGE_SIZE <= g->bump; h += HUGE_SIZE) {
			unsigned i = 0;
			while (i < HUGE_FRAMES && frame_refs[pfn(h) + i] == 0)
				i++;
			if (i == HUGE_FRAMES) {
				unlist_block(h);
				return h;
			}
		}
	}
	return 0;
}

uint64_t frame_alloc_huge(void)
{
	if (pool->in_use > pool->cap || pool->cap - pool->in_use < HUGE_FRAMES)
		return 0;
	uint64_t pa = huge_free_list ? pop(&huge_free_list) : bump_huge();
	if (!pa)
		pa = reclaim_huge();
	if (!pa)
		return 0;
	uint64_t i = pfn(pa);
	frame_refs[i] = 1;
	frame_meta[i] = META_HEAD | FRAME_USER;
	for (unsigned t = 1; t < HUGE_FRAMES; t++)
		frame_meta[i + t] = META_TAIL;
	pool->used[FRAME_USER] += HUGE_FRAMES;
	pool->in_use += HUGE_FRAMES;
	vmstat.frames_alloc += HUGE_FRAMES;
	return pa;
}

void frame_get_many(uint64_t pa, unsigned n)
{
	frame_refs[frame_is_managed(pa) ? counted(pa) : pfn(pa)] += n;
}

void frame_get(uint64_t pa)
{
	frame_get_many(pa, 1);
}

/* The last reference to frame i (a head or a 4 KiB frame) is gone. */
static void free_frame(uint64_t i)
{
	uint64_t pa = i << PAGE_SHIFT;
	if (frame_meta[i] & META_HEAD) {
		pool->used[FRAME_USER] -= HUGE_FRAMES;
		pool->in_use -= HUGE_FRAMES;
		push(&huge_free_list, pa);
		vmstat.frames_freed += HUGE_FRAMES;
		return;
	}
	pool->used[frame_meta[i] & META_KIND]--;
	pool->in_use--;
	push(&pool->free_list, pa);
	vmstat.frames_freed++;
}

void frame_put(uint64_t pa)
{
	if (!frame_is_managed(pa)) { /* reserved: counted, never freed */
		if (frame_refs[pfn(pa)])
			frame_refs[pfn(pa)]--;
		return;
	}
	uint64_t i = counted(pa);
	if (frame_refs[i] == 0) {
		kprintf("frame: put of free frame 0x%lx\n", pa);
		fb_exit(FB_STATUS_FAIL);
	}
	if (--frame_refs[i] == 0)
		free_frame(i);
}

unsigned frame_refcount(uint64_t pa)
{
	return frame_is_managed(pa) ? frame_refs[counted(pa)] : 0;
}

void frame_counts(struct frame_counts *c)
{
	c->free = frame_total() - pool->in_use; /* bumped, listed or never used */
	for (int k = 0; k < FRAME_KINDS; k++)
		c->used[k] = pool->used[k];
}

uint64_t frame_total(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < nranges; i++)
		n += (ranges[i].limit - ranges[i].base) / PAGE_SIZE;
	return n;
}

void frame_set_cap(uint64_t max_in_use)
{
	pool->cap = max_in_use ? max_in_use : UINT64_MAX;
}
