/* Guest commands: what the command line can ask the kernel to run. */
#ifndef GUEST_COMMANDS_H
#define GUEST_COMMANDS_H

/*
 * Run the command in boot.argv; returns an FB_STATUS_* value. Each
 * command (cmd_NAME, declared in its own header) gets argc and argv with
 * argv[0] its name and returns an FB_STATUS_* value too.
 */
unsigned command_run(void);

#endif
