/*
 * In-guest tests of the process model. Each test body runs in its own
 * process (forked from init) and returns 0 on success; the harness then
 * checks that frames, page-table pages and process slots are all back
 * and no zombie is left.
 */
#ifndef GUEST_PROCTEST_H
#define GUEST_PROCTEST_H

#include "kernel/console.h"

struct proctest {
	const char *name;
	int (*run)(void);
};

/*
 * The "proctest" command: init runs every test, or those named in
 * argv[1..] (an unknown name is a bad command); init's exit ends the run.
 */
unsigned cmd_proctest(int argc, char **argv);

#define PROCTEST(tname)                                                    \
	static int tname(void);                                            \
	static const struct proctest proctest_##tname                      \
		__attribute__((used, section(".proctests"), aligned(8))) = { \
			.name = #tname, .run = tname };                    \
	static int tname(void)

/* Fail the current test with a message (returns 1 for `return CHECK...`). */
#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			kprintf("  check failed (%s:%d): ", __FILE__,      \
				__LINE__);                                 \
			kprintf(__VA_ARGS__);                              \
			kprintf("\n");                                     \
			return 1;                                          \
		}                                                          \
	} while (0)

#endif
