/* spawn: a new process running a built-in program (posix_spawn). */
#ifndef GUEST_SPAWN_H
#define GUEST_SPAWN_H

/*
 * Start program name as fn(arg) in a new child process with a new address
 * space. Returns the child's pid or a negative errno.
 */
long do_spawn(const char *name, long arg);

#endif
