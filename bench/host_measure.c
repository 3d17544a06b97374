/*
 * The guest's scenarios on Linux, one sample each: the timed region,
 * the involuntary context switches around it, and the metric rows with
 * their notes (host_note.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_batch.h"
#include "host_emit.h"
#include "host_measure.h"
#include "host_note.h"
#include "host_order.h"
#include "host_probes.h"
#include "host_tsc.h"

#define WORDS_PER_PAGE (HOST_PAGE / sizeof(uint64_t))

/* ---- scenarios --------------------------------------------------------- */

/* The two child rows of a create sample (host_order.h). */
static int emit_child_rows(const struct rep_ctx *x,
			   const struct host_child_rows *cr)
{
	static const enum fb_metric m[HOST_CHILD_ROWS] = {
		[HOST_ROW_CHILD_FIRST] = FB_M_CYCLES_TO_CHILD,
		[HOST_ROW_PARENT_FIRST] = FB_M_CYCLES_TO_CHILD_PARENT_FIRST,
	};
	for (int i = 0; i < HOST_CHILD_ROWS; i++)
		if (host_emit(x, m[i], cr->has_value[i], (double)cr->cycles[i],
			 cr->reason[i]) < 0)
			return -1;
	return 0;
}

/*
 * One call per sample: the child's start cannot be batched, since each
 * call has its own return and its own first child instruction.
 */
static int run_create(struct host_env *e, struct rep_ctx *x)
{
	struct host_child c;
	int spawn = x->v == HV_POSIX_SPAWN; /* it runs no code of ours */
	*e->child_tsc = 0;
	long sw0 = host_nivcsw_now();
	uint64_t t0 = host_tsc_start();
	int rc = host_child_start(e, x->v, spawn, &c);
	uint64_t t_ret = host_tsc_end();
	if (rc)
		return host_call_failed(x->v, rc, x->err, x->errlen);
	if (host_child_reap(x->v, &c, x->err, x->errlen) < 0)
		return -1;
	x->nivcsw = host_nivcsw_now() - sw0;
	if (spawn)
		return host_emit_value(x, FB_M_CYCLES_TO_RETURN,
				  host_tsc_cycles(t0, t_ret));
	uint64_t t_child = *e->child_tsc;
	if (t_child == 0) {
		snprintf(x->err, x->errlen, "the child did not report its TSC");
		return -1;
	}
	x->nivcsw -= host_nivcsw_expected(
		x->v, host_child_order(t0, t_ret, t_child) == HOST_CHILD_FIRST);
	if (host_emit_value(x, FB_M_CYCLES_TO_RETURN,
			    host_tsc_cycles(t0, t_ret)) < 0)
		return -1;
	struct host_child_rows cr;
	host_child_rows(t0, t_ret, t_child, host_tsc_overhead, &cr);
	return emit_child_rows(x, &cr);
}

struct batch_ctx {
	struct host_env *e;
	struct rep_ctx *x;
	int execs;
};

/*
 * host_batch_timer: k loops of create, the child exits or execs at
 * once, the parent waits. The parent is not written again between the
 * loops, as in lat_proc: a fork after the first forks a parent its
 * predecessor left write-protected.
 */
static int time_batch(void *ctx, unsigned k, uint64_t *cycles)
{
	struct batch_ctx *b = ctx;
	struct rep_ctx *x = b->x;
	long sw0 = host_nivcsw_now();
	uint64_t t0 = host_tsc_start();
	for (unsigned i = 0; i < k; i++) {
		struct host_child c;
		int rc = host_child_start(b->e, x->v, b->execs, &c);
		if (rc)
			return host_call_failed(x->v, rc, x->err, x->errlen);
		if (host_child_reap(x->v, &c, x->err, x->errlen) < 0)
			return -1;
	}
	*cycles = host_tsc_cycles(t0, host_tsc_end());
	x->nivcsw = host_nivcsw_now() - sw0;
	return 0;
}

/* host_batch_timer for the sizing: a batch with a preemption is 1. */
static int sizing_batch(void *ctx, unsigned k, uint64_t *cycles)
{
	struct batch_ctx *b = ctx;
	if (time_batch(b, k, cycles) < 0)
		return -1;
	return b->x->nivcsw > 0;
}

/*
 * Size the batch (the warm-up does): one loop first, untimed, so that
 * first-call costs (lazy binding, a thread's first stack) cannot pass
 * for a loop that alone lasts the minimum.
 */
static int size_batch(struct batch_ctx *b, struct host_sample *smp,
		      uint64_t *cycles)
{
	if (time_batch(b, 1, cycles) < 0)
		return -1;
	return host_batch_calibrate(sizing_batch, b, b->e->batch_min_cycles,
				    HOST_BATCH_MAX, &smp->batch, cycles);
}

/* exit_wait, exec_wait: a batch, sized first when smp->batch is 0. */
static int run_lifecycle(struct host_env *e, struct rep_ctx *x,
			 struct host_sample *smp, int execs, enum fb_metric m)
{
	struct batch_ctx b = { e, x, execs };
	uint64_t cycles;
	int rc = smp->batch ? time_batch(&b, smp->batch, &cycles)
			    : size_batch(&b, smp, &cycles);
	if (rc < 0)
		return -1;
	x->batch = smp->batch;
	return host_emit_value(x, m, host_batch_per_loop(cycles, smp->batch));
}

static void write_pages(const struct host_region *r, uint64_t n)
{
	volatile uint64_t *w = r->base;
	for (uint64_t p = 0; p < n; p++)
		w[p * WORDS_PER_PAGE] = ~p;
}

/*
 * The cow child: alive, sharing every page, stopped until the parent
 * has written. Stopped, it cannot run inside the timed writes, which on
 * the one pinned CPU it otherwise could; a parent that dies leaves it in
 * an orphaned process group, which the kernel hangs up.
 */
static void __attribute__((noreturn)) cow_child(void)
{
	raise(SIGSTOP);
	_exit(0);
}

/* Wait until the cow child has stopped itself; -1 with err if it did not. */
static int await_stop(pid_t pid, char *err, size_t errlen)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, WUNTRACED);
	while (r < 0 && errno == EINTR);
	if (r == pid && WIFSTOPPED(st))
		return 0;
	if (r < 0)
		snprintf(err, errlen, "waitpid: %s", strerror(errno));
	else
		snprintf(err, errlen, "the cow child ended before it stopped");
	return -1;
}

/*
 * cow (fork only): the parent writes k pages while the child still maps
 * them, so each write is a copy-on-write fault with a copy.
 */
static int run_cow(const struct host_env *e, const struct host_region *r,
		   struct rep_ctx *x)
{
	uint64_t k = e->writes < r->pages ? e->writes : r->pages;
	if (k == 0) /* as the guest: nothing to write is not a zero */
		return host_emit(x, FB_M_CYCLES_PER_WRITE, 0, 0,
			    "parent_has_no_pages");
	struct host_child c = { .pid = fork() };
	if (c.pid == 0)
		cow_child();
	if (c.pid < 0)
		return host_call_failed(HV_FORK, errno, x->err, x->errlen);
	if (await_stop(c.pid, x->err, x->errlen) < 0)
		return -1; /* it has ended: nothing left to reap */
	long sw0 = host_nivcsw_now();
	uint64_t t0 = host_tsc_start();
	write_pages(r, k);
	uint64_t cycles = host_tsc_cycles(t0, host_tsc_end());
	x->nivcsw = host_nivcsw_now() - sw0;
	kill(c.pid, SIGCONT);
	if (host_child_reap(HV_FORK, &c, x->err, x->errlen) < 0)
		return -1;
	if (host_emit_value(x, FB_M_CYCLES_PER_WRITE, cycles / k) < 0 ||
	    host_emit_value(x, FB_M_WRITE_CYCLES_TOTAL, cycles) < 0)
		return -1;
	return host_emit_value(x, FB_M_PAGES_WRITTEN, k);
}

static int needs_exec(enum host_variant v, enum host_scenario s)
{
	return s == HS_EXEC_WAIT || v == HV_POSIX_SPAWN;
}

int host_measure(struct host_env *e, enum host_variant v,
		 enum host_scenario s, const struct host_region *r,
		 struct host_sample *smp, struct metric_table *out, char *err,
		 size_t errlen)
{
	struct rep_ctx x = { v, s, r->size, smp, 0, 0, out, err, errlen };
	if (!host_applies(v, s)) {
		snprintf(err, errlen, "%s does not apply to %s",
			 host_scenario_names[s], host_variant_names[v]);
		return -1;
	}
	if (needs_exec(v, s) && !e->exec_path) {
		snprintf(err, errlen, "neither /bin/true nor /usr/bin/true exists");
		return -1;
	}
	switch (s) {
	case HS_CREATE: return run_create(e, &x);
	case HS_EXIT_WAIT:
		return run_lifecycle(e, &x, smp, 0, FB_M_CYCLES_CREATE_EXIT_WAIT);
	case HS_EXEC_WAIT:
		return run_lifecycle(e, &x, smp, 1, FB_M_CYCLES_CREATE_EXEC_WAIT);
	case HS_COW: return run_cow(e, r, &x);
	case HS_TLB: return host_run_tlb(e, r, &x);
	case HS_CACHE: return host_run_cache(e, &x);
	default: return -1;
	}
}
