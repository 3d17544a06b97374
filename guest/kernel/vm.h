/*
 * 4-level x86-64 page tables of process address spaces. PML4 slot 0 is
 * the kernel half (the boot identity map, global pages), the same in
 * every address space; slots 1..254 are the per-process user half.
 */
#ifndef GUEST_VM_H
#define GUEST_VM_H

#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_P 0x001ull
#define PTE_W 0x002ull
#define PTE_PS 0x080ull
#define PTE_G 0x100ull
#define PTE_COW 0x200ull /* software bit: write-protected for COW */
/*
 * Software bit of a PMD (page-directory) entry: its PTE table is shared
 * by on-demand fork (odf.c), so the entry is write-protected and the
 * table must be unshared before any PTE in it changes.
 */
#define PMD_ODF 0x400ull
/*
 * Software bit of a PMD entry pointing to a PTE table: the table came
 * from splitting a 2 MiB page (huge_memory.c), so its PTEs map parts of
 * huge frames, whose references count on the huge frame (frame.h); the
 * inline frame_get_small of copy_pte_range does not apply to them.
 */
#define PMD_SUBPAGES 0x800ull
/*
 * Software bit of a 2 MiB (PTE_PS) PMD entry shared copy-on-write: the
 * first write copies the whole 2 MiB page (huge_copy fork) instead of
 * splitting the entry (cow fork, as Linux does).
 */
#define PMD_HUGE_COPY 0x800ull
#define PTRS_PER_TABLE 512
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PTE_ADDR(p) ((p) & PTE_ADDR_MASK)

#define USER_BASE 0x0000008000000000ull /* PML4 slot 1 */
#define USER_END 0x00007f8000000000ull  /* slot 255 stays unmapped */

/* The boot page tables: the address space of the kernel itself. */
uint64_t kernel_pml4(void);

/* A zeroed page-table page (counted in pt_pages_alloc), or 0 if no RAM. */
uint64_t alloc_table(void);
/* The same, not zeroed: for a caller that writes every entry itself. */
uint64_t alloc_table_uninit(void);
/* A new, empty user address space sharing the kernel half. 0 if no RAM. */
uint64_t pml4_create(void);
/* Free every user page reference and page-table page, then the PML4. */
void pml4_destroy(uint64_t pml4);

/*
 * The leaf PTE of va, allocating missing tables when alloc; NULL if none.
 * alloc also means the caller will write the PTE: a PTE table shared by
 * on-demand fork is unshared first (NULL if that runs out of frames).
 */
pte_t *pte_walk(uint64_t pml4, uint64_t va, int alloc);
/* The PMD entry (page directory) covering va, allocating as pte_walk. */
pte_t *pmd_walk(uint64_t pml4, uint64_t va, int alloc);
/* The PUD entry (page-directory pointer) covering va, likewise. */
pte_t *pud_walk(uint64_t pml4, uint64_t va, int alloc);
/* The PTE of va in the table PMD entry pmd points to; NULL if none. */
pte_t *pmd_pte(const pte_t *pmd, uint64_t va);
/* Map one 4 KiB page; -1 when a page-table page could not be allocated. */
int vm_map(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t flags);
/* The frame mapped at va (within a 2 MiB page: its 4 KiB part), or 0. */
uint64_t vm_lookup(uint64_t pml4, uint64_t va);

void write_cr3(uint64_t pml4);
void tlb_flush_all(void);
void tlb_flush_page(uint64_t va);

#endif
