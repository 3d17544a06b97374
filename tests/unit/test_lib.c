/*
 * lib/: the pieces fbvmm and forkbench share. Writing files whole or not
 * at all, mkdir -p, the UTC formats, the one list rule set, JSON members
 * and file error messages.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "atomic_write.h"
#include "cli.h"
#include "clock.h"
#include "csvjson.h"
#include "errmsg.h"
#include "mkdirp.h"
#include "parse.h"

static char err[1024];
static char dir[] = "/tmp/fblibXXXXXX";

static void make_tmpdir(void)
{
	strcpy(dir, "/tmp/fblibXXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Nothing in dir but the names listed, space-separated and sorted. */
static void only_files(const char *want)
{
	char cmd[256], got[512] = "";
	snprintf(cmd, sizeof(cmd), "ls '%s' | tr '\\n' ' '", dir);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	size_t n = fread(got, 1, sizeof(got) - 1, p);
	got[n] = '\0';
	pclose(p);
	cr_assert_str_eq(got, want);
}

/* ---- atomic_write -------------------------------------------------------- */

Test(atomic_write, writes_then_replaces_leaving_no_temporary,
     .init = make_tmpdir, .fini = remove_tmpdir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/f.csv", dir);
	cr_assert_eq(atomic_write(path, "one\n", 4, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_str_eq(test_slurp(path), "one\n");
	cr_assert_eq(atomic_write(path, "two\n", 4, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_str_eq(test_slurp(path), "two\n");
	only_files("f.csv ");
}

Test(atomic_write, a_missing_directory_names_the_file_and_reason)
{
	cr_assert_eq(atomic_write("/nonexistent/x.csv", "x", 1, err,
				  sizeof(err)), -1);
	cr_assert_str_eq(err, "cannot write /nonexistent/x.csv: No such file "
			      "or directory");
}

Test(atomic_write, staged_files_replace_nothing_until_committed,
     .init = make_tmpdir, .fini = remove_tmpdir)
{
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	cr_assert_eq(atomic_write(a, "old", 3, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(atomic_stage(a, "new", 3, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(atomic_stage(b, "new", 3, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(test_slurp(a), "old");
	atomic_unstage(a);
	atomic_unstage(b);
	only_files("a ");
	cr_assert_eq(atomic_stage(a, "new", 3, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(atomic_commit(a, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(test_slurp(a), "new");
	only_files("a ");
}

Test(atomic_write, a_stream_is_kept_or_thrown_away, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
	char path[256];
	struct atomic_file f;
	snprintf(path, sizeof(path), "%s/rec", dir);
	cr_assert_eq(atomic_open(&f, path, err, sizeof(err)), 0, "%s", err);
	fputs("dropped\n", f.f);
	cr_assert_eq(atomic_close(&f, 0, err, sizeof(err)), 0);
	only_files("");
	cr_assert_eq(atomic_open(&f, path, err, sizeof(err)), 0, "%s", err);
	fputs("kept\n", f.f);
	cr_assert_eq(atomic_close(&f, 1, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(test_slurp(path), "kept\n");
	only_files("rec ");
	cr_assert_eq(atomic_open(&f, "/nonexistent/rec", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "cannot write /nonexistent/rec: No such file or "
			      "directory");
}

/* ---- mkdirp -------------------------------------------------------------- */

Test(mkdirp, parents_made_and_existing_ones_kept, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "%s/a//b/c/", dir);
	cr_assert_eq(mkdirp(path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(mkdirp(path, err, sizeof(err)), 0, "%s", err);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
}

Test(mkdirp, a_file_in_the_way_is_named, .init = make_tmpdir,
     .fini = remove_tmpdir)
{
	char file[256], path[300], want[400];
	snprintf(file, sizeof(file), "%s/file", dir);
	cr_assert_eq(atomic_write(file, "x", 1, err, sizeof(err)), 0, "%s",
		     err);
	snprintf(path, sizeof(path), "%s/sub", file);
	errno = 0;
	cr_assert_eq(mkdirp(path, err, sizeof(err)), -1);
	cr_assert_eq(errno, ENOTDIR);
	snprintf(want, sizeof(want), "cannot create %s: Not a directory", file);
	cr_assert_str_eq(err, want);
	cr_assert_eq(mkdirp("", err, sizeof(err)), -1);
}

/* ---- clock --------------------------------------------------------------- */

Test(clock, the_two_utc_spellings)
{
	char iso[32], stamp[32];
	utc_now(iso, sizeof(iso), UTC_ISO8601);
	utc_now(stamp, sizeof(stamp), UTC_STAMP);
	cr_assert_eq(strlen(iso), 20, "%s", iso);
	cr_assert_eq(iso[10], 'T');
	cr_assert_eq(iso[19], 'Z');
	cr_assert_eq(strlen(stamp), 15, "%s", stamp);
	cr_assert_eq(stamp[8], '-');
	/* a buffer too small gets "", not a cut date */
	utc_now(iso, 8, UTC_ISO8601);
	cr_assert_str_eq(iso, "");
	double t0 = now_seconds();
	cr_assert_geq(now_seconds(), t0);
}

/* ---- list parsing -------------------------------------------------------- */

static const char *const colours[] = { "red", "green", "blue" };

Test(parse_list, names_in_the_order_given)
{
	const struct list_spec spec = { "--colours", "colour", 3 };
	unsigned idx[3], n = 0;
	cr_assert_eq(parse_name_list("blue,red", &spec, colours, 3, idx, &n,
				     err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n, 2);
	cr_assert_eq(idx[0], 2);
	cr_assert_eq(idx[1], 0);
}

#define BAD_NAMES(list, max, want)                                           \
	do {                                                                 \
		const struct list_spec spec_ = { "--colours", "colour", max }; \
		unsigned idx_[3], n_ = 0;                                    \
		cr_assert_eq(parse_name_list(list, &spec_, colours, 3, idx_, \
					     &n_, err, sizeof(err)), -1);    \
		cr_assert_str_eq(err, want);                                 \
	} while (0)

Test(parse_list, one_rule_set_for_names)
{
	BAD_NAMES("red,red", 3, "--colours 'red': given twice");
	BAD_NAMES("red,pink", 3,
		  "--colours 'pink': unknown colour (red, green, blue)");
	BAD_NAMES("red,,blue", 3, "--colours '': unknown colour (red, green, "
				  "blue)");
	BAD_NAMES("red,green", 1,
		  "--colours 'green': too many colours (at most 1)");
}

#define BAD_SIZE_LIST(list, want)                                            \
	do {                                                                 \
		const struct list_spec spec_ = { "--sizes", "size", 4 };     \
		uint64_t s_[4];                                              \
		unsigned n_ = 0;                                             \
		cr_assert_eq(parse_size_list(list, &spec_, 4096, 1ull << 30, \
					     s_, &n_, err, sizeof(err)), -1); \
		cr_assert_str_eq(err, want);                                 \
	} while (0)

Test(parse_list, one_rule_set_for_sizes_with_the_limits_given)
{
	const struct list_spec spec = { "--sizes", "size", 4 };
	uint64_t s[4];
	unsigned n = 0;
	cr_assert_eq(parse_size_list("1G,0,4K", &spec, 4096, 1ull << 30, s, &n,
				     err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n, 3);
	cr_assert_eq(s[0], 1ull << 30);
	cr_assert_eq(s[2], 4096);
	BAD_SIZE_LIST("2G", "--sizes '2G': larger than 1G");
	BAD_SIZE_LIST("5000", "--sizes '5000': not a multiple of 4K");
	BAD_SIZE_LIST("4K,4096", "--sizes '4096': given twice");
	BAD_SIZE_LIST("1M,",
		      "--sizes '': not a size (use e.g. 0, 4K, 64M, 1G)");
	BAD_SIZE_LIST("4K,8K,12K,16K,20K",
		      "--sizes '20K': too many sizes (at most 4)");
}

/* ---- JSON and messages --------------------------------------------------- */

Test(csvjson, command_member_joins_and_escapes)
{
	char *text = NULL;
	size_t len = 0;
	char *argv[] = { "run", "--out", "a \"b\"" };
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	json_member_command(f, "forkbench", 3, argv);
	json_member_command(f, NULL, 1, argv);
	json_member_string(f, "why", NULL);
	fclose(f);
	cr_assert_str_eq(text,
			 "  \"command\": \"forkbench run --out a \\\"b\\\"\",\n"
			 "  \"command\": \"run\",\n"
			 "  \"why\": \"\",\n");
	free(text);
}

Test(errmsg, a_long_path_is_cut_never_the_reason)
{
	char small[48], path[200];
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	errmsg_cannot(small, sizeof(small), "write", path, ENOSPC);
	cr_assert(strstr(small, ": No space left on device"), "%s", small);
	cr_assert_eq(strncmp(small, "cannot write ppp", 16), 0, "%s", small);
}

/* One getopt_long loop over words; the message cli_bad_option gives. */
static const char *cli_message(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "out", required_argument, 0, 'o' },
		{ 0, 0, 0, 0 },
	};
	static char msg[128];
	int c;
	msg[0] = '\0';
	cli_reset();
	while ((c = getopt_long(argc, argv, ":o:q", longs, NULL)) != -1)
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, msg, sizeof(msg));
			break;
		}
	return msg;
}

Test(cli, names_the_option_as_typed)
{
	char *a[] = { "p", "--bogus", NULL };
	cr_assert_str_eq(cli_message(2, a), "--bogus: unknown option");
	char *b[] = { "p", "--bogus=1", NULL };
	cr_assert_str_eq(cli_message(2, b), "--bogus=1: unknown option");
	char *c[] = { "p", "--out", NULL };
	cr_assert_str_eq(cli_message(2, c), "--out: needs an argument");
	char *d[] = { "p", "-o", NULL };
	cr_assert_str_eq(cli_message(2, d), "-o: needs an argument");
	/* inside a cluster, the one letter that is wrong */
	char *e[] = { "p", "-qx", NULL };
	cr_assert_str_eq(cli_message(2, e), "-x: unknown option");
}

Test(cli, a_second_loop_starts_afresh)
{
	char *a[] = { "p", "-xq", NULL };
	cr_assert_str_eq(cli_message(2, a), "-x: unknown option");
	/* the first loop stopped inside "-xq": a fresh one must not go on there */
	char *b[] = { "p", "--bogus", NULL };
	cr_assert_str_eq(cli_message(2, b), "--bogus: unknown option");
}
