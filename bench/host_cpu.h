/*
 * forkbench host: the one CPU the measuring process runs on. Pinned, the
 * parent and every child it creates (they inherit the affinity) share a
 * CPU, so a child runs only when the parent waits or is preempted, the
 * TSCs compared are one CPU's, and no sample pays for waking another,
 * idle CPU.
 */
#ifndef FB_HOST_CPU_H
#define FB_HOST_CPU_H

#include <sched.h>
#include <stddef.h>

/* The CPUs this process may run on (sched_getaffinity); -1 with err. */
int host_cpus_allowed(cpu_set_t *allowed, char *err, size_t errlen);

/*
 * requested (-1: the last CPU of allowed, away from CPU 0 where the
 * system's housekeeping tends to run) into *cpu. -1 with
 * "--cpu N: not one of the CPUs this process may use (0-1)" in err.
 */
int host_cpu_pick(const cpu_set_t *allowed, int requested, int *cpu,
		  char *err, size_t errlen);

/* The set as a CPU list, "0-3,6" (cut at len, always terminated). */
void host_cpu_list_text(const cpu_set_t *set, char *buf, size_t len);

/* Pin this process (and so its children) to cpu; -1 with err. */
int host_cpu_pin(int cpu, char *err, size_t errlen);

#endif
