/* make for forkbench ci (ci_build.h). */
#include <stdio.h>
#include <stdlib.h>

#include "ci_build.h"
#include "ci_proc.h"

int ci_build(const char *src, const char *build, unsigned jobs,
	     const char *log, char *err, size_t errlen)
{
	char j[16], var[4200], fbvmm[4200], guest[4200];
	snprintf(j, sizeof(j), "-j%u", jobs);
	snprintf(var, sizeof(var), "BUILD=%s", build);
	snprintf(fbvmm, sizeof(fbvmm), "%s/fbvmm", build);
	snprintf(guest, sizeof(guest), "%s/guest.elf", build);
	char *argv[] = { "make", j, var, fbvmm, guest, NULL };
	int code = proc_run(argv, src, log);
	if (code == 0)
		return 0;
	char why[1024];
	proc_log_reason(log, why, sizeof(why));
	snprintf(err, errlen, "make exited %d: %s (log: %s)", code,
		 why[0] ? why : "no output", log);
	return -1;
}

void ci_build_clean_env(void)
{
	static const char *const vars[] = { "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
					    "MAKEOVERRIDES", "BUILD",
					    "SANITIZE" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
}
