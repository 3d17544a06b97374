/*
 * The creation call of the configured variant and its child, shared by
 * the scenarios (scenarios.c) and the TLB and cache probes (probes.c).
 */
#ifndef GUEST_CREATE_H
#define GUEST_CREATE_H

/*
 * Start the child, which runs the scenario's child action (exit, or exec
 * then exit; spawn's child is a program that exits, or in exec_wait the
 * exec target). Returns its pid, or a negative errno.
 */
long start_child(void);
/* 0 when pid is a child, else the FB_STATUS_* the failure ends the run with. */
int created(long pid);
/* Wait for pid; 0 if it exited with 0, else FB_STATUS_FAIL. */
int reap(long pid);
/* The counters of the last creation call, and its phases if timed. */
void report_creation(unsigned rep);

#endif
