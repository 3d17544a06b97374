/*
 * The Linux peer's /init: forkbench's scenarios run by a real Linux
 * kernel booted by the same backend as our guest. It mounts what the
 * scenarios read (/proc), says hello, runs the command its arguments
 * name (the words after "--" on the kernel command line), and ends
 * through the exit port with the guest's status codes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "end.h"
#include "kernel/console.h"
#include "fb_vocab.h"
#include "kernel/record.h"

static void say_hello(void)
{
	struct utsname u;
	struct rec r;
	rec_begin(&r, "hello");
	rec_u64(&r, "abi", FB_ABI_VERSION);
	rec_u64(&r, "tsc_khz", 0); /* the kernel's own: the host knows better */
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
	mount_proc();
	say_hello();
	if (argc < 2)
		peer_exit(FB_STATUS_BADCMD, "no command (words after -- on the "
					    "kernel command line)");
	if (strcmp(argv[1], "hello") == 0)
		peer_exit(FB_STATUS_PASS, NULL);
	char what[FB_REC_VALUE_MAX + 1];
	snprintf(what, sizeof(what), "unknown command %s", argv[1]);
	peer_exit(FB_STATUS_BADCMD, what);
}
