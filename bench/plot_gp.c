/* Running gnuplot scripts with variables set on the command line. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "plot_gp.h"

extern char **environ;

int plot_str_append(struct plot_str *b, const char *text)
{
	size_t len = strlen(text);
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, text, len + 1);
	b->n += len;
	return 0;
}

void plot_str_free(struct plot_str *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

int plot_gp_string(struct plot_str *b, const char *name, const char *value)
{
	char one[2] = { 0, 0 };
	if (plot_str_append(b, name) || plot_str_append(b, "='"))
		return -1;
	/* In a gnuplot single-quoted string only ' is special: '' is one. */
	for (const char *p = value; *p; p++) {
		one[0] = *p;
		if (plot_str_append(b, *p == '\'' ? "''" : one))
			return -1;
	}
	return plot_str_append(b, "'; ");
}

int plot_gp_number(struct plot_str *b, const char *name, double value)
{
	char text[64];
	snprintf(text, sizeof(text), "=%.17g; ", value);
	return plot_str_append(b, name) || plot_str_append(b, text) ? -1 : 0;
}

/* Start gnuplot; 0 with *pid, or the errno of the failed start. */
static int spawn(const char *script, const char *vars, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { "gnuplot", "-e", (char *)vars, (char *)script, NULL };
	int rc = posix_spawn_file_actions_init(&fa);
	if (rc)
		return rc;
	/* A script waiting on input would hang the run: give it none. */
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawnp(pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

enum plot_gp_rc plot_gp_run(const char *script, const char *vars, char *err,
			    size_t errlen)
{
	pid_t pid;
	int status, rc = spawn(script, vars, &pid);
	if (rc) {
		snprintf(err, errlen, "cannot run gnuplot for %s: %s%s", script,
			 strerror(rc),
			 rc == ENOENT ? " (install gnuplot, e.g. gnuplot-nox)" : "");
		return PLOT_GP_MISSING;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "gnuplot on %s: waitpid: %s", script,
				 strerror(errno));
			return PLOT_GP_FAILED;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return PLOT_GP_OK;
	if (WIFEXITED(status))
		snprintf(err, errlen, "gnuplot failed on %s (exit %d)", script,
			 WEXITSTATUS(status));
	else
		snprintf(err, errlen, "gnuplot failed on %s (signal %d)", script,
			 WTERMSIG(status));
	return PLOT_GP_FAILED;
}
