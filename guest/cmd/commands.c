/* The command table and its dispatcher. */
#include "cmd/commands.h"
#include "cmd/bench.h"
#include "cmd/faults.h"
#include "cmd/forksize.h"
#include "cmd/selftest.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/lib.h"
#include "tests/proctest.h"

struct command {
	const char *name;
	unsigned (*run)(int argc, char **argv);
	const char *usage;
};

static unsigned cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "selftest", cmd_selftest, "selftest: check the kernel's own basics" },
	{ "fault", cmd_fault,
	  "fault triple|pf|ud|hang|port|halt|badrecord|fail: misbehave on purpose" },
	{ "proctest", cmd_proctest,
	  "proctest [NAME...]: the process-model tests (all by default)" },
	{ "forksize", cmd_forksize,
	  "forksize SIZE VARIANT: fork a parent of SIZE (forksize alone "
	  "lists the variants)" },
	{ "bench", cmd_bench,
	  "bench scenario=S variant=V size=N reps=R [policy=child|parent] "
	  "[writes=K writer=child|parent phases=0|1 hot_kb=N pcid=off|on "
	  "sim=off|on stlb=N]: measure" },
	{ "help", cmd_help, "help: list the commands" },
};

static unsigned cmd_help(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		badcmd("help: takes no arguments");
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		kprintf("  %s\n", commands[i].usage);
	return FB_STATUS_PASS;
}

unsigned command_run(void)
{
	if (boot.argc == 0)
		badcmd("cmdline: no command given (try 'help')");
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(boot.argv[0], commands[i].name) == 0)
			return commands[i].run(boot.argc, boot.argv);
	badcmd("cmdline: unknown command '%s' (try 'help')", boot.argv[0]);
}
