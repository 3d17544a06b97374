/*
 * One side of forkbench ci, measured: a directory holding the sweep's
 * metrics.csv without its warm-up rows (compare leaves them out anyway;
 * half the size), its meta.json, and ci.json: what was measured with
 * what. The cache entries and the committed baseline (results/baseline)
 * are such directories.
 */
#ifndef FB_CI_SET_H
#define FB_CI_SET_H

#include <stddef.h>

#include "ci_git.h"

#define CI_JSON "ci.json"
#define CI_SCHEMA "forkbench-ci-1"

/* What the numbers depend on besides the source: both make them differ. */
struct ci_toolchain {
	char compiler[256]; /* `$CC --version`'s first line (make's CC) */
	char qemu[256];     /* `qemu-system-x86_64 --version`'s first line */
};

/* This machine's. -1 with err when either cannot be run. */
int ci_toolchain_read(struct ci_toolchain *t, char *err, size_t errlen);

/* ci.json: what one side's numbers were made from. */
struct ci_info {
	char name[256];                 /* as given: origin/main, working tree */
	char revision[GIT_HASH_MAX + 8]; /* the commit; "-dirty" with changes */
	char tree[GIT_HASH_MAX];        /* the tree built; "" if uncommitted */
	struct ci_toolchain tc;
	char profile[1024];             /* ci_profile_text */
};

/*
 * Write dir's three files (dir must exist) from the result set sweep.
 * -1 with err.
 */
int ci_set_write(const char *dir, const char *sweep, const struct ci_info *i,
		 char *err, size_t errlen);

/* Read dir's ci.json. -1 with err naming the file and what is wrong. */
int ci_set_read(const char *dir, struct ci_info *i, char *err, size_t errlen);

#endif
