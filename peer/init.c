/*
 * The Linux peer's /init: forkbench's scenarios run by a real Linux
 * kernel booted by the same backend as our guest. It mounts what the
 * scenarios read (/proc), says hello, runs the command its arguments
 * name (the words after "--" on the kernel command line), and ends
 * through the exit port with the guest's status codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "bench.h"
#include "end.h"
#include "kernel/console.h"
#include "fb_vocab.h"
#include "kernel/record.h"

/* The guest TSC's rate, which fbvmm passes as /init's first word. */
static uint64_t tsc_khz;

static void take_tsc_khz(int *argc, char ***argv)
{
	if (*argc < 2 || strncmp((*argv)[1], "tsc_khz=", 8) != 0)
		return;
	tsc_khz = strtoull((*argv)[1] + 8, NULL, 10);
	(*argv)[1] = (*argv)[0];
	(*argc)--;
	(*argv)++;
}

static void say_hello(void)
{
	struct utsname u;
	struct rec r;
	rec_begin(&r, "hello");
	rec_u64(&r, "abi", FB_ABI_VERSION);
	rec_u64(&r, "tsc_khz", tsc_khz);
	rec_u64(&r, "mem_kib", 0);
	rec_str(&r, "os", "linux");
	if (uname(&u) == 0)
		rec_str(&r, "kernel", u.release);
	rec_end(&r);
}

static void mount_proc(void)
{
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		peer_exit(FB_STATUS_FAIL, "cannot mount /proc");
}

int main(int argc, char **argv)
{
	console_init();
	take_tsc_khz(&argc, &argv);
	mount_proc();
	say_hello();
	if (argc < 2)
		peer_exit(FB_STATUS_BADCMD, "no command (words after -- on the "
					    "kernel command line)");
	if (strcmp(argv[1], "hello") == 0)
		peer_exit(FB_STATUS_PASS, NULL);
	if (strcmp(argv[1], "bench") == 0)
		peer_bench(argc - 1, argv + 1, tsc_khz);
	char what[FB_REC_VALUE_MAX + 1];
	snprintf(what, sizeof(what), "unknown command %s", argv[1]);
	peer_exit(FB_STATUS_BADCMD, what);
}
