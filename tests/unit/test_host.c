/*
 * forkbench host's pure pieces: list and option parsing, which scenario
 * applies where, TSC calibration sanity, one repetition's rows, and the
 * result-set files.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "host_measure.h"
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
	cr_assert_eq(o.reps, 9);
	cr_assert_eq(o.writes, 64);
	cr_assert_null(o.out);
	cr_assert_eq(o.n_sizes, 7);
	cr_assert_eq(o.sizes[0], 0);
	cr_assert_eq(o.sizes[6], 1ull << 30);
	cr_assert_eq(o.variants, (1u << HV_COUNT) - 1);
	cr_assert_eq(o.scenarios, (1u << HS_COUNT) - 1);
	/* create 6 + exit_wait 5 + exec_wait 5 + cow 1, times 7 sizes */
	cr_assert_eq(host_config_count(&o), 17 * 7);
}

Test(host_opts, every_option_both_spellings)
{
	cr_assert_eq(PARSE("--sizes", "4K,1M", "--reps=3", "--variants",
			   "linux_vfork", "--scenarios=create,cow",
			   "--writes", "8", "--out=/tmp/x"), HOST_RUN, "%s", err);
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
		cr_assert_eq(host_applies(hv, HS_COW), hv == HV_FORK);
	}
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

/* ---- one repetition ------------------------------------------------------ */

static struct host_env env;
static struct host_region region;
static struct metric_table rows;

static void rep_setup(void)
{
	host_tsc_init();
	cr_assert_eq(host_env_init(&env, 64, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(host_region_map(&region, 16 * 4096, err, sizeof(err)), 0,
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

/* Every applicable pair gives exactly its metrics, labelled and valued. */
Test(host_rep, metrics_of_every_pair, .init = rep_setup, .fini = rep_teardown)
{
	for (unsigned v = 0; v < HV_COUNT; v++)
		for (unsigned s = 0; s < HS_COUNT; s++) {
			enum host_variant hv = (enum host_variant)v;
			enum host_scenario hs = (enum host_scenario)s;
			if (!host_applies(hv, hs))
				continue;
			rows.n = 0;
			cr_assert_eq(host_measure(&env, hv, hs, &region, 4, &rows,
						  err, sizeof(err)), 0, "%s %s: %s",
				     host_variant_names[v], host_scenario_names[s],
				     err);
			size_t want = hs == HS_COW ? 3
				      : hs == HS_CREATE ? (hv == HV_POSIX_SPAWN ? 1 : 2)
				      : 1;
			cr_assert_eq(rows.n, want, "%s %s: %zu rows",
				     host_variant_names[v], host_scenario_names[s],
				     rows.n);
			for (size_t i = 0; i < rows.n; i++) {
				const struct metric_row *r = &rows.rows[i];
				cr_assert_str_eq(r->variant, host_variant_names[v]);
				cr_assert_str_eq(r->scenario, host_scenario_names[s]);
				cr_assert_eq(r->size, 16 * 4096);
				cr_assert_eq(r->rep, 4);
				cr_assert(r->has_value);
			}
		}
}

Test(host_rep, cow_writes_at_most_the_parent, .init = rep_setup,
     .fini = rep_teardown)
{
	cr_assert_eq(host_measure(&env, HV_FORK, HS_COW, &region, 0, &rows, err,
				  sizeof(err)), 0, "%s", err);
	cr_assert_eq(row("pages_written")->value, 16);
	cr_assert_str_eq(row("cycles_per_write")->unit, "cycles");
	cr_assert_eq(row("write_cycles_total")->value >=
			     16 * row("cycles_per_write")->value, 1);
}

Test(host_rep, cow_without_pages_is_na, .init = rep_setup, .fini = rep_teardown)
{
	struct host_region none;
	cr_assert_eq(host_region_map(&none, 0, err, sizeof(err)), 0);
	cr_assert_eq(host_measure(&env, HV_FORK, HS_COW, &none, 0, &rows, err,
				  sizeof(err)), 0, "%s", err);
	cr_assert_eq(rows.n, 1);
	cr_assert_not(rows.rows[0].has_value);
	cr_assert_str_eq(rows.rows[0].note, "parent_has_no_pages");
}

Test(host_rep, not_applicable_is_refused, .init = rep_setup,
     .fini = rep_teardown)
{
	cr_assert_eq(host_measure(&env, HV_THREAD, HS_EXEC_WAIT, &region, 0,
				  &rows, err, sizeof(err)), -1);
	cr_assert(strstr(err, "does not apply"), "%s", err);
	cr_assert_eq(rows.n, 0);
}

Test(host_rep, a_parent_beyond_memory_fails_cleanly)
{
	struct host_region r;
	cr_assert_eq(host_region_map(&r, 1ull << 46, err, sizeof(err)), -1);
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
				.tsc_khz = 2400000, .planned = 2 };
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
