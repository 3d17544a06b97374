/*
 * The kernel halves of the process API: sysentry.S saves the caller's
 * state, switches to the kernel stack and calls k_NAME for sys_NAME
 * (uapi.h) with the arguments untouched.
 */
#ifndef GUEST_SYSCALL_H
#define GUEST_SYSCALL_H

#include <stdint.h>

long k_fork(void);
long k_fork_copy(void);
long k_fork_cow(void);
long k_fork_odf(void);
long k_vfork(void);
long k_clone(int (*fn)(long), void *child_stack, uint64_t flags, long arg);
long k_exec(const char *name, long arg);
long k_spawn(const char *name, long arg);
void k_exit(int status);
long k_wait(int *status);
long k_waitpid(long pid, int *status);
long k_getpid(void);
long k_getppid(void);
long k_yield(void);
long k_sbrk(uint64_t pages, int touch);

#endif
