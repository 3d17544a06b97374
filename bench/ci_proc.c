/* Child processes of forkbench ci (ci_proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ci_proc.h"

/*
 * In the child: stdin from /dev/null, stdout to out_fd (-1: the log
 * too), stderr to the log; then exec. Never returns.
 */
static void child(char *const argv[], const char *dir, const char *log,
		  int out_fd)
{
	int null = open("/dev/null", O_RDWR);
	int err = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666) : null;
	if (null < 0 || err < 0)
		_exit(127);
	dup2(null, 0);
	dup2(out_fd >= 0 ? out_fd : err, 1);
	dup2(err, 2);
	if (dir && chdir(dir) < 0) {
		dprintf(2, "cannot enter %s: %s\n", dir, strerror(errno));
		_exit(127);
	}
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

pid_t proc_start(char *const argv[], const char *dir, const char *log)
{
	pid_t pid = fork();
	if (pid == 0)
		child(argv, dir, log, -1);
	return pid;
}

int proc_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int proc_run(char *const argv[], const char *dir, const char *log)
{
	pid_t pid = proc_start(argv, dir, log);
	return pid < 0 ? -1 : proc_wait(pid);
}

/* All of fd until it closes (malloc'd, NUL-terminated; NULL: no memory). */
static char *slurp(int fd)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	for (;;) {
		if (buf && n + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
			} else {
				buf = bigger;
				cap *= 2;
			}
		}
		char sink[4096];
		ssize_t r = buf ? read(fd, buf + n, cap - 1 - n)
				: read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += buf ? (size_t)r : 0; /* without memory: drain, so it ends */
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	return buf;
}

int proc_capture(char *const argv[], const char *dir, const char *log,
		 char **out)
{
	int p[2];
	*out = NULL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0)
		child(argv, dir, log, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*out = slurp(p[0]);
	return proc_wait(pid);
}

int proc_line(char *const argv[], const char *dir, char *line, size_t len)
{
	char *out;
	int code = proc_capture(argv, dir, NULL, &out);
	size_t n = out ? strcspn(out, "\n") : 0;
	int ok = code == 0 && out && n > 0 && n < len;
	if (ok)
		snprintf(line, len, "%.*s", (int)n, out);
	free(out);
	return ok ? 0 : -1;
}

/*
 * How surely a line says why a command failed: 2 a compiler's or git's
 * own message ("x.c:3:1: error: ...", "fatal: ..."), 1 make's summary
 * ("make: *** [...] Error 1"), 0 anything else (a compile command line
 * with -Werror in it too).
 */
static int error_rank(const char *line)
{
	if (strstr(line, "error: ") || strncmp(line, "fatal: ", 7) == 0 ||
	    strncmp(line, "cannot ", 7) == 0)
		return 2;
	return strstr(line, "*** ") != NULL;
}

void proc_log_reason(const char *log, char *buf, size_t len)
{
	char line[1024];
	int best = -1;
	FILE *f = fopen(log, "r");
	buf[0] = '\0';
	if (!f)
		return;
	while (best < 2 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		int rank = error_rank(line);
		/* the first line of the best rank; of rank 0, the last one */
		if (!line[0] || rank < best || (rank == best && rank > 0))
			continue;
		snprintf(buf, len, "%s", line);
		best = rank;
	}
	fclose(f);
}
