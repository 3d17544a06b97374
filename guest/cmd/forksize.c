/*
 * "forksize SIZE VARIANT": a parent with SIZE of touched memory forks
 * with VARIANT (the fork-like ones of fb_vocab.h: copy, cow, vfork and
 * the raw clone without CLONE_VM) and the child checks it sees
 * the parent's memory. Proves the fork paths at every parent size the
 * sweeps use, and says so when guest RAM is too small for the request.
 */
#include "cmd/forksize.h"
#include "cmd/args.h"
#include "fb_vocab.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/errno.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/procinit.h"
#include "kernel/record.h"
#include "kernel/uapi.h"
#include "kernel/vmstat.h"
#include "tests/testlib.h"

#define WORDS_PER_PAGE 512

static struct {
	uint64_t bytes;
	enum fb_variant variant;
	const char *name;
} req;

/* One word per page: enough to prove the child sees every page. */
static void stamp(uint64_t *base, uint64_t pages)
{
	for (uint64_t p = 0; p < pages; p++)
		base[p * WORDS_PER_PAGE] = p ^ 0x5a5a5a5a5a5a5a5aull;
}

static int stamped(const uint64_t *base, uint64_t pages)
{
	for (uint64_t p = 0; p < pages; p++)
		if (base[p * WORDS_PER_PAGE] != (p ^ 0x5a5a5a5a5a5a5a5aull))
			return 0;
	return 1;
}

static long create(void)
{
	switch (req.variant) {
	case FB_V_COPY: return sys_fork_copy();
	case FB_V_COW: return sys_fork_cow();
	case FB_V_ODF: return sys_fork_odf();
	case FB_V_VFORK: return sys_vfork();
	default: /* the raw clone: the child returns on a copy of our stack */
		return sys_clone(0, 0, fb_variant_flags[req.variant], 0);
	}
}

/*
 * Naive fork copies every resident page but the shared text; COW and a
 * raw clone copy every PTE and no page; vfork copies nothing; on-demand
 * fork shares one PTE table per 2 MiB range of the layout with a page in
 * it (ranges), and copies no PTE and no page.
 */
static int counters_match(const struct vmstat *d, uint64_t rss,
			  uint64_t text, uint64_t ranges)
{
	if (req.variant == FB_V_VFORK)
		return d->ptes_copied == 0 && d->pages_copied == 0;
	if (req.variant == FB_V_ODF)
		return d->pt_shared == ranges && d->ptes_copied == 0 &&
		       d->pages_copied == 0;
	if (d->ptes_copied != rss)
		return 0;
	if (req.variant == FB_V_COPY)
		return d->pages_copied == rss - text;
	return d->pages_copied == 0;
}

static unsigned nomem(uint64_t pages, const char *what)
{
	struct frame_counts c;
	frame_counts(&c);
	kprintf("forksize: guest RAM too small: %s for a %lu MiB parent "
		"(%lu pages; %lu frames free of %lu)\n",
		what, req.bytes >> 20, pages, c.free, frame_total());
	return FB_STATUS_NOMEM;
}

static int forksize_init(long unused)
{
	(void)unused;
	uint64_t pages = req.bytes / 4096;
	long base = sys_sbrk(pages, 1);
	if (base < 0)
		return (int)nomem(pages, "cannot allocate the parent");
	uint64_t *mem = (uint64_t *)base;
	stamp(mem, pages);
	touch_stack(); /* no page faults between counting and copying */
	uint64_t rss = layout_rss(), text = text_pages();
	uint64_t ranges = layout_ranges();
	long pid = create();
	if (pid == -ENOMEM)
		return (int)nomem(pages, "the fork ran out of frames");
	if (pid < 0) {
		kprintf("forksize: %s failed: %ld\n", req.name, pid);
		return FB_STATUS_FAIL;
	}
	if (pid == 0)
		sys_exit(stamped(mem, pages) ? 0 : 1);
	struct vmstat d = fork_last;
	int status;
	int ok = sys_waitpid(pid, &status) == pid && status == 0;
	kprintf("forksize: %lu MiB %s: child %s the parent's memory; "
		"%lu pages copied, %lu PTEs copied, %lu page-table pages, "
		"%lu shared\n",
		req.bytes >> 20, req.name, ok ? "sees" : "does NOT see",
		d.pages_copied, d.ptes_copied, d.pt_pages_alloc, d.pt_shared);
	if (!counters_match(&d, rss, text, ranges)) {
		kprintf("forksize: counters do not match the variant's "
			"arithmetic (rss %lu pages, text %lu, %lu ranges, %lu "
			"tables shared)\n", rss, text, ranges, d.pt_shared);
		ok = 0;
	} else {
		kprintf("forksize: counters match: rss %lu pages (text %lu)\n",
			rss, text);
	}
	char name[48];
	snprintf(name, sizeof(name), "forksize_%s_%luK", req.name,
		 req.bytes >> 10);
	rec_test(name, ok, ok ? 0 : "child saw different memory");
	return ok ? FB_STATUS_PASS : FB_STATUS_FAIL;
}

/* The usage line, then why: scripts (process.bats) look for the usage. */
__attribute__((noreturn)) static void bad_args(const char *why)
{
	const char *names[FB_V_COUNT];
	char list[96];
	size_t len = 0;
	unsigned n = fb_forksize_variants(names);
	for (unsigned i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					i ? "|" : "", names[i]);
	kprintf("forksize: usage: forksize SIZE %s "
		"(SIZE a multiple of 4K, e.g. 64M)\n", list);
	badcmd("forksize: %s", why);
}

unsigned cmd_forksize(int argc, char **argv)
{
	char why[160], list[64];
	const char *variants[FB_V_COUNT];
	unsigned nvariants = fb_forksize_variants(variants);
	if (argc != 3) {
		snprintf(why, sizeof(why), "expected 2 arguments (SIZE and "
			 "VARIANT), got %d", argc - 1);
		bad_args(why);
	}
	const char *size_why = size_problem(argv[1], &req.bytes);
	if (size_why) {
		snprintf(why, sizeof(why), "size '%s' %s", argv[1], size_why);
		bad_args(why);
	}
	if (choice_index(argv[2], variants, nvariants) < 0) {
		choice_list(list, sizeof(list), variants, nvariants);
		snprintf(why, sizeof(why), "unknown variant '%s' (one of: %s)",
			 argv[2], list);
		bad_args(why);
	}
	req.name = argv[2];
	req.variant = (enum fb_variant)fb_variant_find(argv[2]);
	parent_must_fit("forksize", argv[1], req.bytes);
	proc_boot(forksize_init, 0);
	return FB_STATUS_FAIL; /* not reached */
}
