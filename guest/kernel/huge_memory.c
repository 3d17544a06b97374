/*
 * 2 MiB pages (huge_memory.h). A huge frame's reference count is on its
 * head frame (frame.h): the PMD entries mapping it hold one each, and
 * after a split each of its 512 PTEs holds one, so a 4 KiB COW fault in
 * a split table copies while any other mapping of the frame remains.
 */
#include "kernel/huge_memory.h"
#include "kernel/errno.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/vmstat.h"

#define HUGE_FLAGS (PTE_P | PTE_W | PTE_PS)

int do_huge_pmd_anonymous_page(struct mm *mm, uint64_t va)
{
	uint64_t pa = frame_alloc_huge();
	if (!pa)
		return -ENOMEM;
	pte_t *pmd = pmd_walk(mm->pml4, va, 1);
	if (!pmd) {
		frame_put(pa);
		return -ENOMEM;
	}
	void *d = pa_to_va(pa);
	uint64_t n = HUGE_SIZE / 8;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ull) : "memory");
	*pmd = pa | HUGE_FLAGS;
	return 0;
}

/* 2 MiB from old into a new huge frame, as 512 page copies. 0 if no RAM. */
static uint64_t copy_huge_page(uint64_t old)
{
	uint64_t pa = frame_alloc_huge();
	for (unsigned i = 0; pa && i < HUGE_FRAMES; i++)
		copy_page(pa + i * PAGE_SIZE, old + i * PAGE_SIZE);
	return pa;
}

/* The entry of a private, writable 2 MiB page at pa, flags as pmd's. */
static pte_t writable(pte_t pmd, uint64_t pa)
{
	return pa | ((pmd & ~PTE_ADDR_MASK & ~(PTE_COW | PMD_HUGE_COPY)) | PTE_W);
}

int uvmcopy_huge_pmd(pte_t *dst_pmd, pte_t *src_pmd)
{
	uint64_t pa = copy_huge_page(PTE_ADDR(*src_pmd));
	if (!pa)
		return -ENOMEM;
	*dst_pmd = writable(*src_pmd, pa);
	vmstat.ptes_copied++;
	return 0;
}

/*
 * __split_huge_pmd: the 2 MiB page mapped by 512 PTEs of a new table,
 * COW like the entry was; the entry's reference becomes 512.
 */
static int split_huge_pmd(pte_t *pmd, uint64_t va)
{
	uint64_t tpa = alloc_table_uninit();
	if (!tpa)
		return -ENOMEM;
	uint64_t head = PTE_ADDR(*pmd);
	pte_t flags = (*pmd & (PTE_W | PTE_COW)) | PTE_P;
	pte_t *t = pa_to_va(tpa);
	for (unsigned i = 0; i < PTRS_PER_TABLE; i++)
		t[i] = (head + i * PAGE_SIZE) | flags;
	frame_get_many(head, HUGE_FRAMES - 1);
	*pmd = tpa | PTE_P | PTE_W | PMD_SUBPAGES;
	tlb_flush_page(va & ~(HUGE_SIZE - 1)); /* the 2 MiB translation */
	vmstat.pmd_splits++;
	return 0;
}

int do_huge_pmd_wp_page(pte_t *pmd, uint64_t va, int *split)
{
	*split = 0;
	if (!(*pmd & PTE_COW))
		return -EFAULT;
	uint64_t old = PTE_ADDR(*pmd);
	unsigned refs = frame_refcount(old);
	if (refs > 1 && !(*pmd & PMD_HUGE_COPY)) {
		*split = 1; /* the 4 KiB fault that follows is the COW fault */
		return split_huge_pmd(pmd, va);
	}
	vmstat.cow_faults++;
	if (refs == 1) { /* the others are gone: reuse */
		*pmd = writable(*pmd, old);
		tlb_flush_page(va);
		vmstat.cow_reuses++;
		return 0;
	}
	uint64_t pa = copy_huge_page(old);
	if (!pa)
		return -ENOMEM;
	*pmd = writable(*pmd, pa);
	frame_put(old);
	tlb_flush_page(va);
	vmstat.huge_copies++;
	return 0;
}
