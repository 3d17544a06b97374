/*
 * Building a side for forkbench ci: only the two programs its sweep
 * runs, fbvmm and guest.elf. forkbench itself drives both sweeps (and
 * compares them), so both sides are swept and written by the same code
 * and only the monitor and the guest kernel come from each revision.
 */
#ifndef FB_CI_BUILD_H
#define FB_CI_BUILD_H

#include <stddef.h>

/*
 * make -jJOBS BUILD=build build/fbvmm build/guest.elf in the tree at src
 * (build relative to it), make's output into log. -1 with err: make's
 * exit code and the first line of its log that says why.
 */
int ci_build(const char *src, const char *build, unsigned jobs,
	     const char *log, char *err, size_t errlen);

/*
 * The variables a make above us leaves in the environment (MAKEFLAGS
 * carries its command line's BUILD= and SANITIZE=, and its jobserver)
 * would reach our make and build something else than asked: cleared.
 */
void ci_build_clean_env(void);

#endif
