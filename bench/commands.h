/* The subcommands of forkbench: each gets argv from its own name on. */
#ifndef FB_BENCH_COMMANDS_H
#define FB_BENCH_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_ci(int argc, char **argv);
int cmd_ratios(int argc, char **argv);

#endif
