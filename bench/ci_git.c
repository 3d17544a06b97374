/* forkbench ci's questions to git (ci_git.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci_fs.h"
#include "ci_git.h"
#include "ci_proc.h"

/*
 * --no-optional-locks: status would otherwise refresh the index under
 * .git/index.lock and race with whoever commits in the tree meanwhile.
 */
#define GIT "git", "--no-optional-locks"

int git_toplevel(char *top, size_t len, char *err, size_t errlen)
{
	char *argv[] = { GIT, "rev-parse", "--show-toplevel", NULL };
	if (proc_line(argv, NULL, top, len) == 0)
		return 0;
	snprintf(err, errlen, "not inside a git checkout (forkbench ci "
		 "measures the working tree of the checkout it runs in)");
	return -1;
}

/* rev^{KIND} as a full object name; -1 if rev names no such object. */
static int peel(const char *top, const char *rev, const char *kind,
		char *hash)
{
	char spec[1100];
	snprintf(spec, sizeof(spec), "%s^{%s}", rev, kind);
	char *argv[] = { GIT, "-C", (char *)top, "rev-parse", "--verify",
			 "--quiet", "--end-of-options", spec, NULL };
	return proc_line(argv, NULL, hash, GIT_HASH_MAX);
}

int git_resolve(const char *top, const char *rev, char *commit, char *tree,
		char *err, size_t errlen)
{
	/* a rev that looks like an option is not one; 1000: room in peel */
	if (rev[0] && rev[0] != '-' && strlen(rev) < 1000 &&
	    peel(top, rev, "commit", commit) == 0 &&
	    peel(top, commit, "tree", tree) == 0)
		return 0;
	char shallow[16] = "";
	char *argv[] = { GIT, "-C", (char *)top, "rev-parse",
			 "--is-shallow-repository", NULL };
	proc_line(argv, NULL, shallow, sizeof(shallow));
	snprintf(err, errlen, "--base '%.200s': not a commit in %s%s", rev, top,
		 strcmp(shallow, "true") == 0
			 ? " (a shallow clone: fetch the history, e.g. git "
			   "fetch --unshallow)"
			 : "");
	return -1;
}

/* Paths of `git status --porcelain` output: "XY path" per line. */
static int count_paths(const char *out, char *names, size_t len)
{
	int n = 0;
	size_t used = 0;
	names[0] = '\0';
	for (const char *p = out; *p; n++) {
		size_t line = strcspn(p, "\n");
		if (n < 3 && line > 3 && used < len)
			used += (size_t)snprintf(names + used, len - used,
						 "%s%.*s", n ? ", " : "",
						 (int)(line - 3), p + 3);
		p += line + (p[line] == '\n');
	}
	if (n > 3 && used < len)
		snprintf(names + used, len - used, ", ...");
	return n;
}

int git_changes(const char *top, char *names, size_t len, char *err,
		size_t errlen)
{
	char *argv[] = { GIT, "-C", (char *)top, "status", "--porcelain",
			 NULL };
	char *out;
	int code = proc_capture(argv, NULL, NULL, &out);
	int n = code == 0 && out ? count_paths(out, names, len) : -1;
	free(out);
	if (n < 0)
		snprintf(err, errlen, "git status failed in %s (exit %d)", top,
			 code);
	return n;
}

int git_worktree_add(const char *top, const char *path, const char *commit,
		     const char *log, char *err, size_t errlen)
{
	char *argv[] = { GIT, "-C", (char *)top, "worktree", "add", "--quiet",
			 "--detach", (char *)path, (char *)commit, NULL };
	int code = proc_run(argv, NULL, log);
	if (code == 0)
		return 0;
	char why[512];
	proc_log_reason(log, why, sizeof(why));
	snprintf(err, errlen, "git worktree add failed (exit %d): %s", code,
		 why[0] ? why : "no message");
	return -1;
}

void git_worktree_remove(const char *top, const char *path)
{
	/* --force: the build inside is untracked by design */
	char *rm[] = { GIT, "-C", (char *)top, "worktree", "remove", "--force",
		       (char *)path, NULL };
	char *prune[] = { GIT, "-C", (char *)top, "worktree", "prune", NULL };
	if (proc_run(rm, NULL, NULL) == 0)
		return;
	rmtree(path); /* then git forgets a worktree whose directory is gone */
	proc_run(prune, NULL, NULL);
}
