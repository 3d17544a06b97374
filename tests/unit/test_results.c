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

/* The unit column of METRIC's row in a CSV text. */
static void unit_of(const char *text, const char *metric, char *out, size_t len)
{
	char key[128];
	snprintf(key, sizeof(key), ",%s,7,", metric);
	const char *p = strstr(text, key);
	cr_assert_not_null(p, "no row for %s", metric);
	p += strlen(key);
	size_t n = strcspn(p, ",\n");
	snprintf(out, len, "%.*s", (int)n, p);
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

Test(validity, verdicts)
{
	struct validity v;
	validity_judge(BACKEND_KVM, 1100, 1000, &v);
	cr_assert_str_eq(v.verdict, "valid");
	validity_judge(BACKEND_KVM, 9000000, 1000, &v);
	cr_assert_str_eq(v.verdict, "emulated");
	cr_assert_float_eq(v.ratio, 9000.0, 1e-9);
	validity_judge(BACKEND_QEMU_KVM, 0, 1000, &v);
	cr_assert_str_eq(v.verdict, "unknown");
	validity_judge(BACKEND_QEMU_TCG_DET, 1000, 1000, &v);
	cr_assert_str_eq(v.verdict, "deterministic");
	validity_judge(BACKEND_QEMU_TCG, 1000, 1000, &v);
	cr_assert_str_eq(v.verdict, "emulated");
}

Test(validity, host_loop_is_measured)
{
	cr_assert_gt(validity_host_cycles(), 0);
}
