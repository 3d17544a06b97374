/* exec: replace the caller's address space with a built-in program. */
#ifndef GUEST_EXEC_H
#define GUEST_EXEC_H

/* Start program name as fn(arg) in a fresh address space; 0 or -errno. */
long do_exec(const char *name, long arg);

#endif
