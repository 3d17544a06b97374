/*
 * forkbench ci's sweeps: the profile on each side, run by this program's
 * own `run` with each side's fbvmm and guest.elf. All sides at once, each
 * split into shards (run --shard K/N, joined by merge, byte for byte the
 * unsharded set) so that as many sweeps run as there are jobs: one QEMU
 * each, one CPU each.
 */
#ifndef FB_CI_SWEEP_H
#define FB_CI_SWEEP_H

#include <signal.h>
#include <stddef.h>

#include "ci_profile.h"

struct ci_sweep {
	const char *label;         /* "base", "new": its directories' name */
	const char *fbvmm, *guest; /* what this side runs */
	char dir[4096];            /* out: its result set */
};

/*
 * Sweep sides[0..n) into work/LABEL, at most jobs at a time (*at_once:
 * how many ran together). Stops starting sweeps once *stop is set (and
 * passes SIGINT on to the running ones). 0, or -1 with err naming the
 * side and why (the first failed configuration and its reason, or the
 * sweep's own message).
 */
int ci_sweep_all(struct ci_sweep *sides, unsigned n,
		 const struct ci_profile *p, unsigned jobs, const char *work,
		 volatile sig_atomic_t *stop, unsigned *at_once, char *err,
		 size_t errlen);

#endif
