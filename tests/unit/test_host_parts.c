/*
 * forkbench host's parts: batch sizing, who ran first, notes and
 * disturbances, and the CPU.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "testutil.h"
#include "host_batch.h"
#include "host_cpu.h"
#include "host_measure.h"
#include "host_note.h"
#include "host_order.h"
#include "host_opts.h"
#include "host_out.h"
#include "host_tsc.h"
#include "parse.h"
#include "schema.h"

static char err[512];

/* ---- batch sizing --------------------------------------------------------- */

/* A fake clock: every loop costs per_loop cycles; the sizes tried are kept. */
struct fake_calls {
	uint64_t per_loop;
	unsigned tried[32], n;
	unsigned fail_at;    /* the k whose batch fails; 0: none */
	unsigned disturbed;  /* this many trials from the first are preempted */
	uint64_t stretch;    /* cycles a preemption adds */
};

static int fake_timer(void *ctx, unsigned k, uint64_t *cycles)
{
	struct fake_calls *f = ctx;
	cr_assert_lt(f->n, 32);
	int preempted = f->n < f->disturbed;
	f->tried[f->n++] = k;
	*cycles = f->per_loop * k + (preempted ? f->stretch : 0);
	if (k == f->fail_at)
		return -1;
	return preempted;
}

Test(host_batch, doubles_until_a_batch_lasts_the_minimum)
{
	/* 47,000 cycles a loop, 2,400,000 a millisecond (2.4 GHz): 32 loops
	 * are 1,504,000, short; 64 are 3,008,000. */
	struct fake_calls f = { .per_loop = 47000 };
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 64);
	cr_assert_eq(cycles, 3008000);
	unsigned want[] = { 1, 2, 4, 8, 16, 32, 64 };
	cr_assert_eq(f.n, 7);
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(f.tried[i], want[i], "try %u: %u", i, f.tried[i]);
}

Test(host_batch, one_call_of_a_millisecond_is_a_batch_of_one)
{
	struct fake_calls f = { .per_loop = 2400000 }; /* exactly 1 ms */
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 1);
	cr_assert_eq(f.n, 1);
	f = (struct fake_calls){ .per_loop = 90000000 }; /* a 1G fork */
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 1);
	cr_assert_eq(cycles, 90000000);
}

Test(host_batch, capped)
{
	struct fake_calls f = { .per_loop = 10 };
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 1024);
	cr_assert_eq(cycles, 10240);
	cr_assert_eq(f.n, 11); /* 1, 2, ... 1024 */
	/* a cap that is no power of two is reached, not passed */
	f = (struct fake_calls){ .per_loop = 10 };
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 100, &k,
					  &cycles), 0);
	cr_assert_eq(k, 100);
	cr_assert_eq(f.tried[f.n - 2], 64);
	/* no minimum (no TSC rate): one loop */
	f = (struct fake_calls){ .per_loop = 10 };
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 0, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 1);
}

/* A preempted trial is taken again: a 4 ms tick must not make K 1. */
Test(host_batch, a_preempted_trial_is_repeated)
{
	struct fake_calls f = { .per_loop = 47000, .disturbed = 2,
				.stretch = 9600000 };
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(k, 64);
	unsigned want[] = { 1, 1, 1, 2, 4, 8, 16, 32, 64 };
	cr_assert_eq(f.n, 9);
	for (unsigned i = 0; i < 9; i++)
		cr_assert_eq(f.tried[i], want[i], "try %u: %u", i, f.tried[i]);
}

/* ...but only HOST_BATCH_RETRIES times: then the stretched one counts. */
Test(host_batch, retries_are_bounded)
{
	struct fake_calls f = { .per_loop = 47000, .disturbed = 32,
				.stretch = 9600000 };
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), 0);
	cr_assert_eq(f.n, 4); /* 1, then 3 more tries of 1 */
	cr_assert_eq(k, 1);
	cr_assert_eq(cycles, 9647000);
}

Test(host_batch, a_failing_batch_stops_the_sizing)
{
	struct fake_calls f = { .per_loop = 1000, .fail_at = 4 };
	unsigned k = 0;
	uint64_t cycles = 0;
	cr_assert_eq(host_batch_calibrate(fake_timer, &f, 2400000, 1024, &k,
					  &cycles), -1);
	cr_assert_eq(f.n, 3); /* 1, 2, 4 */
}

Test(host_batch, grow_steps)
{
	cr_assert_eq(host_batch_grow(1, 100, 1000, 1024), 2);
	cr_assert_eq(host_batch_grow(8, 999, 1000, 1024), 16);
	cr_assert_eq(host_batch_grow(8, 1000, 1000, 1024), 0);
	cr_assert_eq(host_batch_grow(512, 1, 1000, 1024), 1024);
	cr_assert_eq(host_batch_grow(1024, 1, 1000, 1024), 0);
	cr_assert_eq(host_batch_grow(96, 1, 1000, 100), 100);
}

Test(host_batch, per_loop_rounds_to_the_nearest_cycle)
{
	cr_assert_eq(host_batch_per_loop(3008000, 64), 47000);
	cr_assert_eq(host_batch_per_loop(1000, 3), 333);  /* 333.33 */
	cr_assert_eq(host_batch_per_loop(1001, 2), 501);  /* 500.5 up */
	cr_assert_eq(host_batch_per_loop(2000, 3), 667);  /* 666.67 */
	cr_assert_eq(host_batch_per_loop(12345, 1), 12345);
}

/* ---- who ran first ---------------------------------------------------------- */

Test(host_order, classifies_by_the_three_timestamps)
{
	/* call at 1000, returned at 5000 */
	cr_assert_eq(host_child_order(1000, 5000, 3000), HOST_CHILD_FIRST);
	cr_assert_eq(host_child_order(1000, 5000, 1000), HOST_CHILD_FIRST);
	cr_assert_eq(host_child_order(1000, 5000, 4999), HOST_CHILD_FIRST);
	cr_assert_eq(host_child_order(1000, 5000, 5000), HOST_PARENT_FIRST);
	cr_assert_eq(host_child_order(1000, 5000, 90000), HOST_PARENT_FIRST);
	cr_assert_eq(host_child_order(1000, 5000, 999), HOST_CHILD_BEFORE_START);
	cr_assert_eq(host_child_order(1000, 5000, 0), HOST_CHILD_BEFORE_START);
}

Test(host_order, child_first_goes_to_cycles_to_child)
{
	struct host_child_rows r;
	host_child_rows(1000, 5000, 3000, 30, &r);
	cr_assert(r.has_value[HOST_ROW_CHILD_FIRST]);
	cr_assert_eq(r.cycles[HOST_ROW_CHILD_FIRST], 1970); /* 3000-1000-30 */
	cr_assert_str_eq(r.reason[HOST_ROW_CHILD_FIRST], "");
	cr_assert_not(r.has_value[HOST_ROW_PARENT_FIRST]);
	cr_assert_str_eq(r.reason[HOST_ROW_PARENT_FIRST], "child_ran_first");
}

Test(host_order, parent_first_goes_to_its_own_metric)
{
	struct host_child_rows r;
	host_child_rows(1000, 5000, 90000, 30, &r);
	cr_assert_not(r.has_value[HOST_ROW_CHILD_FIRST]);
	cr_assert_str_eq(r.reason[HOST_ROW_CHILD_FIRST], "parent_ran_first");
	cr_assert(r.has_value[HOST_ROW_PARENT_FIRST]);
	cr_assert_eq(r.cycles[HOST_ROW_PARENT_FIRST], 88970);
	cr_assert_str_eq(r.reason[HOST_ROW_PARENT_FIRST], "");
}

/* A child TSC before the call: both NA with the reason, never a 0. */
Test(host_order, negative_delta_is_na_not_zero)
{
	struct host_child_rows r;
	host_child_rows(1000, 5000, 400, 30, &r);
	for (int i = 0; i < HOST_CHILD_ROWS; i++) {
		cr_assert_not(r.has_value[i]);
		cr_assert_str_eq(r.reason[i],
				 "negative_tsc_delta:child_before_call_start");
	}
}

/* ---- notes and disturbances -------------------------------------------------- */

static char note[128];

#define NOTE(...)                                                          \
	({                                                                 \
		const struct host_note n_ = { __VA_ARGS__ };               \
		host_note_format(note, sizeof(note), &n_);                 \
		note;                                                      \
	})

Test(host_note, parts_in_order_joined_by_semicolons)
{
	cr_assert_str_eq(NOTE(.warmup = 0), "");
	cr_assert_str_eq(NOTE(.warmup = 1), "warmup");
	cr_assert_str_eq(NOTE(.reason = "parent_ran_first"), "parent_ran_first");
	cr_assert_str_eq(NOTE(.warmup = 1, .reason = "child_ran_first"),
			 "warmup;child_ran_first");
	cr_assert_str_eq(NOTE(.batch = 64), "batch:64");
	cr_assert_str_eq(NOTE(.warmup = 1, .batch = 1), "warmup;batch:1");
	cr_assert_str_eq(NOTE(.nivcsw = 2), "disturbed:nivcsw:2");
	cr_assert_str_eq(NOTE(.loaded = 1, .load = 2.2), "disturbed:load:2.20");
	cr_assert_str_eq(NOTE(.warmup = 1, .reason = "parent_has_no_pages",
			      .batch = 8, .nivcsw = 12, .loaded = 1,
			      .load = 10.127),
			 "warmup;parent_has_no_pages;batch:8;disturbed:nivcsw:12;"
			 "disturbed:load:10.13");
	/* nothing beyond the expected switches, a load not too high */
	cr_assert_str_eq(NOTE(.nivcsw = 0, .load = 7), "");
	cr_assert_str_eq(NOTE(.nivcsw = -1), "");
}

Test(host_note, a_short_buffer_stays_terminated)
{
	char small[10];
	const struct host_note n = { .warmup = 1, .reason = "parent_ran_first" };
	host_note_format(small, sizeof(small), &n);
	cr_assert_eq(strlen(small), 9);
	cr_assert_str_eq(small, "warmup;pa");
}

Test(host_note, warmup_notes_are_recognised)
{
	cr_assert(note_is_warmup(NOTE(.warmup = 1, .batch = 4)));
	cr_assert(note_is_warmup(NOTE(.warmup = 1, .nivcsw = 1)));
	cr_assert_not(note_is_warmup(NOTE(.batch = 4)));
}

/* The run is about 1 of the load; half a CPU per CPU more disturbs. */
Test(host_note, load_threshold)
{
	cr_assert_float_eq(host_load_threshold(2), 2.0, 1e-9);
	cr_assert_float_eq(host_load_threshold(8), 5.0, 1e-9);
	cr_assert_float_eq(host_load_threshold(1), 1.5, 1e-9);
	cr_assert_float_eq(host_load_threshold(0), 1.5, 1e-9); /* unknown */
	cr_assert(host_load_disturbs(2.2, 2));
	cr_assert_not(host_load_disturbs(2.0, 2));
	cr_assert_not(host_load_disturbs(1.1, 2)); /* the run itself */
	cr_assert(host_load_disturbs(1.6, 1));
	cr_assert_not(host_load_disturbs(-1, 2));  /* unknown */
}

Test(host_note, switches_a_child_that_runs_first_costs)
{
	cr_assert_eq(host_nivcsw_expected(HV_FORK, 1), 1);
	cr_assert_eq(host_nivcsw_expected(HV_CLONE_VM, 1), 1);
	cr_assert_eq(host_nivcsw_expected(HV_THREAD, 1), 1);
	/* these put the parent to sleep in the call: no preemption */
	cr_assert_eq(host_nivcsw_expected(HV_VFORK, 1), 0);
	cr_assert_eq(host_nivcsw_expected(HV_CLONE_VM_VFORK, 1), 0);
	cr_assert_eq(host_nivcsw_expected(HV_POSIX_SPAWN, 1), 0);
	for (unsigned v = 0; v < HV_COUNT; v++)
		cr_assert_eq(host_nivcsw_expected((enum host_variant)v, 0), 0);
}

/* ---- the CPU ----------------------------------------------------------------- */

static cpu_set_t cpus(const int *list, int n)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	for (int i = 0; i < n; i++)
		CPU_SET(list[i], &s);
	return s;
}

Test(host_cpu, default_is_the_last_allowed)
{
	int cpu = -1;
	cpu_set_t two = cpus((int[]){ 0, 1 }, 2);
	cr_assert_eq(host_cpu_pick(&two, -1, &cpu, err, sizeof(err)), 0);
	cr_assert_eq(cpu, 1);
	cpu_set_t odd = cpus((int[]){ 0, 2, 5 }, 3);
	cr_assert_eq(host_cpu_pick(&odd, -1, &cpu, err, sizeof(err)), 0);
	cr_assert_eq(cpu, 5);
	cr_assert_eq(host_cpu_pick(&odd, 2, &cpu, err, sizeof(err)), 0);
	cr_assert_eq(cpu, 2);
}

Test(host_cpu, a_cpu_outside_the_set_is_refused)
{
	int cpu = 77;
	cpu_set_t odd = cpus((int[]){ 0, 2, 5 }, 3);
	cr_assert_eq(host_cpu_pick(&odd, 3, &cpu, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "--cpu 3: not one of the CPUs this process may "
			 "use (0,2,5)");
	cr_assert_eq(cpu, 77);
	cr_assert_eq(host_cpu_pick(&odd, 1023, &cpu, err, sizeof(err)), -1);
	cpu_set_t none = cpus(NULL, 0);
	cr_assert_eq(host_cpu_pick(&none, -1, &cpu, err, sizeof(err)), -1);
}

Test(host_cpu, lists_as_ranges)
{
	char b[64];
	cpu_set_t s = cpus((int[]){ 0, 1, 2, 3, 6, 8, 9 }, 7);
	host_cpu_list_text(&s, b, sizeof(b));
	cr_assert_str_eq(b, "0-3,6,8-9");
	s = cpus((int[]){ 7 }, 1);
	host_cpu_list_text(&s, b, sizeof(b));
	cr_assert_str_eq(b, "7");
	s = cpus(NULL, 0);
	host_cpu_list_text(&s, b, sizeof(b));
	cr_assert_str_eq(b, "");
}

/* Pinned, this process runs on that CPU only (children inherit it). */
Test(host_cpu, pinning_takes)
{
	cpu_set_t allowed, now;
	int cpu;
	cr_assert_eq(host_cpus_allowed(&allowed, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(host_cpu_pick(&allowed, -1, &cpu, err, sizeof(err)), 0);
	cr_assert_eq(host_cpu_pin(cpu, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(sched_getaffinity(0, sizeof(now), &now), 0);
	cr_assert_eq(CPU_COUNT(&now), 1);
	cr_assert(CPU_ISSET(cpu, &now));
}
