/*
 * What forkbench ci asks git: the checkout it runs in, the commit and
 * tree a revision names, whether the working tree has changes, and a
 * temporary worktree to build a base revision in.
 */
#ifndef FB_CI_GIT_H
#define FB_CI_GIT_H

#include <stddef.h>

#define GIT_HASH_MAX 65 /* 40 hex digits (SHA-1), 64 (SHA-256), NUL */

/* The top of the checkout the current directory is in. -1 with err. */
int git_toplevel(char *top, size_t len, char *err, size_t errlen);

/*
 * The commit and tree rev names in the repository at top. -1 with err
 * naming rev when it is not a commit there.
 */
int git_resolve(const char *top, const char *rev, char *commit, char *tree,
		char *err, size_t errlen);

/*
 * How many paths `git status` lists in top (changed, staged, untracked:
 * any of them can change what gets built), the first few named in
 * names; -1 with err when git cannot tell.
 */
int git_changes(const char *top, char *names, size_t len, char *err,
		size_t errlen);

/*
 * Check commit out, detached, in a new worktree at path (git's own
 * messages into log). -1 with err.
 */
int git_worktree_add(const char *top, const char *path, const char *commit,
		     const char *log, char *err, size_t errlen);

/* Remove that worktree again, its build included, and git's entry for it. */
void git_worktree_remove(const char *top, const char *path);

#endif
