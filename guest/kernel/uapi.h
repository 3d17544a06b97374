/*
 * The process API guest programs call. Each sys_* enters the kernel like
 * a system call (sysentry.S); errors come back as negative errno values.
 * Programs keep their state in locals (their stack) and their heap: C
 * globals live in the kernel half, which every process shares.
 */
#ifndef GUEST_UAPI_H
#define GUEST_UAPI_H

#include <stdint.h>

/* clone flags, as in Linux */
#define CLONE_VM 0x00000100ull
#define CLONE_FS 0x00000200ull
#define CLONE_FILES 0x00000400ull
#define CLONE_SIGHAND 0x00000800ull
#define CLONE_VFORK 0x00004000ull
#define SIGCHLD 17ull
/* forkbench: copy the address space eagerly (naive fork) instead of COW */
#define CLONE_FB_EAGER (1ull << 32)
/* forkbench: on-demand fork, PTE tables shared until written (odf.c) */
#define CLONE_FB_ODF (1ull << 33)
/* forkbench: a write to a shared 2 MiB page copies it whole, not split */
#define CLONE_FB_HUGE_COPY (1ull << 34)

long sys_fork(void);      /* the default variant: fork_default, fork.h */
long sys_fork_copy(void); /* naive full copy: xv6's uvmcopy */
long sys_fork_cow(void);  /* copy-on-write: copy_page_range */
long sys_fork_odf(void);  /* on-demand fork: PTE tables shared */
long sys_vfork(void);
/*
 * glibc-style clone: the child runs fn(arg) on child_stack and exits with
 * its result. With fn and child_stack both NULL it behaves like the raw
 * system call instead: the child returns 0 from this call, on a copy (or
 * without CLONE_VM, in a copy) of the caller's stack.
 */
long sys_clone(int (*fn)(long), void *child_stack, uint64_t flags, long arg);
/* Replace the address space with program name, started as fn(arg). */
long sys_exec(const char *name, long arg);
/*
 * posix_spawn: a child running program name as fn(arg) in a new address
 * space; nothing of the caller's is copied or shared. The child's pid.
 */
long sys_spawn(const char *name, long arg);
__attribute__((noreturn)) void sys_exit(int status);
long sys_wait(int *status);
long sys_waitpid(long pid, int *status); /* pid -1: any child */
long sys_getpid(void);
long sys_getppid(void);
long sys_yield(void);
/*
 * Grow the heap by pages; the old break. touch: SBRK_LAZY (pages come on
 * first touch), SBRK_TOUCH (allocated and zeroed now), SBRK_HUGE (the
 * same, with 2 MiB pages wherever a whole aligned 2 MiB fits).
 */
enum { SBRK_LAZY, SBRK_TOUCH, SBRK_HUGE };
long sys_sbrk(uint64_t pages, int touch);

#endif
