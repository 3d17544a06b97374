/* Bringing up the process model and pid 1. */
#ifndef GUEST_PROCINIT_H
#define GUEST_PROCINIT_H

/*
 * Frames, page faults and pid 1 running fn(arg); never returns: init's
 * exit status ends the run.
 */
void proc_boot(int (*fn)(long), long arg);

#endif
