/*
 * The page-fault handler tells three kinds of fault apart:
 *   - a write to a COW page: do_wp_page copies the frame, or reuses it
 *     when the writer is its only owner; a write through a PTE table that
 *     on-demand fork shares first unshares the table (odf.c); a write to
 *     a shared 2 MiB page copies it whole or splits it, and then the
 *     4 KiB page is copied (huge_memory.c);
 *   - a first touch of heap or stack: do_anonymous_page maps a zero page;
 *   - anything else is a real fault: the process is killed with a report,
 *     the kernel goes on.
 * It runs on its own IST stack (trap.h), so the faulting stack may be the
 * very page being copied.
 */
#include "kernel/fault.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/huge_memory.h"
#include "kernel/mm.h"
#include "kernel/odf.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/trap.h"
#include "kernel/vm.h"
#include "kernel/vmstat.h"
#include "kernel/x86.h"

#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define EXIT_SEGV (128 + 11)
#define EXIT_OOM (128 + 9)

/* The writer owns the frame alone: make it writable again, no copy. */
static void wp_page_reuse(uint64_t va, pte_t *pte)
{
	*pte = (*pte | PTE_W) & ~PTE_COW;
	tlb_flush_page(va);
	vmstat.cow_reuses++;
}

/* Give the writer its own copy and drop its reference to the shared one. */
static int wp_page_copy(uint64_t va, pte_t *pte)
{
	uint64_t old = PTE_ADDR(*pte);
	uint64_t pa = frame_alloc(FRAME_USER);
	if (!pa)
		return -ENOMEM;
	copy_page(pa, old);
	*pte = pa | ((*pte & ~PTE_ADDR_MASK & ~PTE_COW) | PTE_W);
	frame_put(old);
	tlb_flush_page(va);
	vmstat.cow_copies++;
	return 0;
}

static int do_wp_page(uint64_t va, pte_t *pte)
{
	vmstat.cow_faults++;
	if (frame_refcount(PTE_ADDR(*pte)) == 1) {
		wp_page_reuse(va, pte);
		return 0;
	}
	return wp_page_copy(va, pte);
}

/* Resume the process in do_exit(status) on its kernel stack. */
static int kill_current(struct trap_frame *tf, uint64_t va, const char *why,
			int status)
{
	kprintf("pid %d (%s) killed: %s at 0x%lx, rip 0x%lx\n", current->pid,
		current->name, why, va, tf->rip);
	tf->rip = (uint64_t)(uintptr_t)do_exit;
	tf->rdi = (uint64_t)status;
	tf->rsp = current->kstack_top - 8; /* as if do_exit had been called */
	return 1;
}

static int handle_user_fault(struct trap_frame *tf, uint64_t va)
{
	struct mm *mm = current->mm;
	if (!(tf->error & PF_PRESENT)) {
		enum region r = mm_region(mm, va);
		if (r != REGION_HEAP && r != REGION_STACK)
			return kill_current(tf, va, "access outside any region",
					    EXIT_SEGV);
		if (do_anonymous_page(mm, va) < 0)
			return kill_current(tf, va, "out of memory", EXIT_OOM);
		vmstat.demand_faults++;
		return 1;
	}
	/* One walk to the PMD entry serves the 2 MiB and odf tests and the PTE. */
	int unshared = 0, split = 0;
	pte_t *pmd = pmd_walk(mm->pml4, va, 0);
	if ((tf->error & PF_WRITE) && pmd && (*pmd & PTE_PS)) {
		int r = do_huge_pmd_wp_page(pmd, va, &split);
		if (r == -EFAULT)
			return kill_current(tf, va, "write to a read-only page",
					    EXIT_SEGV);
		if (r < 0)
			return kill_current(tf, va, "out of memory", EXIT_OOM);
		if (!split)
			return 1;
	}
	if ((tf->error & PF_WRITE) && pmd && (*pmd & PMD_ODF)) {
		if (pte_table_unshare(pmd) < 0)
			return kill_current(tf, va, "out of memory", EXIT_OOM);
		unshared = 1;
	}
	pte_t *pte = pmd ? pmd_pte(pmd, va) : 0;
	/* Writable now that its table is ours alone: write again. */
	if (unshared && pte && (*pte & PTE_W))
		return 1;
	if (!(tf->error & PF_WRITE) || !pte || !(*pte & PTE_COW))
		return kill_current(tf, va, "write to a read-only page",
				    EXIT_SEGV);
	if (do_wp_page(va & ~(PAGE_SIZE - 1), pte) < 0)
		return kill_current(tf, va, "out of memory", EXIT_OOM);
	return 1;
}

/*
 * pf_probe_touch(va): one load from an address that is never mapped. Its
 * fault resumes at pf_probe_done (a fixup, as in Linux's exception
 * tables): a page-fault round trip with no handling in between, what the
 * validity calibration times.
 */
__asm__(".text\n"
	".globl pf_probe_touch\n"
	"pf_probe_touch:\n"
	"pf_probe_load:\n"
	"\tmovb (%rdi), %al\n"
	"pf_probe_done:\n"
	"\tret\n");
extern const char pf_probe_load[], pf_probe_done[];

static int fixup_exception(struct trap_frame *tf)
{
	if (tf->rip != (uint64_t)(uintptr_t)pf_probe_load)
		return 0;
	tf->rip = (uint64_t)(uintptr_t)pf_probe_done;
	return 1;
}

static int on_page_fault(struct trap_frame *tf)
{
	if (fixup_exception(tf))
		return 1;
	uint64_t va = read_cr2();
	if (!current || !current->mm || va < USER_BASE || va >= USER_END)
		return 0; /* a kernel bug: report it and end the run */
	return handle_user_fault(tf, va);
}

void fault_init(void)
{
	trap_set_handler(14, on_page_fault);
}
