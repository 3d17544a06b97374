/*
 * forkbench host: batches, as lmbench's lat_proc does. A lifecycle
 * sample (exit_wait, exec_wait) times K create+exit+wait loops and
 * reports the time per loop, so that a call of tens of microseconds is
 * not measured against the granularity of the scheduler and the timer
 * tick alone. K is sized once per configuration, in its warm-up: doubled
 * from 1 until a batch lasts at least HOST_BATCH_MIN_MS (K stays 1 where
 * one call already does, the big parents), at most HOST_BATCH_MAX.
 */
#ifndef FB_HOST_BATCH_H
#define FB_HOST_BATCH_H

#include <stdint.h>

#define HOST_BATCH_MIN_MS 1u
#define HOST_BATCH_MAX 1024u
/*
 * Trials sizing may take again because something else ran meanwhile: a
 * batch stretched by a preemption would pass for one that lasts the
 * minimum and keep K too small for the whole configuration.
 */
#define HOST_BATCH_RETRIES 3u

/*
 * Times one batch of k loops: 0 with its cycles; 1 with cycles that
 * something else disturbed (the sizing tries k again, at most
 * HOST_BATCH_RETRIES times in all, then takes them as they are); -1 for
 * a failed call.
 */
typedef int (*host_batch_timer)(void *ctx, unsigned k, uint64_t *cycles);

/*
 * The batch size to try after k loops took cycles: 0 when k is the one
 * to keep (it lasted min_cycles, or k is max), else 2k but at most max.
 */
unsigned host_batch_grow(unsigned k, uint64_t cycles, uint64_t min_cycles,
			 unsigned max);

/*
 * Time batches of 1, 2, 4... loops with timer(ctx, k) until
 * host_batch_grow keeps one: *k is its size and *cycles its time (the
 * warm-up sample). 0, or -1 as soon as timer fails.
 */
int host_batch_calibrate(host_batch_timer timer, void *ctx,
			 uint64_t min_cycles, unsigned max, unsigned *k,
			 uint64_t *cycles);

/* A batch's time per loop: cycles / k, to the nearest cycle. */
uint64_t host_batch_per_loop(uint64_t cycles, unsigned k);

#endif
