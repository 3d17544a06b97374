/*
 * Unit tests for lib/hostinfo.c: collection on this machine (the values
 * are logged so --verbose shows what a result would record), the JSON writer
 * and escaper, and the CPUID TLB decoders on known register dumps, since
 * one machine exercises only one vendor's path.
 *
 * Run from the top of the source tree (tests/run.sh does): "." is the
 * tree whose git revision is collected.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvjson.h"
#include "hostinfo.h"

/* ---- helpers ------------------------------------------------------------ */

static struct hostinfo collect(void)
{
	struct hostinfo h;
	char err[512];
	int rc = hostinfo_collect(&h, ".", err, sizeof err);

	cr_assert_eq(rc, 0, "hostinfo_collect: %s", err);
	if (err[0])
		cr_log_info("hostinfo notes: %s", err);
	return h;
}

/* h as JSON text; the caller frees it. */
static char *to_json(const struct hostinfo *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(hostinfo_write_json(h, f), 0);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* Escape s into a buffer the exact size needed, checking the length. */
static char *escaped(const char *s)
{
	size_t need = json_escape(NULL, 0, s);
	char *buf = malloc(need + 1);

	cr_assert_not_null(buf);
	cr_assert_eq(json_escape(buf, need + 1, s), need);
	cr_assert_eq(strlen(buf), need);
	return buf;
}

/*
 * As far as a simple scan can tell, text is one JSON object: braces at
 * both ends and every string closed (a backslash escapes the next byte).
 */
static int looks_like_object(const char *text)
{
	size_t n = strlen(text);
	int in_str = 0;

	if (n < 2 || text[0] != '{' || text[n - 1] != '}')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (in_str && text[i] == '\\')
			i++;
		else if (text[i] == '"')
			in_str = !in_str;
	}
	return !in_str;
}

static const char *const keys[] = {
	"cpu_vendor", "cpu_brand",   "family",      "model",
	"stepping",   "l1d_kb",      "l2_kb",       "l3_kb",
	"cache_line", "dtlb_l1_4k",  "itlb_l1_4k",  "stlb_4k",
	"has_pcid",   "has_invpcid", "has_rdtscp",  "has_pdpe1gb",
	"has_vmx",    "has_svm",     "hypervisor",  "pmu_version",
	"kernel",     "git_rev",
};

static int matches(const char *pattern, const char *s)
{
	regex_t re;
	int rc;

	cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&re, s, 0, NULL, 0);
	regfree(&re);
	return rc == 0;
}

static struct hostinfo all_unknown(void)
{
	struct hostinfo h;

	memset(&h, 0xff, sizeof h); /* every int -1 */
	strcpy(h.cpu_vendor, "unknown");
	strcpy(h.cpu_brand, "unknown");
	strcpy(h.kernel, "unknown");
	strcpy(h.git_rev, "unknown");
	return h;
}

/* ---- collection on this machine ---------------------------------------- */

/*
 * What was collected is logged with cr_log_info, seen with --verbose
 * (build/tests/test_hostinfo --verbose): with --tap=-, as tests/run.sh
 * runs it, Criterion discards the tests' stdout and stderr.
 */
Test(hostinfo, collect_reports_this_machine)
{
	struct hostinfo h = collect();
	char *json = to_json(&h);

	cr_log_info("hostinfo: %s", json);
	cr_log_info("cpu: %s / %s, family %d model %d stepping %d",
		    h.cpu_vendor, h.cpu_brand, h.family, h.model, h.stepping);
	cr_log_info("caches: L1d %d KB, L2 %d KB, L3 %d KB, line %d B",
		    h.l1d_kb, h.l2_kb, h.l3_kb, h.cache_line);
	cr_log_info("4K TLB entries: L1 DTLB %d, L1 ITLB %d, STLB %d",
		    h.dtlb_l1_4k, h.itlb_l1_4k, h.stlb_4k);
	cr_log_info("pcid %d invpcid %d rdtscp %d pdpe1gb %d vmx %d svm %d "
		    "hypervisor %d pmu_version %d",
		    h.has_pcid, h.has_invpcid, h.has_rdtscp, h.has_pdpe1gb,
		    h.has_vmx, h.has_svm, h.hypervisor, h.pmu_version);
	cr_log_info("kernel: %s; git: %s", h.kernel, h.git_rev);
	free(json);
}

Test(hostinfo, cpu_identity)
{
	struct hostinfo h = collect();

	cr_expect_neq(h.cpu_vendor[0], '\0');
	cr_expect_neq(h.cpu_brand[0], '\0');
	cr_expect_gt(h.family, 0);
	cr_expect_geq(h.model, 0);
	cr_expect_geq(h.stepping, 0);
}

Test(hostinfo, numbers_are_known_or_minus_one)
{
	struct hostinfo h = collect();
	const int nums[] = { h.l1d_kb,     h.l2_kb,      h.l3_kb,
			     h.cache_line, h.dtlb_l1_4k, h.itlb_l1_4k,
			     h.stlb_4k,    h.pmu_version };
	const int flags[] = { h.has_pcid, h.has_invpcid, h.has_rdtscp,
			      h.has_pdpe1gb, h.has_vmx, h.has_svm,
			      h.hypervisor };

	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		cr_expect_geq(nums[i], -1, "number %zu is %d", i, nums[i]);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		cr_expect(flags[i] == 0 || flags[i] == 1, "flag %zu is %d", i,
			  flags[i]);
}

Test(hostinfo, kernel_is_linux)
{
	struct hostinfo h = collect();

	cr_expect_eq(strncmp(h.kernel, "Linux", 5), 0, "kernel: %s", h.kernel);
}

Test(hostinfo, git_rev_format)
{
	struct hostinfo h = collect();

	cr_expect(matches("^(unknown|[0-9a-f]{12}(-dirty)?)$", h.git_rev),
		  "git_rev: %s", h.git_rev);
}

Test(hostinfo, git_rev_unknown_outside_a_repo)
{
	struct hostinfo h;
	char err[512];

	cr_assert_eq(hostinfo_collect(&h, "/nonexistent/fb", err, sizeof err),
		     0);
	cr_expect_str_eq(h.git_rev, "unknown");
	cr_expect(strstr(err, "git") != NULL, "err: %s", err);
	cr_assert_eq(hostinfo_collect(&h, NULL, err, sizeof err), 0);
	cr_expect_str_eq(h.git_rev, "unknown");
}

/* ---- JSON --------------------------------------------------------------- */

Test(hostinfo, json_of_this_machine)
{
	struct hostinfo h = collect();
	char *json = to_json(&h);
	char key[64];

	cr_expect(looks_like_object(json), "not an object: %s", json);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(key, sizeof key, "\"%s\": ", keys[i]);
		cr_expect(strstr(json, key) != NULL, "missing %s in %s", key,
			  json);
	}
	free(json);
}

Test(hostinfo, json_unknown_numbers_are_null)
{
	struct hostinfo h = all_unknown();
	char *json = to_json(&h);

	cr_expect(looks_like_object(json), "%s", json);
	cr_expect(strstr(json, "\"dtlb_l1_4k\": null") != NULL, "%s", json);
	cr_expect(strstr(json, "\"itlb_l1_4k\": null") != NULL, "%s", json);
	cr_expect(strstr(json, "\"stlb_4k\": null") != NULL, "%s", json);
	cr_expect(strstr(json, "\"pmu_version\": null") != NULL, "%s", json);
	cr_expect(strstr(json, "-1") == NULL, "%s", json);
	cr_expect(strstr(json, "\"git_rev\": \"unknown\"") != NULL, "%s",
		  json);
	free(json);
}

Test(hostinfo, json_known_numbers_and_flags)
{
	struct hostinfo h = all_unknown();
	char *json;

	h.dtlb_l1_4k = 64;
	h.has_vmx = 0;
	h.hypervisor = 1;
	json = to_json(&h);
	cr_expect(strstr(json, "\"dtlb_l1_4k\": 64,") != NULL, "%s", json);
	cr_expect(strstr(json, "\"has_vmx\": 0,") != NULL, "%s", json);
	cr_expect(strstr(json, "\"hypervisor\": 1,") != NULL, "%s", json);
	free(json);
}

Test(hostinfo, json_escapes_strings)
{
	struct hostinfo h = all_unknown();
	char *json;

	strcpy(h.cpu_brand, "A \"quoted\" \\ brand\n\x01");
	json = to_json(&h);
	cr_expect(looks_like_object(json), "%s", json);
	cr_expect(strstr(json, "\"cpu_brand\": "
			       "\"A \\\"quoted\\\" \\\\ brand\\u000a\\u0001\"")
			  != NULL,
		  "%s", json);
	free(json);
}

Test(hostinfo, json_unterminated_field_stays_in_bounds)
{
	struct hostinfo h = all_unknown();
	char *json;

	/* No terminator: the writer must stop at the array's end. */
	memset(h.cpu_vendor, 'V', sizeof h.cpu_vendor);
	json = to_json(&h);
	cr_expect(strstr(json, "\"cpu_vendor\": \"VVVVVVVVVVVVVVVV\", ") !=
			  NULL,
		  "%s", json);
	free(json);
}

/* ---- escaping helper ---------------------------------------------------- */

Test(hostinfo, escape_tricky_strings)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain (R) text", "plain (R) text" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "C:\\dir\\", "C:\\\\dir\\\\" },
		{ "line\n", "line\\u000a" },
		{ "\x01", "\\u0001" },
		{ "\t\r\x1f", "\\u0009\\u000d\\u001f" },
		{ "\\\"", "\\\\\\\"" },
		{ "\x7f caf\xc3\xa9", "\x7f caf\xc3\xa9" }, /* DEL, UTF-8 kept */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = escaped(cases[i].in);

		cr_expect_str_eq(got, cases[i].out, "case %zu", i);
		free(got);
	}
}

Test(hostinfo, escape_truncates_whole_sequences)
{
	char buf[8];

	/* "ab" + \u0001 (6) needs 8 bytes: with 8 room, the escape won't fit. */
	cr_expect_eq(json_escape(buf, sizeof buf, "ab\x01" "c"), 9);
	cr_expect_str_eq(buf, "ab");
	cr_expect_eq(json_escape(buf, 4, "a\"b"), 4);
	cr_expect_str_eq(buf, "a\\\"");
	cr_expect_eq(json_escape(buf, 3, "a\"b"), 4);
	cr_expect_str_eq(buf, "a");
	cr_expect_eq(json_escape(buf, 1, "xyz"), 3);
	cr_expect_str_eq(buf, "");
}

/* ---- TLB decoders ------------------------------------------------------- */

static void expect_tlb(struct hostinfo_tlb t, int d, int i, int s)
{
	cr_expect_eq(t.dtlb_l1_4k, d, "dtlb %d, want %d", t.dtlb_l1_4k, d);
	cr_expect_eq(t.itlb_l1_4k, i, "itlb %d, want %d", t.itlb_l1_4k, i);
	cr_expect_eq(t.stlb_4k, s, "stlb %d, want %d", t.stlb_4k, s);
}

/*
 * Leaf 0x18 of an Alder Lake P-core (Golden Cove), from a published
 * dump: null subleaf 0; L1 ITLB 8x32 for 4K; store-only L1 16 entries;
 * load-only L1 4x16 for 4K; two unified L2 arrays of 8x128 that both
 * hold 4K pages (2048 in all).
 */
Test(hostinfo, leaf18_golden_cove)
{
	static const uint32_t sub[][4] = {
		{ 0x00000008, 0x00000000, 0x00000000, 0x00000000 },
		{ 0x00000000, 0x00080001, 0x00000020, 0x00004022 },
		{ 0x00000000, 0x00080006, 0x00000004, 0x00004022 },
		{ 0x00000000, 0x0010000f, 0x00000001, 0x00004125 },
		{ 0x00000000, 0x00040001, 0x00000010, 0x00004024 },
		{ 0x00000000, 0x00040006, 0x00000008, 0x00004024 },
		{ 0x00000000, 0x00080008, 0x00000001, 0x00004124 },
		{ 0x00000000, 0x00080007, 0x00000080, 0x00004043 },
		{ 0x00000000, 0x00080009, 0x00000080, 0x00004043 },
	};
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf18(sub, sizeof sub / sizeof sub[0], &t);
	expect_tlb(t, 64, 256, 2048);
}

Test(hostinfo, leaf18_data_tlb_preferred_over_load_only)
{
	static const uint32_t sub[][4] = {
		/* level 1 load-only, 4K, 4x16 */
		{ 0x00000002, 0x00040001, 0x00000010, 0x00000024 },
		/* level 1 data, 4K, 4x8 */
		{ 0x00000000, 0x00040001, 0x00000008, 0x00000021 },
		/* level 1 data, 2M only: not a 4K structure */
		{ 0x00000000, 0x00040002, 0x00000008, 0x00000021 },
	};
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf18(sub, sizeof sub / sizeof sub[0], &t);
	expect_tlb(t, 32, -1, -1);
}

Test(hostinfo, leaf18_empty_is_unknown)
{
	static const uint32_t sub[][4] = { { 0, 0, 0, 0 } };
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf18(sub, 1, &t);
	expect_tlb(t, -1, -1, -1);
}

/* Descriptors as Nehalem..Haswell-era cores report them: 03 DTLB 64,
   B2 ITLB 64, CA STLB 512, plus large-page TLBs, caches and prefetch. */
Test(hostinfo, leaf2_common_descriptors)
{
	static const uint32_t regs[4] = { 0x76035a01, 0x00f0b2ff, 0x00000000,
					  0x00ca0000 };
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf2(regs, &t);
	expect_tlb(t, 64, 64, 512);
}

Test(hostinfo, leaf2_defers_to_leaf18)
{
	/* Golden Cove: FE "see leaf 0x18", FF "see leaf 4", F0 prefetch. */
	static const uint32_t regs[4] = { 0x00feff01, 0x000000f0, 0, 0 };
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf2(regs, &t);
	expect_tlb(t, -1, -1, -1);
}

Test(hostinfo, leaf2_ambiguous_data_tlbs_are_unknown)
{
	/* Core 2 style: 57 DTLB0 16 next to B4 DTLB1 256; B0 ITLB 128. */
	static const uint32_t regs[4] = { 0x0057b001, 0x000000b4, 0, 0 };
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf2(regs, &t);
	expect_tlb(t, -1, 128, -1);
}

Test(hostinfo, leaf2_invalid_registers_and_counts)
{
	/* EBX has bit 31 set: its descriptors (B2, CA) do not count. */
	static const uint32_t invalid_ebx[4] = { 0x00000301, 0x80cab200, 0,
						 0 };
	/* AL = 2: the leaf would need several executions. */
	static const uint32_t two_rounds[4] = { 0x00000302, 0, 0, 0 };
	struct hostinfo_tlb t;

	hostinfo_tlb_leaf2(invalid_ebx, &t);
	expect_tlb(t, 64, -1, -1);
	hostinfo_tlb_leaf2(two_rounds, &t);
	expect_tlb(t, -1, -1, -1);
}

/* This machine's AMD EPYC (Milan) values: L1 DTLB/ITLB 64 fully
   associative, L2 DTLB 2048 (6 = 8-way), L2 ITLB 512 not reported. */
Test(hostinfo, amd_tlb_leaves)
{
	const uint32_t ebx5 = 0xff40ff40, ebx6 = 0x68004200;
	const uint32_t off5 = 0x00400040, off6 = 0x08000200;
	struct hostinfo_tlb t;

	hostinfo_tlb_amd(&ebx5, &ebx6, &t);
	expect_tlb(t, 64, 64, 2048);
	hostinfo_tlb_amd(&ebx5, NULL, &t);
	expect_tlb(t, 64, 64, -1);
	hostinfo_tlb_amd(NULL, NULL, &t);
	expect_tlb(t, -1, -1, -1);
	/* Associativity 0 (reserved / L2 off): the sizes mean nothing. */
	hostinfo_tlb_amd(&off5, &off6, &t);
	expect_tlb(t, -1, -1, -1);
}
