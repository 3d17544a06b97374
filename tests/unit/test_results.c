/* The results writer: CSV rows from records, quoting, all-or-nothing files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "csvjson.h"
#include "fb_vocab.h"
#include "results.h"
#include "validity.h"

static char dir[] = "/tmp/fbresultsXXXXXX";

static void make_dir(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

/* Parse a record line written the way the guest writes it. */
static struct record parsed(const char *body)
{
	char line[FB_REC_LINE_MAX + 1];
	struct record r;
	size_t col;
	char err[256];
	int n = snprintf(line, sizeof(line), "%s", body);
	n += snprintf(line + n, sizeof(line) - (size_t)n, " #%08x",
		      fb_fnv1a32(line, (unsigned long)n));
	cr_assert_eq(rec_parse(line, (size_t)n, &r, &col, err, sizeof(err)), 0,
		     "%s", err);
	return r;
}

Test(results, metric_record_becomes_one_csv_row, .init = make_dir)
{
	char csv[512], err[256];
	snprintf(csv, sizeof(csv), "%s/r.csv", dir);
	struct results res;
	cr_assert_eq(results_open(&res, csv, NULL, err, sizeof(err)), 0);
	struct record a = parsed("@FB1 seq=0 type=metric variant=cow scenario=create "
				 "size=4096 rep=2 metric=cycles_to_return value=123 unit=cycles");
	struct record b = parsed("@FB1 seq=1 type=metric variant=cow scenario=create "
				 "size=4096 rep=2 metric=pmu_cycles value=NA unit=count note=no_pmu");
	struct record other = parsed("@FB1 seq=2 type=test name=x result=pass");
	results_record(&res, &a);
	results_record(&res, &b);
	results_record(&res, &other);
	struct run_facts facts = { 0 };
	cr_assert_eq(results_close(&res, 1, &facts, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(test_slurp(csv),
			 RESULTS_CSV_HEADER "\n"
			 "cow,create,4096,2,cycles_to_return,123,cycles,\n"
			 "cow,create,4096,2,pmu_cycles,NA,count,no_pmu\n");
	cr_assert_eq(res.rows, 2);
}

/* Write one cycles row per vocabulary metric on backend b; the CSV text. */
static char *every_metric_on(enum backend b, const char *name)
{
	char csv[512], err[256], body[256];
	snprintf(csv, sizeof(csv), "%s/%s.csv", dir, name);
	struct results res;
	cr_assert_eq(results_open(&res, csv, NULL, err, sizeof(err)), 0);
	res.backend = b;
	for (int m = 0; m < FB_M_COUNT; m++) {
		snprintf(body, sizeof(body), "@FB1 seq=%d type=metric variant=cow "
			 "scenario=create size=4096 rep=0 metric=%s value=7 "
			 "unit=%s", m, fb_metric_names[m], fb_metric_units[m]);
		struct record r = parsed(body);
		results_record(&res, &r);
	}
	struct run_facts facts = { 0 };
	cr_assert_eq(results_close(&res, 1, &facts, err, sizeof(err)), 0, "%s", err);
	return test_slurp(csv);
}

/* The value and unit columns of METRIC's row in a CSV text. */
static void value_unit_of(const char *text, const char *metric, char *value,
			  char *unit, size_t len)
{
	char key[128];
	snprintf(key, sizeof(key), ",%s,", metric);
	const char *p = strstr(text, key);
	cr_assert_not_null(p, "no row for %s", metric);
	p += strlen(key);
	size_t n = strcspn(p, ",\n");
	snprintf(value, len, "%.*s", (int)n, p);
	p += n + 1;
	n = strcspn(p, ",\n");
	snprintf(unit, len, "%.*s", (int)n, p);
}

static void unit_of(const char *text, const char *metric, char *out, size_t len)
{
	char value[64];
	value_unit_of(text, metric, value, out, len);
}

/* The probes' timings by name: the tlb_/cache_ metrics counted in cycles. */
static int is_probe_timing_name(const char *name)
{
	return strncmp(name, "tlb_cycles", 10) == 0 ||
	       strncmp(name, "cache_cycles", 12) == 0 ||
	       strcmp(name, "cache_tlb_refill_cycles") == 0;
}

/* Under TCG nothing is cached: a probe timing is NA with the reason. */
Test(results, tcg_probe_timings_are_na, .init = make_dir)
{
	static const enum backend tcg[] = { BACKEND_QEMU_TCG_DET, BACKEND_QEMU_TCG };
	char value[64], unit[64], name[16];
	int probes = 0;
	for (size_t i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		char *text = every_metric_on(tcg[i], name);
		for (int m = 0; m < FB_M_COUNT; m++) {
			value_unit_of(text, fb_metric_names[m], value, unit,
				      sizeof(value));
			int probe = is_probe_timing_name(fb_metric_names[m]);
			probes += probe;
			cr_assert_str_eq(value, probe ? "NA" : "7", "%s",
					 fb_metric_names[m]);
		}
		cr_assert_not_null(strstr(text, ",tlb_cycles_after,NA,"));
		cr_assert_not_null(strstr(text, "no_tlb_or_cache_timing_under_tcg"));
	}
	cr_assert_eq(probes, 2 * 9, "9 probe timings: 4 tlb, 4 cache, 1 refill");
	char *kvm = every_metric_on(BACKEND_KVM, "k");
	cr_assert_null(strstr(kvm, ",NA,"));
}

Test(results, qemu_tcg_det_timings_are_instructions, .init = make_dir)
{
	char *text = every_metric_on(BACKEND_QEMU_TCG_DET, "det");
	char unit[32];
	for (int m = 0; m < FB_M_COUNT; m++) {
		unit_of(text, fb_metric_names[m], unit, sizeof(unit));
		if (fb_metric_kinds[m] == FB_K_TIMING)
			cr_assert_str_eq(unit, "instructions", "%s",
					 fb_metric_names[m]);
		else
			cr_assert_str_eq(unit, fb_metric_units[m], "%s",
					 fb_metric_names[m]);
	}
	cr_assert_null(strstr(text, ",cycles,"));
}

Test(results, other_backends_keep_tsc_cycles, .init = make_dir)
{
	static const enum backend keep[] = { BACKEND_KVM, BACKEND_QEMU_KVM,
					     BACKEND_QEMU_TCG };
	char unit[32], name[16];
	for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++) {
		snprintf(name, sizeof(name), "b%zu", i);
		char *text = every_metric_on(keep[i], name);
		cr_assert_null(strstr(text, ",instructions,"), "%s",
			       backend_name(keep[i]));
		unit_of(text, "cycles_to_return", unit, sizeof(unit));
		cr_assert_str_eq(unit, "cycles");
	}
}

Test(results, discarded_run_leaves_nothing, .init = make_dir)
{
	char csv[512], err[256], cmd[600];
	snprintf(csv, sizeof(csv), "%s/gone.csv", dir);
	struct results res;
	cr_assert_eq(results_open(&res, csv, NULL, err, sizeof(err)), 0);
	struct run_facts facts = { 0 };
	cr_assert_eq(results_close(&res, 0, &facts, err, sizeof(err)), 0);
	cr_assert_neq(access(csv, F_OK), 0, "CSV exists after a failed run");
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls %s)\"", dir);
	cr_assert_eq(system(cmd), 0, "temporary file left in %s", dir);
}

Test(results, unwritable_csv_is_an_error)
{
	struct results res;
	char err[256] = "";
	cr_assert_lt(results_open(&res, "/nonexistent/x.csv", NULL, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/nonexistent/x.csv"), "%s", err);
}

Test(results, csv_quoting)
{
	char buf[128];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	csv_field(f, "plain");
	fputc('|', f);
	csv_field(f, "a,b");
	fputc('|', f);
	csv_field(f, "say \"hi\"");
	fclose(f);
	cr_assert_str_eq(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
}

/* One row writer for every result CSV: NULL is an empty field. */
Test(results, csv_row)
{
	char buf[128];
	const char *cols[] = { "a", NULL, "b,c", "" };
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	csv_row(f, cols, 4);
	fclose(f);
	cr_assert_str_eq(buf, "a,,\"b,c\",\n");
}

/*
 * A guest calibration: the loop's TSC cycles and the four operations in
 * the order of FB_OPS (cr3_reload, invlpg, pf_round_trip, copy_4k).
 */
static struct guest_calib calib(uint64_t alu, uint64_t cr3, uint64_t invlpg,
				uint64_t pf, uint64_t copy)
{
	struct guest_calib g = { alu, 1, { cr3, invlpg, pf, copy } };
	return g;
}

/* The host loop at one TSC cycle per iteration: core cycles = TSC cycles. */
#define HOST_1X 100000u

Test(validity, hardware_guest_in_every_range_is_valid)
{
	struct validity v;
	struct guest_calib g = calib(110000, 200, 100, 500, 300);
	validity_judge(BACKEND_KVM, &g, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "valid", "%s", v.why);
	cr_assert_float_eq(v.ratio, 1.1, 1e-9);
	cr_assert_float_eq(v.op_core[FB_OP_PF_ROUND_TRIP], 500.0, 1e-9);
}

Test(validity, loop_band_is_two_sided)
{
	struct validity v;
	struct guest_calib fast = calib(70000, 200, 100, 500, 300);
	validity_judge(BACKEND_KVM, &fast, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "suspect");
	cr_assert_not_null(strstr(v.why, "alu_loop guest/host ratio 0.70"), "%s",
			   v.why);
	struct guest_calib slow = calib(130000, 200, 100, 500, 300);
	validity_judge(BACKEND_KVM, &slow, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "suspect");
	cr_assert_not_null(strstr(v.why, "ratio 1.30"), "%s", v.why);
}

/* Shadow paging: the loop at native speed, CR3 loads and faults trap. */
Test(validity, trapped_operations_are_named)
{
	struct validity v;
	struct guest_calib g = calib(100000, 40000, 100, 90000, 300);
	validity_judge(BACKEND_KVM, &g, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "suspect");
	cr_assert_not_null(strstr(v.why, "cr3_reload 40000 core cycles"), "%s",
			   v.why);
	cr_assert_not_null(strstr(v.why, "pf_round_trip 90000"), "%s", v.why);
	cr_assert_null(strstr(v.why, "invlpg"), "%s", v.why);
	cr_assert_null(strstr(v.why, "alu_loop"), "%s", v.why);
	cr_assert_eq(v.op_state[FB_OP_CR3_RELOAD], OP_TOO_SLOW);
	cr_assert_eq(v.op_state[FB_OP_INVLPG], OP_OK);
}

/* A TSC twice the core clock: 2400 TSC cycles are 1200 core cycles. */
Test(validity, operations_in_core_cycles_through_the_host_loop)
{
	struct validity v;
	struct guest_calib g = calib(200000, 2400, 100, 500, 300);
	validity_judge(BACKEND_KVM, &g, 2 * HOST_1X, &v);
	cr_assert_float_eq(v.op_core[FB_OP_CR3_RELOAD], 1200.0, 1e-9);
	cr_assert_str_eq(v.verdict, "valid", "%s", v.why);
	validity_judge(BACKEND_KVM, &g, HOST_1X, &v); /* 2400 core: too slow */
	cr_assert_str_eq(v.verdict, "suspect");
}

/*
 * Nested under an emulator: host and guest loops equally slow (ratio 1),
 * 6.6 TSC cycles per iteration. The operations are then judged in TSC
 * cycles as they are, not scaled down by the host's slowness.
 */
Test(validity, an_emulated_host_is_named_and_ops_not_scaled)
{
	struct validity v;
	struct guest_calib g = calib(671000, 6972, 500, 900, 2940);
	validity_judge(BACKEND_KVM, &g, 660000, &v);
	cr_assert_str_eq(v.verdict, "suspect");
	cr_assert_eq(v.host_ok, 0);
	cr_assert_not_null(strstr(v.why, "host_loop 6.60 TSC cycles"), "%s", v.why);
	cr_assert_float_eq(v.op_core[FB_OP_CR3_RELOAD], 6972.0, 1e-9);
	cr_assert_not_null(strstr(v.why, "cr3_reload 6972"), "%s", v.why);
	cr_assert_not_null(strstr(v.why, "copy_4k 2940"), "%s", v.why);
}

Test(validity, other_verdicts)
{
	struct validity v;
	struct guest_calib soft = calib(9000000, 3000000, 900000, 9000000, 7000000);
	validity_judge(BACKEND_KVM, &soft, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "emulated");
	cr_assert_float_eq(v.ratio, 90.0, 1e-9);
	cr_assert_not_null(strstr(v.why, "cr3_reload"), "%s", v.why);
	struct guest_calib none = { 0 };
	validity_judge(BACKEND_QEMU_KVM, &none, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "unknown");
	struct guest_calib no_ops = { 100000, 0, { 0 } };
	validity_judge(BACKEND_KVM, &no_ops, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "suspect");
	struct guest_calib any = calib(1000, 1, 1, 1, 1);
	validity_judge(BACKEND_QEMU_TCG_DET, &any, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "deterministic");
	cr_assert_eq(v.op_state[FB_OP_CR3_RELOAD], OP_NOT_JUDGED);
	validity_judge(BACKEND_QEMU_TCG, &any, HOST_1X, &v);
	cr_assert_str_eq(v.verdict, "emulated");
}

Test(validity, host_loop_is_measured)
{
	cr_assert_gt(validity_host_cycles(), 0);
}
