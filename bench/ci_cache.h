/*
 * forkbench ci's cache of base results: a base revision's numbers depend
 * only on the tree that was built, the compiler, QEMU and the profile,
 * so a second check against the same base measures only the working
 * tree. One directory per key, ROOT/TREE-KEY (ci_set.h's three files),
 * the key a hash of the rest; put in place whole by a rename.
 */
#ifndef FB_CI_CACHE_H
#define FB_CI_CACHE_H

#include <stddef.h>

#include "ci_set.h"

/*
 * Bumped when forkbench ci drives the guest differently (other sweep
 * options, another metrics.csv shape), so older entries stop matching.
 */
#define CI_CACHE_VERSION 1

/*
 * The cache's root: dir when given, else $XDG_CACHE_HOME/forkbench/ci,
 * else $HOME/.cache/forkbench/ci. -1 with err when none is known.
 */
int ci_cache_root(const char *dir, char *root, size_t len, char *err,
		  size_t errlen);

/* The entry for a base measured as info says: ROOT/TREE-KEY. */
void ci_cache_entry(const char *root, const struct ci_info *info, char *path,
		    size_t len);

/* Does the entry hold a whole result? */
int ci_cache_has(const char *entry);

/*
 * Store the result set sweep as entry: written beside it, renamed into
 * place (another check that stored it first wins). -1 with err.
 */
int ci_cache_store(const char *root, const char *entry, const char *sweep,
		   const struct ci_info *info, char *err, size_t errlen);

#endif
