/*
 * The "proctest" command: init runs the in-guest tests (PROCTEST, in
 * test_*.c), each in its own process tree; init reaps whatever those
 * trees leave behind, orphans included.
 */
#include "tests/proctest.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/fork.h"
#include "kernel/frame.h"
#include "kernel/lib.h"
#include "kernel/proc.h"
#include "kernel/procinit.h"
#include "kernel/record.h"
#include "kernel/sched.h"
#include "kernel/uapi.h"

/* The PROCTEST entries (section .proctests), bounded by guest.ld. */
extern const struct proctest __proctests_start[], __proctests_end[];

struct snapshot {
	struct frame_counts frames;
	unsigned procs;
};

static void take_snapshot(struct snapshot *s)
{
	frame_counts(&s->frames);
	s->procs = proc_count();
}

/* Everything a test took must be back: the "no leaks" rule. */
static int leaks(const struct snapshot *before, char *why, size_t len)
{
	struct snapshot after;
	take_snapshot(&after);
	if (after.frames.free != before->frames.free ||
	    after.frames.used[FRAME_PT] != before->frames.used[FRAME_PT]) {
		snprintf(why, len, "frames free %lu->%lu, pt pages %lu->%lu",
			 before->frames.free, after.frames.free,
			 before->frames.used[FRAME_PT],
			 after.frames.used[FRAME_PT]);
		return 1;
	}
	if (after.procs != before->procs || proc_zombies()) {
		snprintf(why, len, "processes %u->%u, zombies %u", before->procs,
			 after.procs, proc_zombies());
		return 1;
	}
	return 0;
}

static void reap_all(void)
{
	while (sys_wait(0) > 0)
		;
}

/* Run one test in a child; 1 if it passed. */
static int run_one(const struct proctest *t)
{
	struct snapshot before;
	char why[128] = "";
	int status = -1;
	take_snapshot(&before);
	long pid = sys_fork_cow();
	if (pid == 0)
		sys_exit(t->run());
	if (pid < 0)
		snprintf(why, sizeof(why), "fork failed: %ld", pid);
	else if (sys_waitpid(pid, &status) != pid || status != 0)
		snprintf(why, sizeof(why), "test exited with status %d", status);
	reap_all();
	sched_child_first = 0;
	fork_default = FORK_COW;
	fork_share_text = 1;
	frame_set_cap(0);
	if (!why[0])
		leaks(&before, why, sizeof(why));
	rec_test(t->name, !why[0], why[0] ? why : 0);
	kprintf("proctest: %s %s%s%s\n", why[0] ? "FAIL" : "ok  ", t->name,
		why[0] ? ": " : "", why);
	return !why[0];
}

static int selected(const struct proctest *t, int argc, char **argv)
{
	if (argc <= 1)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], t->name) == 0)
			return 1;
	return 0;
}

static const char *unknown_test(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const struct proctest *t = __proctests_start;
		while (t < __proctests_end && strcmp(t->name, argv[i]) != 0)
			t++;
		if (t == __proctests_end)
			return argv[i];
	}
	return 0;
}

static int proctest_init(long unused)
{
	(void)unused;
	unsigned passed = 0, failed = 0;
	for (const struct proctest *t = __proctests_start; t < __proctests_end;
	     t++) {
		if (!selected(t, boot.argc, boot.argv))
			continue;
		if (run_one(t))
			passed++;
		else
			failed++;
	}
	kprintf("proctest: %u passed, %u failed\n", passed, failed);
	return failed || passed == 0 ? FB_STATUS_FAIL : FB_STATUS_PASS;
}

unsigned cmd_proctest(int argc, char **argv)
{
	const char *bad = unknown_test(argc, argv);
	if (bad)
		badcmd("proctest: no test named '%s'", bad);
	proc_boot(proctest_init, 0);
	return FB_STATUS_FAIL; /* not reached: init's exit ends the run */
}
