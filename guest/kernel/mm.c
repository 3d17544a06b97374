/* Address spaces: creation, regions, heap growth, teardown. */
#include "kernel/mm.h"
#include "kernel/errno.h"
#include "kernel/frame.h"
#include "kernel/huge_memory.h"
#include "kernel/uapi.h"
#include "kernel/proc.h"

extern char __text_start[], __text_end[]; /* guest.ld */

static struct mm pool[NPROC];

struct mm *mm_alloc(uint64_t pml4)
{
	for (unsigned i = 0; i < NPROC; i++) {
		if (pool[i].users == 0) {
			pool[i] = (struct mm){ .pml4 = pml4, .users = 1,
					       .brk = HEAP_BASE };
			return &pool[i];
		}
	}
	return 0;
}

/* The program text is the kernel's own code frames: shared, read-only. */
static int map_text(struct mm *mm)
{
	uint64_t start = (uint64_t)(uintptr_t)__text_start;
	uint64_t end = (uint64_t)(uintptr_t)__text_end;
	mm->text_start = TEXT_BASE;
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
		if (vm_map(mm->pml4, TEXT_BASE + (pa - start), pa, 0) < 0)
			return -1;
		frame_get(pa);
	}
	mm->text_end = TEXT_BASE + (end - start);
	return 0;
}

struct mm *mm_create(void)
{
	uint64_t pml4 = pml4_create();
	if (!pml4)
		return 0;
	struct mm *mm = mm_alloc(pml4);
	if (!mm) {
		pml4_destroy(pml4);
		return 0;
	}
	if (map_text(mm) < 0) {
		mm_put(mm);
		return 0;
	}
	return mm;
}

void mm_get(struct mm *mm)
{
	mm->users++;
}

void mm_put(struct mm *mm)
{
	if (--mm->users > 0)
		return;
	pml4_destroy(mm->pml4);
	mm->pml4 = 0;
}

enum region mm_region(const struct mm *mm, uint64_t va)
{
	if (va >= mm->text_start && va < mm->text_end)
		return REGION_TEXT;
	if (va >= HEAP_BASE && va < mm->brk)
		return REGION_HEAP;
	if (va >= STACK_LO && va < STACK_TOP)
		return REGION_STACK;
	return REGION_NONE;
}

int do_anonymous_page(struct mm *mm, uint64_t va)
{
	uint64_t pa = frame_alloc_zeroed(FRAME_USER);
	if (!pa)
		return -ENOMEM;
	if (vm_map(mm->pml4, va & ~(PAGE_SIZE - 1), pa, PTE_W) < 0) {
		frame_put(pa);
		return -ENOMEM;
	}
	return 0;
}

/* Map [va, end) now: 2 MiB pages where allowed and aligned, else 4 KiB. */
static int populate(struct mm *mm, uint64_t va, uint64_t end, int huge)
{
	while (va < end) {
		int whole = huge && (va & (HUGE_SIZE - 1)) == 0 &&
			    end - va >= HUGE_SIZE;
		int r = whole ? do_huge_pmd_anonymous_page(mm, va)
			      : do_anonymous_page(mm, va);
		if (r < 0) {
			mm->brk = va; /* keep what was mapped */
			return r;
		}
		va += whole ? HUGE_SIZE : PAGE_SIZE;
	}
	return 0;
}

int64_t mm_grow_heap(struct mm *mm, uint64_t pages, int touch)
{
	uint64_t old = mm->brk;
	if (pages > (HEAP_BASE + HEAP_MAX - old) / PAGE_SIZE)
		return -EINVAL;
	uint64_t end = old + pages * PAGE_SIZE;
	if (touch != SBRK_LAZY &&
	    populate(mm, old, end, touch == SBRK_HUGE) < 0)
		return -ENOMEM;
	mm->brk = end;
	return (int64_t)old;
}
