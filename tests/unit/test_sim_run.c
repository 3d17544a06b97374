/*
 * fbvmm's side of the fbsim model (vmm/simrun.c): the guest's sim records
 * matched to the plugin's regions by number and tag, as sim_* rows; a
 * region missing, under another tag, or counted without a model fails.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "fb_sim.h"
#include "fb_vocab.h"
#include "simrun.h"

static char dir[] = "/tmp/fbsimrunXXXXXX";
static char out[600];

static void make_dir(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/fbsim.txt", dir);
}

/* A record as fbvmm's parser leaves it: type and key=value fields. */
static struct record sim_rec(unsigned rep, const char *pass, unsigned region,
			     unsigned tag)
{
	struct record r;
	char v[5][24];
	memset(&r, 0, sizeof(r));
	strcpy(r.type, "sim");
	snprintf(v[0], sizeof(v[0]), "%u", rep);
	snprintf(v[1], sizeof(v[1]), "%u", region);
	snprintf(v[2], sizeof(v[2]), "%u", tag);
	const char *kv[][2] = { { "variant", "cow" }, { "scenario", "tlb" },
				{ "size", "1048576" }, { "rep", v[0] },
				{ "pass", pass }, { "region", v[1] },
				{ "tag", v[2] } };
	for (size_t i = 0; i < sizeof(kv) / sizeof(*kv); i++) {
		snprintf(r.fields[i].key, sizeof(r.fields[i].key), "%s", kv[i][0]);
		snprintf(r.fields[i].value, sizeof(r.fields[i].value), "%s",
			 kv[i][1]);
	}
	r.nfields = sizeof(kv) / sizeof(*kv);
	return r;
}

static void plugin_output(const char *regions)
{
	FILE *f = fopen(out, "w");
	cr_assert_not_null(f);
	fprintf(f, "fbsim 1 source=zen3 l1d=32/8/64\n%send regions=2 "
		"invlpg_unannounced=0 cr3_writes=4 invlpg=9\n", regions);
	fclose(f);
}

#define REGION(seq, tag, walks)                                             \
	"region " #seq " tag=" #tag " insns=100 loads=40 stores=2 "         \
	"dtlb_l1_misses=40 stlb_misses=" #walks " l1d_misses=3 "            \
	"l2_misses=2 llc_misses=1\n"

/* Two passes of rep 1: before (tag 1) and after (tag 2) of the tlb probe. */
static struct sim_run noted(void)
{
	struct sim_run s;
	memset(&s, 0, sizeof(s));
	snprintf(s.out, sizeof(s.out), "%s", out);
	struct record b = sim_rec(1, "before", 1, FB_SIM_TAG(FB_SIM_PROBE_TLB, 0));
	struct record a = sim_rec(1, "after", 2, FB_SIM_TAG(FB_SIM_PROBE_TLB, 1));
	sim_note(&s, &b);
	sim_note(&s, &a);
	return s;
}

static int write_rows(struct sim_run *s, int sim_on, char *csv, size_t len,
		      char *err, size_t errlen)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	o.sim = sim_on;
	FILE *f = fmemopen(csv, len, "w");
	unsigned long rows = 0;
	int rc = sim_write_rows(s, &o, f, &rows, err, errlen);
	fclose(f);
	return rc < 0 ? -1 : (int)rows;
}

Test(sim_run, each_pass_becomes_its_counts_rows, .init = make_dir)
{
	char csv[8192] = "", err[256] = "";
	plugin_output(REGION(1, 1, 0) REGION(2, 2, 256));
	struct sim_run s = noted();
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)),
		     2 * FB_SIM_COUNT, "%s", err);
	cr_assert(strstr(csv, "cow,tlb,1048576,1,sim_stlb_misses_before,0,count,\n"));
	cr_assert(strstr(csv, "cow,tlb,1048576,1,sim_stlb_misses_after,256,count,\n"));
	cr_assert(strstr(csv, "cow,tlb,1048576,1,sim_insns_after,100,count,\n"));
	cr_assert(strstr(csv, "cow,tlb,1048576,1,sim_llc_misses_before,1,count,\n"));
	cr_assert_str_eq(s.model, "source=zen3 l1d=32/8/64");
	cr_assert(strstr(s.totals, "cr3_writes=4"));
	sim_free(&s);
}

Test(sim_run, a_region_the_model_did_not_count_fails, .init = make_dir)
{
	char csv[8192], err[256] = "";
	plugin_output(REGION(1, 1, 0));
	struct sim_run s = noted();
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "region 2 (cow tlb rep 1 after): not in its output"),
		  "%s", err);
	sim_free(&s);
}

Test(sim_run, another_tag_is_never_shifted_onto_a_pass, .init = make_dir)
{
	char csv[8192], err[256] = "";
	/* the plugin's regions 1 and 2 swapped: a shift by one */
	plugin_output(REGION(1, 2, 0) REGION(2, 1, 256));
	struct sim_run s = noted();
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "another tag than that pass's"), "%s", err);
	sim_free(&s);
}

Test(sim_run, records_without_a_model_fail, .init = make_dir)
{
	char csv[8192], err[256] = "";
	struct sim_run s = noted();
	cr_assert_eq(write_rows(&s, 0, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "no model ran"), "%s", err);
	sim_free(&s);
}

Test(sim_run, marker_errors_and_cut_output_fail, .init = make_dir)
{
	char csv[8192], err[256] = "";
	FILE *f = fopen(out, "w");
	fprintf(f, "fbsim 1 source=zen3\n" REGION(1, 1, 0)
		   "error 2 END tag 2 without a BEGIN\n");
	fclose(f);
	struct sim_run s = noted();
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "markers went wrong"), "%s", err);
	f = fopen(out, "w");
	fprintf(f, "fbsim 1 source=zen3\n" REGION(1, 1, 0) REGION(2, 2, 5));
	fclose(f);
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "has no end line"), "%s", err);
	f = fopen(out, "w");
	fprintf(f, "fbsim 1 source=zen3\nregion 1 tag=1 insns=x\nend\n");
	fclose(f);
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "line 2: not fbsim output"), "%s", err);
	sim_free(&s);
}

Test(sim_run, a_bad_record_is_refused, .init = make_dir)
{
	char csv[8192], err[256] = "";
	struct sim_run s;
	memset(&s, 0, sizeof(s));
	struct record r = sim_rec(1, "before", 1, 1);
	snprintf(r.fields[6].value, sizeof(r.fields[6].value), "999");
	sim_note(&s, &r);
	plugin_output(REGION(1, 1, 0));
	snprintf(s.out, sizeof(s.out), "%s", out);
	cr_assert_eq(write_rows(&s, 1, csv, sizeof(csv), err, sizeof(err)), -1);
	cr_assert(strstr(err, "sim record could not be kept"), "%s", err);
	sim_free(&s);
}
