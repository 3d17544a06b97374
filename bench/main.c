/*
 * forkbench: the host-side tool. Subcommands:
 *   run      a sweep of guest configurations into a result set
 *   host     the same scenarios on this host's Linux, same schema
 *   plot     gnuplot figures from result sets
 *   compare  a regression report between two result sets
 *   merge    the shards of a sweep joined
 *   ci       a performance check of the working tree (build, sweep, compare)
 *   ratios   the benchmark's ratios from a result set, against their goals
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static void usage(FILE *f, const struct subcommand *cmds, size_t n)
{
	fprintf(f, "usage: forkbench COMMAND [options]   (COMMAND --help for more)\n\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nExit codes: 0 ok, 1 failure (or a regression, for compare and ci),\n"
		   "2 bad arguments or input.\n");
}

int main(int argc, char **argv)
{
	const struct subcommand cmds[] = {
		{ "run", cmd_run, "sweep variants x scenarios x sizes in the guest" },
		{ "host", cmd_host, "the same scenarios on this host's Linux" },
		{ "plot", cmd_plot, "render the figures (PNG and SVG) with gnuplot" },
		{ "compare", cmd_compare, "regression report between two result sets" },
		{ "merge", cmd_merge, "join the shards of a sweep (run --shard K/N)" },
		{ "ci", cmd_ci, "performance check of the working tree against a base" },
		{ "ratios", cmd_ratios, "the benchmark's ratios against their goals" },
	};
	const size_t n = sizeof(cmds) / sizeof(*cmds);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout, cmds, n);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		return cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "forkbench: unknown command '%s' (see forkbench --help)\n",
		argv[1]);
	return 2;
}
