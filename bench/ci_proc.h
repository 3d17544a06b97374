/*
 * The child processes of forkbench ci: git, make, and forkbench itself
 * (its run, merge and compare). Every child reads /dev/null; what it
 * says goes to a log file or back to the caller, never to our terminal,
 * so parallel sweeps do not interleave their progress lines.
 */
#ifndef FB_CI_PROC_H
#define FB_CI_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* This program, for running its own subcommands as children. */
#define PROC_SELF "/proc/self/exe"

/*
 * Start argv (argv[0] looked up in PATH) in directory dir (NULL: ours),
 * stdout and stderr into the file log (truncated; NULL: /dev/null).
 * The pid, or -1 with errno.
 */
pid_t proc_start(char *const argv[], const char *dir, const char *log);

/* How pid ended: its exit status, 128 + the signal, or -1. */
int proc_wait(pid_t pid);

/* proc_start, then proc_wait: the exit code, or -1 when it did not start. */
int proc_run(char *const argv[], const char *dir, const char *log);

/*
 * Run argv in dir; *out gets all it wrote on stdout (malloc'd,
 * NUL-terminated; NULL when it did not start or memory ran out), stderr
 * goes to the file log (NULL: /dev/null). The exit code, or -1.
 */
int proc_capture(char *const argv[], const char *dir, const char *log,
		 char **out);

/*
 * proc_capture for a one-line answer (git rev-parse): the first line
 * into line, 0 when the command exited 0 and said a whole line that fits.
 */
int proc_line(char *const argv[], const char *dir, char *line, size_t len);

/*
 * Why a logged command failed, in one line: the log's first message of
 * the compiler or git ("error: ", "fatal: "), else make's first "*** "
 * line, else its last non-empty line, else "" (a missing or empty log).
 */
void proc_log_reason(const char *log, char *buf, size_t len);

#endif
