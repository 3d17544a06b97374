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

/*
 * Linux turns THP off by itself below 512 MiB of RAM (mm/huge_memory.c,
 * hugepage_init), which most configurations' guest RAM is: set it to
 * what a host usually has, madvise, so that linux_fork_thp's
 * MADV_HUGEPAGE parent gets huge pages and the 4K variants
 * (MADV_NOHUGEPAGE) are untouched. The setting goes into the hello record.
 */
static const char *thp_madvise(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "w");
	if (!f)
		return "unavailable";
	int ok = fputs("madvise", f) >= 0;
	ok &= fclose(f) == 0;
	return ok ? "madvise" : "unchanged";
}

static void say_hello(const char *thp)
{
	struct utsname u;
	struct rec r;
	rec_begin(&r, "hello");
	rec_u64(&r, "abi", FB_ABI_VERSION);
	rec_u64(&r, "tsc_khz", tsc_khz);
	rec_u64(&r, "mem_kib", 0);
	rec_str(&r, "os", "linux");
	rec_str(&r, "thp", thp);
	if (uname(&u) == 0)
		rec_str(&r, "kernel", u.release);
	rec_end(&r);
}

/* /proc for the scenarios' counters, /sys for THP's setting. */
static void mount_fs(const char *dir, const char *type)
{
	char what[64];
	mkdir(dir, 0555);
	if (mount(type, dir, type, 0, NULL) == 0)
		return;
	snprintf(what, sizeof(what), "cannot mount %s", dir);
	peer_exit(FB_STATUS_FAIL, what);
}

int main(int argc, char **argv)
{
	console_init();
	take_tsc_khz(&argc, &argv);
	mount_fs("/proc", "proc");
	mount_fs("/sys", "sysfs");
	say_hello(thp_madvise());
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
