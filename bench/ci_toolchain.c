/*
 * The toolchain behind a side's numbers (ci_set.h): the guest's
 * instruction counts are the compiler's code, run by QEMU's emulated CPU.
 */
#include <stdio.h>
#include <string.h>

#include "ci_proc.h"
#include "ci_profile.h"
#include "ci_set.h"

int ci_toolchain_read(struct ci_toolchain *t, char *err, size_t errlen)
{
	/* the compiler make uses: $CC when set (it overrides make's cc) */
	char *cc[] = { "sh", "-c", "exec ${CC:-cc} --version", NULL };
	char *qemu[] = { "qemu-system-x86_64", "--version", NULL };
	if (proc_line(cc, NULL, t->compiler, sizeof(t->compiler)) < 0) {
		snprintf(err, errlen, "cannot run the C compiler (${CC:-cc} "
			 "--version failed)");
		return -1;
	}
	if (proc_line(qemu, NULL, t->qemu, sizeof(t->qemu)) < 0) {
		snprintf(err, errlen, "cannot run qemu-system-x86_64 --version: "
			 "the CI profile runs on " CI_BACKEND " (scripts/deps.sh "
			 "installs QEMU)");
		return -1;
	}
	return 0;
}
