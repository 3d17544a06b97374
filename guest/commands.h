/* Guest commands: what the command line can ask the kernel to run. */
#ifndef GUEST_COMMANDS_H
#define GUEST_COMMANDS_H

/* Each returns an FB_STATUS_* value. argv[0] is the command name. */
unsigned cmd_selftest(int argc, char **argv);
unsigned cmd_fault(int argc, char **argv);
unsigned cmd_proctest(int argc, char **argv);
unsigned cmd_forksize(int argc, char **argv);
unsigned cmd_bench(int argc, char **argv);

#endif
