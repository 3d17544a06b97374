/*
 * The frame allocator. Frames above the bump pointer have never been
 * used; freed frames go on a list threaded through their first word.
 * Nothing is initialised per frame at boot: on a host that emulates
 * ring 0 a loop over a gigabyte of frames would take seconds.
 */
#include "kernel/frame.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/vmstat.h"


extern char __kernel_end[]; /* guest.ld */

static uint64_t base, limit;  /* managed frames: [base, limit) */
static uint64_t bump;         /* next never-used frame */
static uint64_t free_list;    /* pa of the first freed frame, 0 if none */
static uint64_t nfree_listed;
static uint16_t *refs;        /* one count per managed frame */
static uint64_t used[FRAME_KINDS], cap;
static uint8_t *kinds;        /* the kind of each frame in use */

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* The biggest RAM range above the kernel image within the direct map. */
static int pick_range(uint64_t *lo, uint64_t *hi)
{
	uint64_t kend = round_up((uint64_t)(uintptr_t)__kernel_end, PAGE_SIZE);
	*lo = *hi = 0;
	for (unsigned i = 0; i < boot.memmap_entries; i++) {
		const struct hvm_memmap_table_entry *e = &boot.memmap[i];
		if (e->type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		uint64_t s = e->addr > kend ? e->addr : kend;
		uint64_t t = e->addr + e->size;
		if (t > DIRECT_MAP_END)
			t = DIRECT_MAP_END;
		s = round_up(s, PAGE_SIZE);
		t &= ~(PAGE_SIZE - 1);
		if (t > s && t - s > *hi - *lo)
			*lo = s, *hi = t;
	}
	return *hi > *lo ? 0 : -1;
}

/* Per-frame metadata (refcount and kind) at the start of the range. */
static uint64_t meta_bytes(uint64_t lo, uint64_t hi)
{
	uint64_t n = (hi - lo) / PAGE_SIZE;
	return round_up(n * (sizeof(*refs) + sizeof(*kinds)), PAGE_SIZE);
}

uint64_t frame_capacity(void)
{
	uint64_t lo, hi;
	if (pick_range(&lo, &hi) < 0 || meta_bytes(lo, hi) >= hi - lo)
		return 0;
	return (hi - lo - meta_bytes(lo, hi)) / PAGE_SIZE;
}

int frame_init(void)
{
	uint64_t lo, hi;
	if (pick_range(&lo, &hi) < 0) {
		kprintf("frame: no usable RAM above the kernel\n");
		return -1;
	}
	uint64_t n = (hi - lo) / PAGE_SIZE;
	uint64_t meta = meta_bytes(lo, hi);
	if (meta >= hi - lo) {
		kprintf("frame: RAM too small for frame metadata\n");
		return -1;
	}
	refs = pa_to_va(lo);
	kinds = (uint8_t *)(refs + n);
	base = bump = lo + meta;
	limit = hi;
	return 0;
}

static uint64_t index_of(uint64_t pa)
{
	return (pa - base) >> PAGE_SHIFT;
}

int frame_is_managed(uint64_t pa)
{
	return pa >= base && pa < bump;
}

static uint64_t in_use(void)
{
	return used[FRAME_USER] + used[FRAME_PT];
}

uint64_t frame_alloc(enum frame_kind kind)
{
	uint64_t pa;
	if (cap && in_use() >= cap)
		return 0;
	if (free_list) {
		pa = free_list;
		free_list = *(uint64_t *)pa_to_va(pa);
		nfree_listed--;
	} else if (bump < limit) {
		pa = bump;
		bump += PAGE_SIZE;
	} else {
		return 0;
	}
	refs[index_of(pa)] = 1;
	kinds[index_of(pa)] = (uint8_t)kind;
	used[kind]++;
	vmstat.frames_alloc++;
	return pa;
}

uint64_t frame_alloc_zeroed(enum frame_kind kind)
{
	uint64_t pa = frame_alloc(kind);
	if (pa) {
		/* rep stosq: 512 iterations rather than memset's 4096 bytes */
		void *d = pa_to_va(pa);
		uint64_t n = PAGE_SIZE / 8;
		__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ull)
				 : "memory");
	}
	return pa;
}

void frame_get(uint64_t pa)
{
	if (frame_is_managed(pa))
		refs[index_of(pa)]++;
}

void frame_put(uint64_t pa)
{
	if (!frame_is_managed(pa))
		return;
	uint64_t i = index_of(pa);
	if (refs[i] == 0) {
		kprintf("frame: put of free frame 0x%lx\n", pa);
		fb_exit(FB_STATUS_FAIL);
	}
	if (--refs[i])
		return;
	used[kinds[i]]--;
	*(uint64_t *)pa_to_va(pa) = free_list;
	free_list = pa;
	nfree_listed++;
	vmstat.frames_freed++;
}

unsigned frame_refcount(uint64_t pa)
{
	return frame_is_managed(pa) ? refs[index_of(pa)] : 0;
}

void frame_counts(struct frame_counts *c)
{
	c->free = (limit - bump) / PAGE_SIZE + nfree_listed;
	for (int k = 0; k < FRAME_KINDS; k++)
		c->used[k] = used[k];
}

uint64_t frame_total(void)
{
	return (limit - base) / PAGE_SIZE;
}

void frame_set_cap(uint64_t max_in_use)
{
	cap = max_in_use;
}
