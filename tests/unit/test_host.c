/*
 * forkbench host's pieces: list and option parsing, which scenario
 * applies where, TSC calibration sanity, batch sizing, who ran first,
 * notes and disturbances, the CPU, one sample's rows, and the result-set
 * files.
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

/* ---- lists --------------------------------------------------------------- */

Test(host_lists, sizes_in_order_with_suffixes)
{
	uint64_t s[8];
	unsigned n = 0;
	cr_assert_eq(host_parse_sizes("0,1M,4K,1G", s, 8, &n, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(n, 4);
	cr_assert_eq(s[0], 0);
	cr_assert_eq(s[1], 1u << 20);
	cr_assert_eq(s[2], 4096);
	cr_assert_eq(s[3], 1ull << 30);
}

#define BAD_SIZES(list, word)                                                \
	do {                                                                 \
		uint64_t s_[8];                                              \
		unsigned n_ = 0;                                             \
		err[0] = '\0';                                               \
		cr_assert_eq(host_parse_sizes(list, s_, 8, &n_, err,         \
					      sizeof(err)), -1, "%s", list); \
		cr_assert(strstr(err, word), "'%s' lacks '%s'", err, word);  \
	} while (0)

Test(host_lists, bad_sizes_are_named)
{
	BAD_SIZES("12Q", "'12Q': not a size");
	BAD_SIZES("1M,12Q", "'12Q'");
	BAD_SIZES("1000", "'1000': not a multiple of 4K");
	BAD_SIZES("1M,1M", "'1M': given twice");
	BAD_SIZES("1M,,4M", "'': not a size");
	BAD_SIZES("", "'': not a size");
	BAD_SIZES("-4K", "'-4K'");
	BAD_SIZES("4,4K,8K,12K,16K,20K,24K,28K,32K", "'4'");
	BAD_SIZES("4K,8K,12K,16K,20K,24K,28K,32K,36K", "too many");
}

Test(host_lists, names_to_mask)
{
	unsigned m = 0;
	cr_assert_eq(host_parse_names("linux_thread,linux_fork",
				      host_variant_names, HV_COUNT, "--variants",
				      "variant", &m, err, sizeof(err)), 0);
	cr_assert_eq(m, (1u << HV_THREAD) | (1u << HV_FORK));
	/* the rule of every list (parse.h): a name given twice is refused */
	cr_assert_eq(host_parse_names("linux_fork,linux_thread,linux_fork",
				      host_variant_names, HV_COUNT, "--variants",
				      "variant", &m, err, sizeof(err)), -1);
	cr_assert(strstr(err, "--variants 'linux_fork': given twice"), "%s", err);
	cr_assert_eq(host_parse_names("cow", host_scenario_names, HS_COUNT,
				      "--scenarios", "scenario", &m, err,
				      sizeof(err)), 0);
	cr_assert_eq(m, 1u << HS_COW);
}

Test(host_lists, unknown_name_lists_the_choices)
{
	unsigned m = 0;
	cr_assert_eq(host_parse_names("linux_fork,spoon", host_variant_names,
				      HV_COUNT, "--variants", "variant", &m, err,
				      sizeof(err)), -1);
	cr_assert(strstr(err, "--variants 'spoon': unknown variant ("), "%s", err);
	cr_assert(strstr(err, "linux_clone_vm_vfork"), "%s", err);
	cr_assert_eq(err[strlen(err) - 1], ')', "%s", err);
}

Test(host_lists, size_text)
{
	char b[24];
	size_text(0, b, sizeof(b));
	cr_assert_str_eq(b, "0");
	size_text(4096, b, sizeof(b));
	cr_assert_str_eq(b, "4K");
	size_text(64ull << 20, b, sizeof(b));
	cr_assert_str_eq(b, "64M");
	size_text(1ull << 30, b, sizeof(b));
	cr_assert_str_eq(b, "1G");
	size_text(12288 + 1024, b, sizeof(b));
	cr_assert_str_eq(b, "13K");
	size_text(100, b, sizeof(b));
	cr_assert_str_eq(b, "100");
}

/* ---- options ------------------------------------------------------------- */

static struct host_opts o;

#define PARSE(...)                                                         \
	({                                                                 \
		char *argv_[] = { "host", __VA_ARGS__, NULL };             \
		int argc_ = (int)(sizeof(argv_) / sizeof(*argv_)) - 1;     \
		err[0] = '\0';                                             \
		host_opts_parse(argc_, argv_, &o, err, sizeof(err));       \
	})

#define EXPECT_BAD(word, ...)                                              \
	do {                                                               \
		cr_assert_eq(PARSE(__VA_ARGS__), HOST_BAD);                \
		cr_assert(strstr(err, word), "error '%s' lacks '%s'", err, \
			  word);                                           \
		cr_assert_null(strchr(err, '\n'), "error is one line");    \
	} while (0)

Test(host_opts, defaults)
{
	char *argv[] = { "host", NULL };
	cr_assert_eq(host_opts_parse(1, argv, &o, err, sizeof(err)), HOST_RUN);
	cr_assert_eq(o.reps, 10); /* two sets of 10: p down to 2/C(20,10) */
	cr_assert_eq(o.writes, 64);
	cr_assert_eq(o.cpu, -1);  /* the last allowed CPU */
	cr_assert_null(o.out);
	cr_assert_eq(o.n_sizes, 7);
	cr_assert_eq(o.sizes[0], 0);
	cr_assert_eq(o.sizes[6], 1ull << 30);
	cr_assert_eq(o.variants, (1u << HV_COUNT) - 1);
	cr_assert_eq(o.scenarios, (1u << HS_COUNT) - 1);
	/* create 7 + exit_wait 6 + exec_wait 6 + cow 2, times 7 sizes */
	cr_assert_eq(host_config_count(&o), 21 * 7);
}

Test(host_opts, every_option_both_spellings)
{
	cr_assert_eq(PARSE("--sizes", "4K,1M", "--reps=3", "--variants",
			   "linux_vfork", "--scenarios=create,cow",
			   "--writes", "8", "--out=/tmp/x", "--cpu", "3"),
		     HOST_RUN, "%s", err);
	cr_assert_eq(o.cpu, 3);
	cr_assert_eq(o.n_sizes, 2);
	cr_assert_eq(o.reps, 3);
	cr_assert_eq(o.variants, 1u << HV_VFORK);
	cr_assert_eq(o.scenarios, (1u << HS_CREATE) | (1u << HS_COW));
	cr_assert_eq(o.writes, 8);
	cr_assert_str_eq(o.out, "/tmp/x");
	cr_assert_eq(host_config_count(&o), 2); /* cow is fork only */
	cr_assert_eq(PARSE("--help"), HOST_HELP);
	cr_assert_eq(PARSE("--reps", "2", "-h"), HOST_HELP);
}

Test(host_opts, bad_values_name_themselves)
{
	EXPECT_BAD("--sizes '12Q': not a size", "--sizes", "12Q");
	EXPECT_BAD("--reps '0': not a number from 1 to 1000", "--reps", "0");
	EXPECT_BAD("--reps '1001'", "--reps=1001");
	EXPECT_BAD("--reps 'x'", "--reps", "x");
	EXPECT_BAD("--writes '0'", "--writes", "0");
	EXPECT_BAD("--cpu 'x': not a number from 0 to 1023", "--cpu", "x");
	EXPECT_BAD("--cpu '1024'", "--cpu=1024");
	EXPECT_BAD("--cpu '-1'", "--cpu", "-1");
	EXPECT_BAD("--variants 'spoon': unknown variant", "--variants", "spoon");
	EXPECT_BAD("--scenarios 'tlb': unknown scenario", "--scenarios", "tlb");
	EXPECT_BAD("--bogus: unknown option", "--bogus");
	EXPECT_BAD("--bogus=1: unknown option", "--bogus=1");
	EXPECT_BAD("extra: unknown argument", "extra");
	EXPECT_BAD("--reps: needs an argument", "--reps");
	EXPECT_BAD("--out '': empty", "--out=");
	EXPECT_BAD("no chosen scenario applies", "--variants", "linux_thread",
		   "--scenarios", "cow");
}

Test(host_opts, applicability)
{
	for (unsigned v = 0; v < HV_COUNT; v++) {
		enum host_variant hv = (enum host_variant)v;
		cr_assert(host_applies(hv, HS_CREATE));
		cr_assert_eq(host_applies(hv, HS_EXIT_WAIT), hv != HV_POSIX_SPAWN);
		cr_assert_eq(host_applies(hv, HS_EXEC_WAIT), hv != HV_THREAD);
		cr_assert_eq(host_applies(hv, HS_COW), hv == HV_FORK || hv == HV_FORK_THP);
	}
}

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

/* ---- TSC ------------------------------------------------------------------ */

Test(host_tsc, median)
{
	uint64_t v[] = { 9, 1, 5, 3, 7 };
	cr_assert_eq(host_median_u64(v, 5), 5);
	uint64_t w[] = { 4, 2 };
	cr_assert_eq(host_median_u64(w, 2), 4); /* upper median, as the guest */
	cr_assert_eq(host_median_u64(NULL, 0), 0);
}

Test(host_tsc, overhead_is_sane)
{
	host_tsc_rdtscp = host_cpu_has_rdtscp();
	uint64_t c = host_tsc_measure_overhead(1001);
	cr_assert(c > 0 && c < 100000, "empty region costs %llu cycles",
		  (unsigned long long)c);
	host_tsc_init();
	cr_assert(host_tsc_overhead > 0 && host_tsc_overhead < 100000);
}

Test(host_tsc, khz_is_plausible)
{
	unsigned long khz = host_tsc_khz(50);
	cr_assert(khz >= 100000 && khz <= 10000000, "tsc_khz %lu", khz);
}

Test(host_tsc, cycles_subtract_overhead_never_below_zero)
{
	host_tsc_overhead = 30;
	cr_assert_eq(host_tsc_cycles(100, 1100), 970);
	cr_assert_eq(host_tsc_cycles(100, 110), 0);
	cr_assert_eq(host_tsc_cycles(100, 90), 0); /* other CPU, behind */
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
	switch (s) {
	case HS_CREATE: return v == HV_POSIX_SPAWN ? spawn : create;
	case HS_EXIT_WAIT: return exit_wait;
	case HS_EXEC_WAIT: return exec_wait;
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
