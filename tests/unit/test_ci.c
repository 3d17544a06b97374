/*
 * forkbench ci's parts that need no git, make or QEMU: the profile and
 * its text, the cache's key and root, a side's measured set (warm-up rows
 * dropped, ci.json read back), the one-line reason from a build log, and
 * rm -rf that does not follow links.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "ci_cache.h"
#include "ci_fs.h"
#include "ci_proc.h"
#include "ci_profile.h"
#include "ci_set.h"
#include "fb_vocab.h"

static char dir[] = "/tmp/fbciXXXXXX";

static void make_dir(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	rmtree(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

Test(ci_profile, default_is_the_issues_profile)
{
	struct ci_profile p;
	char text[1024], want[1024], all[256] = "";
	const char *v[FB_V_COUNT];
	unsigned n = fb_bench_variants(v);
	for (unsigned i = 0; i < n; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
			 i ? "," : "", v[i]);
	ci_profile_default(&p);
	ci_profile_text(&p, text, sizeof(text));
	snprintf(want, sizeof(want), "qemu-tcg-det; variants %s; scenarios "
		 "create,exit_wait,exec_wait,cow; sizes 0,1M,16M,64M; reps 1",
		 all);
	cr_assert_str_eq(text, want);
	cr_assert_eq(p.narrowed, 0);
}

Test(ci_profile, configurations_leave_out_cow_with_shared_memory)
{
	struct ci_profile p;
	char err[256];
	ci_profile_default(&p);
	cr_assert_eq(ci_profile_set(&p, CI_VARIANTS, "cow,vfork", err,
				    sizeof(err)), 0, "%s", err);
	cr_assert_eq(ci_profile_set(&p, CI_SCENARIOS_LIST, "create,cow", err,
				    sizeof(err)), 0, "%s", err);
	cr_assert_eq(ci_profile_set(&p, CI_SIZES_LIST, "0,1M", err,
				    sizeof(err)), 0, "%s", err);
	/* cow: create, cow; vfork: create (its child shares the parent) */
	cr_assert_eq(ci_profile_configs(&p), 3 * 2);
}

Test(ci_profile, sizes_are_spelled_one_way)
{
	struct ci_profile p;
	char err[256];
	ci_profile_default(&p);
	cr_assert_eq(ci_profile_set(&p, CI_SIZES_LIST, "1048576,4096,0", err,
				    sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(p.sizes, "1M,4K,0");
}

Test(ci_profile, bad_lists_are_named_with_their_option)
{
	struct ci_profile p;
	char err[256];
	ci_profile_default(&p);
	cr_assert_lt(ci_profile_set(&p, CI_SIZES_LIST, "0,3K", err,
				    sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "--sizes '3K'"), "%s", err);
	cr_assert_lt(ci_profile_set(&p, CI_VARIANTS, "cow,bogus", err,
				    sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "--variants 'bogus'"), "%s", err);
	cr_assert_lt(ci_profile_set(&p, CI_SCENARIOS_LIST, "create,create",
				    err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "--scenarios"), "%s", err);
}

static struct ci_info info_of(const char *tree, const char *compiler)
{
	struct ci_info i;
	memset(&i, 0, sizeof(i));
	snprintf(i.name, sizeof(i.name), "origin/main");
	snprintf(i.revision, sizeof(i.revision), "%s", "1234567890ab");
	snprintf(i.tree, sizeof(i.tree), "%s", tree);
	snprintf(i.tc.compiler, sizeof(i.tc.compiler), "%s", compiler);
	snprintf(i.tc.qemu, sizeof(i.tc.qemu), "QEMU emulator version 7.2.22");
	snprintf(i.profile, sizeof(i.profile), "qemu-tcg-det; reps 1");
	return i;
}

Test(ci_cache, the_key_is_the_tree_and_what_else_moves_the_numbers)
{
	char a[4096], b[4096], c[4096], d[4096];
	struct ci_info i = info_of("abcd", "gcc 12");
	ci_cache_entry("/c", &i, a, sizeof(a));
	ci_cache_entry("/c", &i, b, sizeof(b));
	cr_assert_str_eq(a, b);
	cr_assert_eq(strncmp(a, "/c/abcd-", 8), 0, "%s", a);
	struct ci_info other = info_of("abcd", "gcc 13");
	ci_cache_entry("/c", &other, c, sizeof(c));
	cr_assert_str_neq(a, c);
	other = info_of("abcd", "gcc 12");
	snprintf(other.profile, sizeof(other.profile), "qemu-tcg-det; reps 2");
	ci_cache_entry("/c", &other, d, sizeof(d));
	cr_assert_str_neq(a, d);
	/* the name a revision was given by is not part of it */
	other = info_of("abcd", "gcc 12");
	snprintf(other.name, sizeof(other.name), "HEAD");
	ci_cache_entry("/c", &other, d, sizeof(d));
	cr_assert_str_eq(a, d);
}

Test(ci_cache, root_from_option_xdg_or_home)
{
	char root[4096], err[256];
	cr_assert_eq(ci_cache_root("/x", root, sizeof(root), err, sizeof(err)), 0);
	cr_assert_str_eq(root, "/x");
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	ci_cache_root(NULL, root, sizeof(root), err, sizeof(err));
	cr_assert_str_eq(root, "/xdg/forkbench/ci");
	setenv("XDG_CACHE_HOME", "relative", 1); /* invalid by the spec */
	ci_cache_root(NULL, root, sizeof(root), err, sizeof(err));
	cr_assert_str_eq(root, "/home/u/.cache/forkbench/ci");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	cr_assert_lt(ci_cache_root(NULL, root, sizeof(root), err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "--cache DIR"), "%s", err);
}

Test(ci_set, written_without_warmups_and_read_back, .init = make_dir,
     .fini = remove_dir)
{
	char sweep[128], set[128], path[256], err[512];
	snprintf(sweep, sizeof(sweep), "%s/sweep", dir);
	snprintf(set, sizeof(set), "%s/set", dir);
	mkdir(sweep, 0777);
	mkdir(set, 0777);
	snprintf(path, sizeof(path), "%s/metrics.csv", sweep);
	write_file(path, "variant,scenario,size,rep,metric,value,unit,note\n"
		   "cow,create,0,0,pages_copied,0,pages,warmup\n"
		   "cow,create,0,1,pages_copied,0,pages,\n"
		   "cow,create,0,10,ptes_copied,7,ptes,\"a,b\"\n");
	snprintf(path, sizeof(path), "%s/meta.json", sweep);
	write_file(path, "{\"kind\": \"guest\"}\n");
	struct ci_info in = info_of("abcd", "cc \"quoted\" 12"), out;
	cr_assert_eq(ci_set_write(set, sweep, &in, err, sizeof(err)), 0, "%s",
		     err);
	snprintf(path, sizeof(path), "%s/metrics.csv", set);
	cr_assert_str_eq(test_slurp(path),
			 "variant,scenario,size,rep,metric,value,unit,note\n"
			 "cow,create,0,1,pages_copied,0,pages,\n"
			 "cow,create,0,10,ptes_copied,7,ptes,\"a,b\"\n");
	snprintf(path, sizeof(path), "%s/meta.json", set);
	cr_assert_str_eq(test_slurp(path), "{\"kind\": \"guest\"}\n");
	cr_assert_eq(ci_set_read(set, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(out.tc.compiler, in.tc.compiler);
	cr_assert_str_eq(out.tc.qemu, in.tc.qemu);
	cr_assert_str_eq(out.profile, in.profile);
	cr_assert_str_eq(out.revision, in.revision);
	cr_assert_str_eq(out.tree, in.tree);
}

Test(ci_set, a_missing_or_foreign_ci_json_is_named, .init = make_dir,
     .fini = remove_dir)
{
	struct ci_info i;
	char path[256], err[512];
	cr_assert_lt(ci_set_read(dir, &i, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "cannot read"), "%s", err);
	cr_assert_not_null(strstr(err, "No such file"), "%s", err);
	snprintf(path, sizeof(path), "%s/ci.json", dir);
	write_file(path, "{\"schema\": \"other-1\"}\n");
	cr_assert_lt(ci_set_read(dir, &i, err, sizeof(err)), 0);
	cr_assert_not_null(strstr(err, "schema 'other-1'"), "%s", err);
}

Test(ci_proc, the_reason_is_the_compilers_message, .init = make_dir,
     .fini = remove_dir)
{
	char log[128], why[256];
	snprintf(log, sizeof(log), "%s/build.log", dir);
	write_file(log, "cc -Werror -c a.c -o a.o\n"
		   "a.c:3:1: error: expected ';'\n"
		   "a.c:9:1: error: later\n"
		   "make: *** [Makefile:9: a.o] Error 1\n");
	proc_log_reason(log, why, sizeof(why));
	cr_assert_str_eq(why, "a.c:3:1: error: expected ';'");
	write_file(log, "cc -Werror -c a.c -o a.o\n"
		   "make: *** [Makefile:9: a.o] Error 1\n"
		   "make: *** Waiting for unfinished jobs....\n");
	proc_log_reason(log, why, sizeof(why));
	cr_assert_str_eq(why, "make: *** [Makefile:9: a.o] Error 1");
	write_file(log, "one\ntwo\n\n");
	proc_log_reason(log, why, sizeof(why));
	cr_assert_str_eq(why, "two");
	unlink(log);
	proc_log_reason(log, why, sizeof(why));
	cr_assert_str_eq(why, "");
}

Test(ci_proc, capture_and_exit_codes)
{
	char line[64];
	char *echo[] = { "sh", "-c", "echo first; echo second", NULL };
	char *fail[] = { "sh", "-c", "echo said; exit 3", NULL };
	char *none[] = { "/nonexistent/program", NULL };
	cr_assert_eq(proc_line(echo, NULL, line, sizeof(line)), 0);
	cr_assert_str_eq(line, "first");
	cr_assert_lt(proc_line(fail, NULL, line, sizeof(line)), 0);
	cr_assert_eq(proc_run(fail, NULL, NULL), 3);
	cr_assert_eq(proc_run(none, NULL, NULL), 127);
}

Test(ci_fs, rmtree_removes_links_not_their_targets, .init = make_dir,
     .fini = remove_dir)
{
	char outside[128], tree[128], path[256];
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	snprintf(tree, sizeof(tree), "%s/tree", dir);
	mkdir(outside, 0777);
	snprintf(path, sizeof(path), "%s/keep", outside);
	write_file(path, "x");
	snprintf(path, sizeof(path), "%s/a/b", tree);
	mkdir(tree, 0777);
	snprintf(path, sizeof(path), "%s/a", tree);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/a/file", tree);
	write_file(path, "y");
	snprintf(path, sizeof(path), "%s/a/link", tree);
	cr_assert_eq(symlink(outside, path), 0);
	cr_assert_eq(rmtree(tree), 0);
	cr_assert_eq(path_exists(tree), 0);
	snprintf(path, sizeof(path), "%s/keep", outside);
	cr_assert_eq(path_exists(path), 1);
	cr_assert_eq(rmtree(tree), 0, "a missing path is fine");
}
