/* Running fbvmm and judging how it ended (fbvmm_run.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_write.h"
#include "fb_exit.h"
#include "fbvmm_run.h"

/*
 * The next line of text at *p (without its newline) into line, moving *p
 * past it; 0 at the end.
 */
static int next_line(const char **p, char *line, size_t len)
{
	if (!**p)
		return 0;
	size_t n = strcspn(*p, "\n");
	snprintf(line, len, "%.*s", (int)(n < len ? n : len - 1), *p);
	*p += n + ((*p)[n] == '\n');
	return 1;
}

/*
 * A "fbvmm: " message (not a stats line) from fbvmm's stderr: the first
 * one starting with want, or with want NULL the last one. 1 if found.
 */
static int find_message(const char *out, const char *want, char *msg,
			size_t len)
{
	char line[1024];
	int found = 0;
	while (next_line(&out, line, sizeof(line))) {
		if (strncmp(line, "fbvmm: ", 7) != 0 ||
		    strncmp(line, "fbvmm: stats:", 13) == 0 ||
		    (want && strncmp(line + 7, want, strlen(want)) != 0))
			continue;
		snprintf(msg, len, "%.*s", (int)len - 1, line + 7);
		found = 1;
		if (want)
			break;
	}
	return found;
}

/*
 * A time from fbvmm --stats' line ("..., guest X ms, first record Y ms"):
 * what follows label, in seconds, or -1.
 */
static double stats_seconds(const char *out, const char *label)
{
	char line[1024];
	double ms = -1;
	while (next_line(&out, line, sizeof(line))) {
		const char *g = strstr(line, label);
		if (strncmp(line, "fbvmm: stats: setup", 19) == 0 && g)
			ms = strtod(g + strlen(label), NULL);
	}
	return ms < 0 ? -1 : ms / 1e3;
}

/*
 * fork+exec fbvmm with its output fd (1 or 2) into a pipe (*fd), not
 * straight into a log: when the log cannot be written (a full disk),
 * fbvmm's reason must still reach us. Its pid, or -1.
 */
pid_t fbvmm_spawn(char *const argv[], int out_fd, int *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(p[1], out_fd) < 0)
			_exit(127);
		dup2(null, 0);
		dup2(null, 3 - out_fd); /* the other of 1 and 2 */
		execv(argv[0], argv);
		dprintf(out_fd, "fbvmm: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

#define OUTPUT_MAX (1u << 20) /* fbvmm -q says a few lines; more is noise */

/* All fd says until it closes, NUL-terminated (malloc'd; NULL: no memory). */
char *fbvmm_slurp(int fd, size_t *len)
{
	char *buf = malloc(OUTPUT_MAX + 1);
	size_t n = 0;
	char sink[4096];
	for (;;) {
		int full = !buf || n == OUTPUT_MAX;
		ssize_t r = read(fd, full ? sink : buf + n,
				 full ? sizeof(sink) : OUTPUT_MAX - n);
		if (r < 0 && errno == EINTR)
			continue; /* SIGINT: fbvmm decides, we wait for it */
		if (r <= 0)
			break;
		n += full ? 0 : (size_t)r;
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* fbvmm's exit status, or -1. */
int fbvmm_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * How a configuration went, from fbvmm's exit code and stderr. Exit 7
 * with "cannot write" is the host failing to write results (fbvmm names
 * the file and the reason), not a result: the first such message is the
 * cause, and fbvmm's later lines (how the guest ended) are not.
 */
static void judge(struct config_result *res, int code, const char *out)
{
	res->exit_code = code;
	res->ok = code == FB_EXIT_OK;
	res->guest_s = stats_seconds(out, ", guest ");
	res->first_record_s = stats_seconds(out, ", first record ");
	res->reason[0] = '\0';
	res->write_fault = code == FB_EXIT_HOST_ERROR &&
			   find_message(out, "cannot write ", res->reason,
					sizeof(res->reason));
	if (!res->ok && !res->write_fault)
		find_message(out, NULL, res->reason, sizeof(res->reason));
	if (!res->ok && !res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "fbvmm exited %d", code);
}

/* Run fbvmm, collect its stderr, judge the outcome. */
void fbvmm_run(char *const argv[], struct config_result *res,
		      char **out, size_t *len)
{
	int fd;
	pid_t pid = fbvmm_spawn(argv, 2, &fd);
	*out = NULL;
	*len = 0;
	if (pid < 0) {
		res->ok = res->write_fault = 0;
		res->exit_code = -1;
		res->guest_s = res->first_record_s = -1;
		snprintf(res->reason, sizeof(res->reason), "cannot start %s: %s",
			 argv[0], strerror(errno));
		return;
	}
	*out = fbvmm_slurp(fd, len);
	judge(res, fbvmm_wait(pid), *out ? *out : "");
}

/*
 * Keep fbvmm's stderr as the configuration's log. A log that cannot be
 * written is a write fault too, unless fbvmm already reported one.
 */
void fbvmm_save_log(const char *log, const char *out, size_t len,
		     struct config_result *res)
{
	char err[sizeof(res->reason)];
	if (atomic_write(log, out ? out : "", out ? len : 0, err,
			     sizeof(err)) == 0 || res->write_fault)
		return;
	res->ok = 0;
	res->write_fault = 1;
	snprintf(res->reason, sizeof(res->reason), "%s", err);
}

