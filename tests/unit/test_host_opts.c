/*
 * forkbench host's options: list and option parsing, which scenario
 * applies where, and TSC calibration sanity.
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
	/*
	 * create 7 + exit_wait 6 + exec_wait 6 + cow 2 + tlb 7 + cache 7,
	 * times 7 sizes
	 */
	cr_assert_eq(host_config_count(&o), 35 * 7);
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
	EXPECT_BAD("--scenarios 'phases': unknown scenario", "--scenarios",
		   "phases");
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
