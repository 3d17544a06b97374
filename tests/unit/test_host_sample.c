/*
 * forkbench host's samples: the parent region (4K and huge pages), one
 * sample's rows, and the result-set files.
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

/*
 * A huge-page parent: 2M-aligned, and the kernel's own count
 * (AnonHugePages) grew by at least one huge page; or, where THP is off,
 * refused saying so.
 */
Test(host_region, thp_parent_holds_huge_pages)
{
	struct host_region r;
	int rc = host_region_map(&r, 8u << 20, 1, err, sizeof(err));
	if (rc < 0) {
		cr_assert(strstr(err, "transparent huge pages are off") ||
			  strstr(err, "no huge page"), "%s", err);
		cr_skip_test("no huge pages here: %s", err);
	}
	cr_assert_eq((uintptr_t)r.base % (2u << 20), 0);
	cr_assert_eq(r.pages, 2048);
	host_region_unmap(&r);
	cr_assert_null(r.base);
}

/* ---- one sample ---------------------------------------------------------- */

static struct host_env env;
static struct host_region region;
static struct metric_table rows;

static void rep_setup(void)
{
	host_tsc_init();
	cr_assert_eq(host_env_init(&env, 64, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(host_region_map(&region, 16 * 4096, 0, err, sizeof(err)), 0,
		     "%s", err);
	host_region_dirty(&region);
	memset(&rows, 0, sizeof(rows));
}

static void rep_teardown(void)
{
	metrics_free(&rows);
	host_region_unmap(&region);
	host_env_free(&env);
}

static const struct metric_row *row(const char *metric)
{
	for (size_t i = 0; i < rows.n; i++)
		if (strcmp(rows.rows[i].metric, metric) == 0)
			return &rows.rows[i];
	return NULL;
}

/*
 * note is want, or want followed by ";more" (a loaded test machine may
 * add disturbed:... parts to real samples).
 */
static int note_starts(const char *note, const char *want)
{
	size_t n = strlen(want);
	return strncmp(note, want, n) == 0 && (note[n] == '\0' || note[n] == ';');
}

/* The metrics of one sample of a pair, in the order they are written. */
static const char *const *metrics_of(enum host_variant v, enum host_scenario s)
{
	static const char *const create[] = { "cycles_to_return",
		"cycles_to_child", "cycles_to_child_parent_first", NULL };
	static const char *const spawn[] = { "cycles_to_return", NULL };
	static const char *const exit_wait[] = { "cycles_create_exit_wait",
		NULL };
	static const char *const exec_wait[] = { "cycles_create_exec_wait",
		NULL };
	static const char *const cow[] = { "cycles_per_write",
		"write_cycles_total", "pages_written", NULL };
	static const char *const tlb[] = { "tlb_cycles_before",
		"tlb_cycles_after", "tlb_accesses",
		"tlb_cycles_per_access_before", "tlb_cycles_per_access_after",
		"tlb_stlb_entries", NULL };
	static const char *const cache[] = { "cache_cycles_before",
		"cache_cycles_after", "cache_accesses",
		"cache_cycles_per_access_before",
		"cache_cycles_per_access_after", "cache_tlb_refill_cycles",
		"cache_hot_kb", NULL };
	switch (s) {
	case HS_CREATE: return v == HV_POSIX_SPAWN ? spawn : create;
	case HS_EXIT_WAIT: return exit_wait;
	case HS_EXEC_WAIT: return exec_wait;
	case HS_TLB: return tlb;
	case HS_CACHE: return cache;
	default: return cow;
	}
}

/* Every applicable pair gives exactly its metrics, labelled. */
Test(host_rep, metrics_of_every_pair, .init = rep_setup, .fini = rep_teardown)
{
	for (unsigned v = 0; v < HV_COUNT; v++)
		for (unsigned s = 0; s < HS_COUNT; s++) {
			enum host_variant hv = (enum host_variant)v;
			enum host_scenario hs = (enum host_scenario)s;
			if (!host_applies(hv, hs))
				continue;
			rows.n = 0;
			struct host_sample smp = { .rep = 4 };
			cr_assert_eq(host_measure(&env, hv, hs, &region, &smp,
						  &rows, err, sizeof(err)), 0,
				     "%s %s: %s", host_variant_names[v],
				     host_scenario_names[s], err);
			const char *const *m = metrics_of(hv, hs);
			size_t want = 0;
			while (m[want])
				want++;
			cr_assert_eq(rows.n, want, "%s %s: %zu rows",
				     host_variant_names[v], host_scenario_names[s],
				     rows.n);
			for (size_t i = 0; i < rows.n; i++) {
				const struct metric_row *r = &rows.rows[i];
				cr_assert_str_eq(r->variant, host_variant_names[v]);
				cr_assert_str_eq(r->scenario, host_scenario_names[s]);
				cr_assert_str_eq(r->metric, m[i]);
				cr_assert_eq(r->size, 16 * 4096);
				cr_assert_eq(r->rep, 4);
				cr_assert_not(r->warmup);
				cr_assert_null(strstr(r->note, "warmup"), "%s", r->note);
			}
		}
}

/* create: exactly one of the two child rows has a value, the other says why. */
Test(host_rep, create_has_one_child_metric, .init = rep_setup,
     .fini = rep_teardown)
{
	/* pinned as forkbench host runs: one CPU, one TSC */
	cpu_set_t allowed;
	int cpu;
	cr_assert_eq(host_cpus_allowed(&allowed, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(host_cpu_pick(&allowed, -1, &cpu, err, sizeof(err)), 0);
	cr_assert_eq(host_cpu_pin(cpu, err, sizeof(err)), 0, "%s", err);
	for (int i = 0; i < 20; i++) {
		rows.n = 0;
		struct host_sample smp = { .rep = 1 };
		cr_assert_eq(host_measure(&env, HV_FORK, HS_CREATE, &region, &smp,
					  &rows, err, sizeof(err)), 0, "%s", err);
		const struct metric_row *first = row("cycles_to_child");
		const struct metric_row *second =
			row("cycles_to_child_parent_first");
		cr_assert(row("cycles_to_return")->has_value);
		cr_assert_neq(first->has_value, second->has_value,
			      "%s / %s", first->note, second->note);
		if (first->has_value)
			cr_assert(note_starts(second->note, "child_ran_first"),
				  "%s", second->note);
		else
			cr_assert(note_starts(first->note, "parent_ran_first"),
				  "%s", first->note);
	}
}

/* Rep 0 is the warm-up: every row says so, first in its note. */
Test(host_rep, warmup_rows_are_labelled, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 0 };
	cr_assert_eq(host_measure(&env, HV_VFORK, HS_CREATE, &region, &smp,
				  &rows, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rows.n, 3);
	for (size_t i = 0; i < rows.n; i++) {
		cr_assert_eq(rows.rows[i].rep, 0);
		cr_assert(rows.rows[i].warmup);
		cr_assert(note_starts(rows.rows[i].note, "warmup"), "%s",
			  rows.rows[i].note);
		cr_assert(note_is_warmup(rows.rows[i].note));
	}
	/* a vfork parent sleeps until its child has run */
	cr_assert(row("cycles_to_child")->has_value);
	cr_assert(note_starts(row("cycles_to_child_parent_first")->note,
			      "warmup;child_ran_first"), "%s",
		  row("cycles_to_child_parent_first")->note);
}

/* Unbatched env (batch_min_cycles 0): the warm-up keeps K = 1. */
Test(host_rep, warmup_sizes_the_batch, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 0 };
	cr_assert_eq(host_measure(&env, HV_THREAD, HS_EXIT_WAIT, &region, &smp,
				  &rows, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(smp.batch, 1);
	cr_assert(note_starts(rows.rows[0].note, "warmup;batch:1"), "%s",
		  rows.rows[0].note);
}

/* A real batch: a power of two whose loops last the minimum. */
Test(host_rep, a_real_batch_lasts_its_minimum, .init = rep_setup,
     .fini = rep_teardown)
{
	env.batch_min_cycles = host_tsc_khz(50); /* 1 ms */
	struct host_sample smp = { .rep = 0 };
	cr_assert_eq(host_measure(&env, HV_THREAD, HS_EXIT_WAIT, &region, &smp,
				  &rows, err, sizeof(err)), 0, "%s", err);
	/* K > 1 on a quiet machine; a preempted loop (hypervisor steal time
	 * is not seen as a switch) may still end the sizing early */
	cr_assert(smp.batch >= 1 && smp.batch <= HOST_BATCH_MAX, "K %u",
		  smp.batch);
	cr_assert_eq(smp.batch & (smp.batch - 1), 0, "K %u: not 2^n", smp.batch);
	/* the value is per loop: K of them span at least the minimum */
	cr_assert(rows.rows[0].value * smp.batch >=
		  (double)env.batch_min_cycles - smp.batch,
		  "%g x %u", rows.rows[0].value, smp.batch);
}

/* After the warm-up, a sample runs the batch size it is given. */
Test(host_rep, samples_keep_the_batch_size, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 2, .batch = 3 };
	cr_assert_eq(host_measure(&env, HV_VFORK, HS_EXEC_WAIT, &region, &smp,
				  &rows, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(smp.batch, 3);
	cr_assert_eq(rows.n, 1);
	cr_assert(note_starts(rows.rows[0].note, "batch:3"), "%s",
		  rows.rows[0].note);
}

/* The configuration's load average, when too high, marks every row. */
Test(host_rep, a_loaded_sample_is_noted, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 1, .loaded = 1, .load = 3.5 };
	cr_assert_eq(host_measure(&env, HV_THREAD, HS_CREATE, &region, &smp,
				  &rows, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < rows.n; i++)
		cr_assert(strstr(rows.rows[i].note, "disturbed:load:3.50"), "%s",
			  rows.rows[i].note);
	cr_assert(row("cycles_to_return")->has_value); /* the value is kept */
}

/*
 * The kernel's own count says the writes after the fork were COW faults:
 * at least one minor fault per page of the 16-page parent.
 */
Test(host_rep, cow_writes_fault_every_page_of_the_parent, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 1 };
	struct rusage before, after;
	cr_assert_eq(getrusage(RUSAGE_SELF, &before), 0);
	cr_assert_eq(host_measure(&env, HV_FORK, HS_COW, &region, &smp, &rows,
				  err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(getrusage(RUSAGE_SELF, &after), 0);
	cr_assert_eq(row("pages_written")->value, 16);
	cr_assert_str_eq(row("cycles_per_write")->unit, "cycles");
	cr_assert_geq(after.ru_minflt - before.ru_minflt, 16,
		      "%ld minor faults for 16 COW writes",
		      after.ru_minflt - before.ru_minflt);
}

Test(host_rep, cow_without_pages_is_na, .init = rep_setup, .fini = rep_teardown)
{
	struct host_region none;
	struct host_sample smp = { .rep = 1 };
	cr_assert_eq(host_region_map(&none, 0, 0, err, sizeof(err)), 0);
	cr_assert_eq(host_measure(&env, HV_FORK, HS_COW, &none, &smp, &rows, err,
				  sizeof(err)), 0, "%s", err);
	cr_assert_eq(rows.n, 1);
	cr_assert_not(rows.rows[0].has_value);
	cr_assert_str_eq(rows.rows[0].note, "parent_has_no_pages");
	/* the warm-up: "warmup;REASON" */
	rows.n = 0;
	smp.rep = 0;
	cr_assert_eq(host_measure(&env, HV_FORK, HS_COW, &none, &smp, &rows, err,
				  sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(rows.rows[0].note, "warmup;parent_has_no_pages");
}

Test(host_rep, not_applicable_is_refused, .init = rep_setup,
     .fini = rep_teardown)
{
	struct host_sample smp = { .rep = 1 };
	cr_assert_eq(host_measure(&env, HV_THREAD, HS_EXEC_WAIT, &region, &smp,
				  &rows, err, sizeof(err)), -1);
	cr_assert(strstr(err, "does not apply"), "%s", err);
	cr_assert_eq(rows.n, 0);
}

/* Only fork write-protects its parent; the guest's redirty() agrees. */
Test(host_rep, only_fork_rewrites_the_parent_each_sample)
{
	cr_assert(host_region_redirty_each_sample(HV_FORK));
	cr_assert_not(host_region_redirty_each_sample(HV_VFORK));
	cr_assert_not(host_region_redirty_each_sample(HV_CLONE_VM));
	cr_assert_not(host_region_redirty_each_sample(HV_CLONE_VM_VFORK));
	cr_assert_not(host_region_redirty_each_sample(HV_POSIX_SPAWN));
	cr_assert_not(host_region_redirty_each_sample(HV_THREAD));
}

Test(host_rep, a_parent_beyond_memory_fails_cleanly)
{
	struct host_region r;
	cr_assert_eq(host_region_map(&r, 1ull << 46, 0, err, sizeof(err)), -1);
	cr_assert(strstr(err, "64T"), "%s", err);
	cr_assert_null(r.base);
}

/* ---- files ----------------------------------------------------------------- */

static char base[] = "/tmp/fbhostXXXXXX";
static char set[256]; /* the result set: base/a/b */

static char *slurp(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", set, name);
	return test_slurp(path);
}

Test(host_out, files_renamed_into_place_with_exact_headers)
{
	cr_assert_not_null(mkdtemp(base));
	snprintf(set, sizeof(set), "%s/a/b", base); /* parents are created */
	struct host_out out;
	cr_assert_eq(host_out_open(&out, set, err, sizeof(err)), 0, "%s", err);
	struct metric_table t = { 0 };
	struct metric_row r = { "linux_fork", "create", 4096, 0,
				"cycles_to_return", 1, 1234, "cycles", "", 0 };
	cr_assert_eq(metrics_append(&t, &r), 0);
	struct host_config ok = { HV_FORK, HS_CREATE, 4096, 1, "", 0.25 };
	struct host_config bad = { HV_FORK, HS_COW, 4096, 0, "fork: no, really", 0.5 };
	cr_assert_eq(host_out_config(&out, &ok, &t), 0);
	cr_assert_eq(host_out_config(&out, &bad, &t), 0); /* rows not written */
	struct host_opts opts;
	char *argv[] = { "host", NULL };
	host_opts_parse(1, argv, &opts, err, sizeof(err));
	struct host_facts f = { .opts = &opts, .argc = 1, .argv = argv,
				.created = "2026-01-01T00:00:00Z",
				.tsc_khz = 2400000, .planned = 2, .cpus = 2,
				.cpu = 1, .cpus_allowed = "0-1",
				.batch_min_cycles = 2400000 };
	cr_assert_eq(host_out_close(&out, &f, err, sizeof(err)), 0, "%s", err);
	metrics_free(&t);
	cr_assert_str_eq(slurp("metrics.csv"),
			 RESULTS_CSV_HEADER "\n"
			 "linux_fork,create,4096,0,cycles_to_return,1234,cycles,\n");
	cr_assert_str_eq(slurp("configs.csv"),
			 "variant,scenario,size,status,exit_code,reason,wall_s,guest_s\n"
			 "linux_fork,create,4096,ok,0,,0.250,\n"
			 "linux_fork,cow,4096,failed,1,\"fork: no, really\",0.500,\n");
	const char *meta = slurp("meta.json");
	cr_assert(strstr(meta, "\"kind\": \"linux\""), "%s", meta);
	cr_assert(strstr(meta, "\"clock\": {\"tsc_khz\": 2400000,"), "%s", meta);
	cr_assert(strstr(meta, "\"verdict\": \"native\""), "%s", meta);
	cr_assert(strstr(meta, "\"command\": \"forkbench host\""), "%s", meta);
	cr_assert(strstr(meta, "\"complete\": true"), "%s", meta);
	cr_assert(strstr(meta, "\"warmup_reps\": 1,"), "%s", meta);
	cr_assert(strstr(meta, "\"cpu\": 1,"), "%s", meta);
	cr_assert(strstr(meta, "\"cpus_allowed\": \"0-1\","), "%s", meta);
	cr_assert(strstr(meta, "\"batch_min_cycles\": 2400000,"), "%s", meta);
	cr_assert(strstr(meta, "\"batch_max\": 1024,"), "%s", meta);
	cr_assert(strstr(meta, "\"load_disturbed_above\": 2.00,"), "%s", meta);
	cr_assert(strstr(meta, "\"host\": {"), "%s", meta);
	/* No temporary file is left behind, and a second run is refused. */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ls %s | grep -q tmp", set);
	cr_assert_neq(system(cmd), 0);
	cr_assert_eq(host_out_open(&out, set, err, sizeof(err)), -1);
	cr_assert(strstr(err, "already holds a metrics.csv"), "%s", err);
	snprintf(cmd, sizeof(cmd), "rm -r '%s'", base);
	cr_assert_eq(system(cmd), 0);
}
