/*
 * forkbench host: the note column of a sample's rows, and when a sample
 * counts as disturbed. A note is the parts that apply, in this order,
 * joined by ';':
 *
 *   warmup                     the warm-up sample (rep 0, resultset.h)
 *   REASON                     why the value is NA (e.g. parent_ran_first)
 *   batch:K                    exit_wait, exec_wait: loops per sample
 *   disturbed:nivcsw:N         N involuntary context switches of the
 *                              measuring process during the sample
 *   disturbed:load:L           the 1-minute load average L was above
 *                              host_load_threshold when the
 *                              configuration started
 *
 * A disturbed sample keeps its value; compare or plot may leave it out.
 * No '=' anywhere: the Linux peer sends these notes in record lines,
 * where '=' separates keys from values (include/fb_abi.h).
 */
#ifndef FB_HOST_NOTE_H
#define FB_HOST_NOTE_H

#include <stddef.h>

#include "host_opts.h"

#define HOST_NOTE_DISTURBED "disturbed:"

struct host_note {
	int warmup;
	const char *reason; /* NA reason; NULL or "" when there is a value */
	unsigned batch;     /* loops per sample; 0: not a batched scenario */
	long nivcsw;        /* switches beyond the expected ones; <= 0: none */
	int loaded;         /* the load average disturbed the sample */
	double load;        /* that load average */
};

/* The note of n into buf (cut at len, always terminated). */
void host_note_format(char *buf, size_t len, const struct host_note *n);

/*
 * The load average above which a configuration counts as disturbed: the
 * run itself is one runnable process (about 1 of the load); beyond that,
 * other work of more than half a CPU per online CPU, where the pinned CPU
 * is likely to be shared. 2.0 on 2 CPUs, 5.0 on 8.
 */
double host_load_threshold(long cpus_online);

/* Whether a load average (negative: unknown) is above the threshold. */
int host_load_disturbs(double load, long cpus_online);

/*
 * Involuntary switches a sample of variant v sees with nobody else on
 * its CPU: on one CPU a child can run before the creation call returns
 * only by preempting the parent, unless the call itself puts the parent
 * to sleep (vfork, CLONE_VFORK, posix_spawn). Children's own switches
 * are never counted: a child that wakes its parent on exit is preempted
 * by it (measured: nearly every vfork and every exec'ing child).
 */
long host_nivcsw_expected(enum host_variant v, int child_ran_first);

#endif
