/*
 * forkbench run --parent-pages 4K|2M: the page size of every variant's
 * parent heap, passed to the guest as the bench word parent_pages=2M.
 * Kept out of run.c's option table, whose other options live there.
 */
#include <stdio.h>
#include <string.h>

#include "sweep.h"

int sweep_pages_parse(const char *arg, struct sweep_params *p)
{
	if (strcmp(arg, SWEEP_PAGES_4K) == 0 ||
	    strcmp(arg, SWEEP_PAGES_2M) == 0) {
		p->parent_pages = arg;
		return 0;
	}
	fprintf(stderr, "forkbench run: --parent-pages '%s': expected %s or "
		"%s\n", arg, SWEEP_PAGES_4K, SWEEP_PAGES_2M);
	return -1;
}

/*
 * The Linux peer's variants fix their own pages (MADV_NOHUGEPAGE, and
 * linux_fork_thp for huge pages): the word would mean nothing to them.
 */
int sweep_pages_check(const struct sweep_params *p)
{
	if (!sweep_is_linux(p) ||
	    strcmp(sweep_parent_pages(p), SWEEP_PAGES_4K) == 0)
		return 0;
	fprintf(stderr, "forkbench run: --parent-pages %s: only with --os "
		"guest (the Linux peer's huge-page fork is the variant "
		"linux_fork_thp)\n", sweep_parent_pages(p));
	return -1;
}
