/* Helpers the in-guest tests share. */
#include "tests/testlib.h"
#include "kernel/console.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/mm.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"
#include "kernel/vm.h"
#include "tests/proctest.h"

#define WORDS_PER_PAGE 512

uint64_t *heap_pages(uint64_t n, int touch)
{
	long old = sys_sbrk(n, touch);
	return old < 0 ? 0 : (uint64_t *)old;
}

static uint64_t pattern(uint64_t page, uint64_t word, uint64_t seed)
{
	return (seed * 0x9e3779b97f4a7c15ull) ^ (page << 20) ^ word;
}

/* First, middle and last word of each page: enough to tell pages apart. */
static const uint64_t probe_words[] = { 0, WORDS_PER_PAGE / 2,
					WORDS_PER_PAGE - 1 };

void fill_pages(uint64_t *base, uint64_t n, uint64_t seed)
{
	for (uint64_t p = 0; p < n; p++)
		for (unsigned i = 0; i < ARRAY_SIZE(probe_words); i++)
			base[p * WORDS_PER_PAGE + probe_words[i]] =
				pattern(p, probe_words[i], seed);
}

long bad_page(const uint64_t *base, uint64_t n, uint64_t seed)
{
	for (uint64_t p = 0; p < n; p++)
		for (unsigned i = 0; i < ARRAY_SIZE(probe_words); i++)
			if (base[p * WORDS_PER_PAGE + probe_words[i]] !=
			    pattern(p, probe_words[i], seed))
				return (long)p;
	return -1;
}

void touch_stack(void)
{
	volatile uint8_t deep[6 * 4096];
	for (unsigned i = 0; i < sizeof(deep); i += 4096)
		deep[i] = 1;
}

uint64_t frame_of(const void *va)
{
	return vm_lookup(current->mm->pml4, (uint64_t)(uintptr_t)va);
}

static uint64_t count_tables(uint64_t pa, int level)
{
	const pte_t *t = pa_to_va(pa);
	uint64_t n = 1;
	if (level == 0)
		return n;
	for (unsigned i = 0; i < 512; i++)
		if (t[i] & PTE_P)
			n += count_tables(PTE_ADDR(t[i]), level - 1);
	return n;
}

uint64_t current_pt_pages(void)
{
	const pte_t *top = pa_to_va(current->mm->pml4);
	uint64_t n = 1; /* the PML4 itself; slot 0 is the shared kernel half */
	for (unsigned i = 1; i < 255; i++)
		if (top[i] & PTE_P)
			n += count_tables(PTE_ADDR(top[i]), 2);
	return n;
}

/* Mapped pages of [lo, hi), one lookup each. */
static uint64_t mapped_in(uint64_t pml4, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE)
		n += vm_lookup(pml4, va) != 0;
	return n;
}

uint64_t layout_rss(void)
{
	const struct mm *mm = current->mm;
	uint64_t text_end = (mm->text_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return mapped_in(mm->pml4, mm->text_start, text_end) +
	       mapped_in(mm->pml4, HEAP_BASE, mm->brk) +
	       mapped_in(mm->pml4, STACK_LO, STACK_TOP);
}

#define RANGE (2ull << 20)

/* 2 MiB ranges of [lo, hi) with a mapped page; last: the last counted. */
static uint64_t ranges_in(uint64_t pml4, uint64_t lo, uint64_t hi,
			  uint64_t *last)
{
	uint64_t n = 0;
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t r = va / RANGE + 1; /* 0: none counted yet */
		if (r != *last && vm_lookup(pml4, va)) {
			*last = r;
			n++;
		}
	}
	return n;
}

uint64_t layout_ranges(void)
{
	const struct mm *mm = current->mm;
	uint64_t last = 0;
	return ranges_in(mm->pml4, mm->text_start, mm->text_end, &last) +
	       ranges_in(mm->pml4, HEAP_BASE, mm->brk, &last) +
	       ranges_in(mm->pml4, STACK_LO, STACK_TOP, &last);
}

uint64_t ranges_of(const void *va, uint64_t pages)
{
	uint64_t a = (uint64_t)(uintptr_t)va;
	return (a + pages * PAGE_SIZE - 1) / RANGE - a / RANGE + 1;
}

uint64_t text_pages(void)
{
	const struct mm *mm = current->mm;
	return (mm->text_end - mm->text_start) / PAGE_SIZE;
}

/* Kernel half: shared by every process, how the parent says it wrote. */
static volatile int parent_wrote;

int child_writes_isolated(long (*forkfn)(void), uint64_t n)
{
	uint64_t *heap = heap_pages(n, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, n, 1);
	long pid = forkfn();
	if (pid == 0) {
		if (bad_page(heap, n, 1) >= 0)
			sys_exit(2); /* the child sees the parent's data */
		fill_pages(heap, n, 2);
		sys_exit(bad_page(heap, n, 2) >= 0 ? 3 : 0);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child status %d", status);
	CHECK(bad_page(heap, n, 1) < 0, "parent page %ld changed by the child",
	      bad_page(heap, n, 1));
	return 0;
}

int parent_writes_isolated(long (*forkfn)(void), uint64_t n)
{
	uint64_t *heap = heap_pages(n, 1);
	CHECK(heap, "sbrk");
	fill_pages(heap, n, 1);
	parent_wrote = 0;
	long pid = forkfn();
	if (pid == 0) {
		while (!parent_wrote)
			sys_yield();
		sys_exit(bad_page(heap, n, 1) >= 0 ? 2 : 0);
	}
	CHECK(pid > 0, "fork: %ld", pid);
	fill_pages(heap, n, 3);
	parent_wrote = 1;
	int status;
	CHECK(sys_waitpid(pid, &status) == pid && status == 0,
	      "child saw the parent's writes (status %d)", status);
	CHECK(bad_page(heap, n, 3) < 0, "parent lost its own writes");
	return 0;
}
