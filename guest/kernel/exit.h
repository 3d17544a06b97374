/* exit and wait: zombies until reaped, orphans to init. */
#ifndef GUEST_EXIT_H
#define GUEST_EXIT_H

struct proc;

/* End the current process with status; never returns. */
__attribute__((noreturn)) void do_exit(int status);
/* Collect a zombie child (pid, or any with -1); its pid or -ECHILD. */
long do_wait(long pid, int *status);
/* A vfork parent waits for exec or exit: either lets it go on. */
void vfork_release(struct proc *p);

#endif
