/*
 * The meta.json reader (bench/meta.c, json-c) and the one writer
 * (bench/rsmeta.c): values by path, nothing matched by a nested key of
 * the same name, malformed files refused, and what the writer writes
 * reads back.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meta.h"
#include "rsmeta.h"

static char path[] = "/tmp/fbmetaXXXXXX";

/* A file holding text; removed at the test's end. */
static const char *file(const char *text)
{
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void cleanup(void)
{
	unlink(path);
	strcpy(path, "/tmp/fbmetaXXXXXX");
}

TestSuite(meta, .fini = cleanup);

static const char *const nested =
	"{\"backend\": \"kvm\", \"a\": {\"verdict\": \"inner\"},\n"
	" \"validity\": {\"verdict\": \"valid\", \"ratio\": 1.250,\n"
	"   \"why\": \"say \\\"so\\\"\\n\", \"deep\": {\"x\": 7}},\n"
	" \"clock\": {\"tsc_khz\": 2400000, \"src\": null},\n"
	" \"list\": [1, 2], \"flag\": true}\n";

Test(meta, nested_paths)
{
	char out[64];
	double v;
	const char *f = file(nested);
	cr_assert_eq(meta_get(f, "backend", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "kvm");
	cr_assert_eq(meta_get(f, "validity.verdict", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "valid");
	cr_assert_eq(meta_get(f, "validity.why", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "say \"so\"\n"); /* unescaped */
	cr_assert_eq(meta_get(f, "validity.deep.x", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "7");
	cr_assert_eq(meta_get(f, "flag", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "true");
	cr_assert_eq(meta_get_number(f, "clock.tsc_khz", &v), 0);
	cr_assert_eq(v, 2400000);
	cr_assert_eq(meta_get_number(f, "validity.ratio", &v), 0);
	cr_assert_float_eq(v, 1.25, 1e-9);
}

Test(meta, missing_null_and_non_scalars_are_errors)
{
	char out[64] = "untouched";
	double v;
	const char *f = file(nested);
	const char *bad[] = { "nope", "validity.nope", "backend.x",
			      "clock.src", "validity", "list", "",
			      "validity.", ".backend", "validity..verdict" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(meta_get(f, bad[i], out, sizeof(out)), -1, "%s",
			     bad[i]);
	cr_expect_eq(meta_get_number(f, "validity.verdict", &v), -1);
	cr_expect_eq(meta_get_number(f, "clock.src", &v), -1);
	cr_expect_eq(meta_get("/nonexistent/meta.json", "backend", out,
			      sizeof(out)), -1);
}

/* The old reader's flaw: the first "verdict": anywhere answered. */
Test(meta, a_nested_key_does_not_match_at_the_top)
{
	char out[64];
	const char *f = file(nested);
	cr_assert_eq(meta_get(f, "verdict", out, sizeof(out)), -1);
	cr_assert_eq(meta_get(f, "x", out, sizeof(out)), -1);
	cr_assert_eq(meta_get(f, "tsc_khz", out, sizeof(out)), -1);
}

/* (json-c 0.16 takes 'single-quoted' strings even when strict.) */
Test(meta, malformed_json_is_an_error)
{
	const char *texts[] = { "", "{", "{\"a\": 1", "{\"a\": 1} x",
				"{\"a\": 1}{}", "[1, 2]", "\"a\"",
				"{\"a\": tru}", "{\"a\": 1,}", "{\"a\" 1}" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char out[16];
		const char *f = file(texts[i]);
		cr_expect_eq(meta_get(f, "a", out, sizeof(out)), -1, "%zu: '%s'",
			     i, texts[i]);
		cleanup();
	}
}

Test(meta, cut_to_the_buffer_and_terminated)
{
	char out[4];
	const char *f = file("{\"k\": \"abcdef\"}");
	cr_assert_eq(meta_get(f, "k", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "abc");
	cr_assert_eq(meta_get(f, "k", out, 0), -1);
}

static void kind(struct rsmeta_obj *o, const void *ctx)
{
	rsmeta_string(o, "note", ctx);
	rsmeta_number(o, "none", -1, "%.0f");
}

/* What the one writer writes, the reader finds where the README says. */
Test(meta, the_writer_reads_back)
{
	static const char *const v[] = { "cow" }, *const s[] = { "create" };
	static const uint64_t sizes[] = { 0, 4096 };
	struct hostinfo h = { .cpu_brand = "CPU \"X\"", .kernel = "Linux",
			      .git_rev = "0123456789ab" };
	char *argv[] = { "run", "-o", "dir" };
	struct rsmeta m = {
		.kind = "guest", .created = "2026-01-01T00:00:00Z",
		.command_prefix = "forkbench", .argc = 3, .argv = argv,
		.backend = "qemu-tcg-det", .backend_reason = "given",
		.tsc_khz = 1000000, .tsc_khz_source = "icount",
		.tsc_overhead_cycles = -1, .verdict = "deterministic",
		.why = "a \\ b", .ratio = -1,
		.sweep = { v, s, 1, 1, sizes, 2, 3, 1, 2, "2M" },
		.planned = 2, .ok = 1, .not_run = 1, .wall_s = -1,
		.kind_members = kind, .kind_ctx = "n\"1", .host = &h,
	};
	char *text;
	size_t len;
	FILE *mem = open_memstream(&text, &len);
	cr_assert_eq(rsmeta_write(mem, &m), 0);
	fclose(mem);
	const char *f = file(text);
	free(text);
	char out[64];
	double d;
	const struct { const char *path, *want; } want[] = {
		{ "schema", RSMETA_SCHEMA }, { "kind", "guest" },
		{ "command", "forkbench run -o dir" },
		{ "git_revision", "0123456789ab" },
		{ "clock.tsc_khz_source", "icount" },
		{ "validity.verdict", "deterministic" },
		{ "validity.why", "a \\ b" }, { "sweep.shard", "1/2" },
		{ "sweep.parent_pages", "2M" },
		{ "sweep.reps", "3" }, { "configs.not_run", "1" },
		{ "guest.note", "n\"1" }, { "host.cpu_brand", "CPU \"X\"" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		cr_expect_eq(meta_get(f, want[i].path, out, sizeof(out)), 0,
			     "%s", want[i].path);
		cr_expect_str_eq(out, want[i].want, "%s", want[i].path);
	}
	cr_expect_eq(meta_get_number(f, "clock.tsc_khz", &d), 0);
	cr_expect_eq(d, 1000000);
	/* null where the writer was given nothing */
	cr_expect_eq(meta_get(f, "validity.ratio", out, sizeof(out)), -1);
	cr_expect_eq(meta_get(f, "overhead", out, sizeof(out)), -1);
	cr_expect_eq(meta_get(f, "guest.none", out, sizeof(out)), -1);
	cr_expect_eq(meta_get(f, "clock.tsc_overhead_cycles", out,
			      sizeof(out)), -1);
}
