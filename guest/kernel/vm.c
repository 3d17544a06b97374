/* Page-table pages: creating, walking, mapping and tearing down. */
#include "kernel/vm.h"
#include "fb_sim.h"
#include "kernel/frame.h"
#include "kernel/odf.h"
#include "kernel/simmark.h"
#include "kernel/vmstat.h"

#define ENTRIES PTRS_PER_TABLE
#define USER_SLOT_FIRST 1
#define USER_SLOT_LAST 254

extern pte_t boot_pml4[ENTRIES]; /* pvh.S: the boot page tables */

static unsigned index_at(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * level)) & (ENTRIES - 1);
}

static pte_t *table(pte_t entry)
{
	return pa_to_va(PTE_ADDR(entry));
}

uint64_t kernel_pml4(void)
{
	return (uint64_t)(uintptr_t)boot_pml4;
}

uint64_t alloc_table(void)
{
	uint64_t pa = frame_alloc_zeroed(FRAME_PT);
	if (pa)
		vmstat.pt_pages_alloc++;
	return pa;
}

uint64_t alloc_table_uninit(void)
{
	uint64_t pa = frame_alloc(FRAME_PT);
	if (pa)
		vmstat.pt_pages_alloc++;
	return pa;
}

uint64_t pml4_create(void)
{
	uint64_t pa = alloc_table();
	if (pa)
		((pte_t *)pa_to_va(pa))[0] = boot_pml4[0];
	return pa;
}

pte_t *pte_walk(uint64_t pml4, uint64_t va, int alloc)
{
	pte_t *t = pa_to_va(pml4);
	for (int level = 3; level > 0; level--) {
		pte_t *e = &t[index_at(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = alloc ? alloc_table() : 0;
			if (!pa)
				return 0;
			*e = pa | PTE_P | PTE_W;
		}
		/*
		 * One test for both (the walk is COW fork's inner loop);
		 * PMD_ODF is only ever set in PMD entries (level 1).
		 */
		if (*e & (PTE_PS | PMD_ODF)) {
			if (*e & PTE_PS) /* a large page: no 4 KiB PTE */
				return 0;
			/* A writer must not change a table others see. */
			if (alloc && pte_table_unshare(e) < 0)
				return 0;
		}
		t = table(*e);
	}
	return &t[index_at(va, 0)];
}

/* The entry of va at level stop (1: PMD, 2: PUD), allocating as pte_walk. */
static pte_t *walk_to(uint64_t pml4, uint64_t va, int alloc, int stop)
{
	pte_t *t = pa_to_va(pml4);
	for (int level = 3; level > stop; level--) {
		pte_t *e = &t[index_at(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = alloc ? alloc_table() : 0;
			if (!pa)
				return 0;
			*e = pa | PTE_P | PTE_W;
		}
		if (*e & PTE_PS) /* a kernel large page or a 1 GiB one */
			return 0;
		t = table(*e);
	}
	return &t[index_at(va, stop)];
}

pte_t *pmd_walk(uint64_t pml4, uint64_t va, int alloc)
{
	return walk_to(pml4, va, alloc, 1);
}

pte_t *pud_walk(uint64_t pml4, uint64_t va, int alloc)
{
	return walk_to(pml4, va, alloc, 2);
}

pte_t *pmd_pte(const pte_t *pmd, uint64_t va)
{
	if (!(*pmd & PTE_P) || (*pmd & PTE_PS))
		return 0;
	return &table(*pmd)[index_at(va, 0)];
}

int vm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
	pte_t *pte = pte_walk(pml4, va, 1);
	if (!pte)
		return -1;
	*pte = pa | flags | PTE_P;
	return 0;
}

uint64_t vm_lookup(uint64_t pml4, uint64_t va)
{
	pte_t *pmd = pmd_walk(pml4, va, 0);
	if (!pmd || !(*pmd & PTE_P))
		return 0;
	if (*pmd & PTE_PS)
		return PTE_ADDR(*pmd) + (va & (HUGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	pte_t *pte = pmd_pte(pmd, va);
	return *pte & PTE_P ? PTE_ADDR(*pte) : 0;
}

static void pte_table_put(uint64_t pa);

/* Free a table and everything below it; level 0 tables hold pages. */
static void free_table(uint64_t pa, int level)
{
	pte_t *t = pa_to_va(pa);
	for (unsigned i = 0; i < ENTRIES; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1)
			free_table(PTE_ADDR(t[i]), level - 1);
		else if (level == 1 && (t[i] & PTE_PS)) /* a 2 MiB page */
			frame_put(PTE_ADDR(t[i]));
		else if (level == 1)
			pte_table_put(PTE_ADDR(t[i]));
		else
			frame_put(PTE_ADDR(t[i]));
	}
	frame_put(pa);
}

/*
 * Drop one address space's reference on a PTE table. A table shared by
 * on-demand fork holds one reference on each of its pages however many
 * address spaces share it: only its last sharer puts them.
 */
static void pte_table_put(uint64_t pa)
{
	if (frame_refcount(pa) > 1)
		frame_put(pa);
	else
		free_table(pa, 0);
}

void pml4_destroy(uint64_t pml4)
{
	pte_t *top = pa_to_va(pml4);
	for (unsigned i = USER_SLOT_FIRST; i <= USER_SLOT_LAST; i++)
		if (top[i] & PTE_P)
			free_table(PTE_ADDR(top[i]), 2);
	frame_put(pml4);
}

void write_cr3(uint64_t pml4)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
	vmstat.tlb_full_flushes++;
}

void tlb_flush_all(void)
{
	uint64_t cr3;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	write_cr3(cr3);
}

void tlb_flush_page(uint64_t va)
{
	if (sim_on) /* the model needs the operand said (kernel/simmark.h) */
		fb_sim_announce_invlpg((const volatile void *)va);
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	vmstat.invlpgs++;
}
