/*
 * Running fbvmm for the sweep and judging how it ended, from its exit code
 * and its --stats stderr (the configuration's log).
 */
#ifndef FB_FBVMM_RUN_H
#define FB_FBVMM_RUN_H

#include <stddef.h>
#include <sys/types.h>

#include "sweep.h"

/*
 * Run argv (fbvmm ...), collect its stderr into *out (malloc'd, NUL
 * terminated; NULL when it could not be kept), judge the outcome into
 * res: ok, exit code, reason, guest and first-record times, write fault.
 */
void fbvmm_run(char *const argv[], struct config_result *res, char **out,
	       size_t *len);

/*
 * Keep fbvmm's stderr as a configuration's log. A log that cannot be
 * written is a write fault too, unless fbvmm already reported one.
 */
void fbvmm_save_log(const char *log, const char *out, size_t len,
		    struct config_result *res);

/* fork+exec argv with its fd out_fd (1 or 2) into a pipe (*fd); pid or -1. */
pid_t fbvmm_spawn(char *const argv[], int out_fd, int *fd);
/* All fd says until it closes (malloc'd, NUL-terminated; NULL: no memory). */
char *fbvmm_slurp(int fd, size_t *len);
/* The exit status of pid, or -1. */
int fbvmm_wait(pid_t pid);

#endif
