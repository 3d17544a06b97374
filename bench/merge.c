/*
 * forkbench merge OUT DIR...: the shards of one sweep (forkbench run
 * --shard K/N, on one machine or many) joined into one result set, as
 * the unsharded run would have written it: the same configurations in
 * the same order, so metrics.csv is byte for byte the same. OUT is an
 * ordinary sweep directory afterwards (--resume runs what no shard ran).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "atomic_write.h"
#include "commands.h"
#include "meta.h"
#include "mkdirp.h"
#include "resultset.h"
#include "runout.h"
#include "sweep.h"
#include "sweep_args.h"

#define MERGE_MAX_CONFIGS 1024
#define MERGE_MAX_SHARDS 256

enum merge_exit {
	MERGE_EXIT_OK = 0,     /* every configuration ok */
	MERGE_EXIT_FAILED = 1, /* some failed, or no shard ran them */
	MERGE_EXIT_USAGE = 2,  /* bad arguments, shards that do not match */
	MERGE_EXIT_WRITE = 3,  /* OUT could not be written */
};

struct shard {
	const char *dir;
	struct sweep_args a;
	char backend[600]; /* sweep.backend: NAME<TAB>WHY */
	char git[128];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: forkbench merge [--force] OUT DIR...\n"
"Join the result sets of a sharded sweep (forkbench run --shard K/N) into\n"
"one result set in OUT, the configurations in the unsharded sweep's order.\n"
"\n"
"      --force   merge shards whose sweep parameters, backend or git\n"
"                revision differ (the configurations of all of them, in\n"
"                order of first appearance); refused without it\n"
"  -h, --help\n"
"\n"
"A configuration finished in two shards is an error, named. One that no\n"
"shard ran counts as not run; forkbench run --resume OUT runs it.\n"
"Exit codes: 0 all configurations ok, 1 some failed or not run, 2 bad\n"
"arguments or shards that do not match, 3 OUT could not be written.\n");
}

/* The first line of DIR/NAME, without its newline. -1 if unreadable. */
static int read_line(const char *dir, const char *name, char *buf, size_t len)
{
	char path[4096];
	path_join(path, sizeof(path), dir, name);
	FILE *f = fopen(path, "r");
	int ok = f && fgets(buf, (int)len, f);
	if (f)
		fclose(f);
	if (!ok) {
		fprintf(stderr, "forkbench merge: cannot read %s: %s\n", path,
			f ? "empty" : strerror(errno));
		return -1;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int load_shard(struct shard *s, const char *dir)
{
	char meta[4096];
	s->dir = dir;
	if (sweep_args_load(dir, &s->a) < 0 ||
	    read_line(dir, SWEEP_BACKEND, s->backend, sizeof(s->backend)) < 0)
		return -1;
	path_join(meta, sizeof(meta), dir, META_JSON);
	if (meta_get(meta, "git_revision", s->git, sizeof(s->git)) < 0)
		snprintf(s->git, sizeof(s->git), "unknown");
	return 0;
}

/* What must agree between shards, as one comparable line. */
static void params_text(const struct sweep_params *p, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "reps %u; variants", p->reps);
	for (unsigned i = 0; i < p->nvariants && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, " %s", p->variants[i]);
	for (unsigned i = 0; i < p->nscenarios && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s %s",
				      i ? "" : "; scenarios", p->scenarios[i]);
	for (unsigned i = 0; i < p->nsizes && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s %llu",
				      i ? "" : "; sizes",
				      (unsigned long long)p->sizes[i]);
	if (n < len)
		snprintf(buf + n, len - n, "; parent_pages %s",
			 sweep_parent_pages(p));
}

/* 0 when s matches first (or force), else -1 naming what differs. */
static int check_match(const struct shard *first, const struct shard *s,
		       int force)
{
	char a[2048], b[2048];
	const char *what = NULL, *x = NULL, *y = NULL;
	params_text(&first->a.o.p, a, sizeof(a));
	params_text(&s->a.o.p, b, sizeof(b));
	if (strcmp(a, b) != 0)
		what = "sweep parameters", x = b, y = a;
	else if (strcmp(first->a.o.p.backend, s->a.o.p.backend) != 0)
		what = "backend", x = s->a.o.p.backend, y = first->a.o.p.backend;
	else if (strcmp(first->git, s->git) != 0)
		what = "git revision", x = s->git, y = first->git;
	if (!what)
		return 0;
	fprintf(stderr, "forkbench merge: %s: %s '%s' differ from %s's '%s'%s\n",
		s->dir, what, x, first->dir, y,
		force ? " (merged anyway: --force)" : " (--force merges anyway)");
	return force ? 0 : -1;
}

/* Add p's configurations not yet in all[0..*n), keeping their order. */
static void add_configs(const struct sweep_params *p, struct config *all,
			size_t *n)
{
	static struct config cs[MERGE_MAX_CONFIGS];
	size_t m = sweep_configs(p, cs, MERGE_MAX_CONFIGS);
	for (size_t i = 0; i < m; i++) {
		size_t j = 0;
		while (j < *n && strcmp(all[j].key, cs[i].key) != 0)
			j++;
		if (j == *n && *n < MERGE_MAX_CONFIGS)
			all[(*n)++] = cs[i];
	}
}

/* Copy src to dst whole (atomically); a missing src is fine. */
static int copy_file(const char *src, const char *dst, char *err,
		     size_t errlen)
{
	FILE *f = fopen(src, "r");
	if (!f && errno == ENOENT)
		return 0;
	if (!f) {
		snprintf(err, errlen, "cannot read %.900s: %s", src,
			 strerror(errno));
		return -1;
	}
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	char chunk[65536];
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + got > cap) {
			cap = 2 * (len + got);
			char *t = realloc(text, cap);
			if (!t)
				break;
			text = t;
		}
		memcpy(text + len, chunk, got);
		len += got;
	}
	int bad = ferror(f) || !feof(f);
	fclose(f);
	int rc = -1;
	if (bad)
		snprintf(err, errlen, "cannot read %.900s", src);
	else
		rc = atomic_write(dst, text ? text : "", len, err, errlen);
	free(text);
	return rc;
}

/* A configuration's raw files from the shard that ran it into out. */
static int copy_config(const char *from, const char *out,
		       const struct config *c, char *err, size_t errlen)
{
	static const char *const ext[] = { "csv", "json", "log", "status" };
	char src[4096], dst[4096];
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		snprintf(src, sizeof(src), "%s/raw/%s.%s", from, c->key, ext[i]);
		snprintf(dst, sizeof(dst), "%s/raw/%s.%s", out, c->key, ext[i]);
		if (copy_file(src, dst, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Which shard ran each configuration; -1 when two did (named). */
static int find_owners(const struct shard *sh, size_t nsh,
		       const struct config *cs, size_t n, int *owner)
{
	for (size_t i = 0; i < n; i++) {
		owner[i] = -1;
		for (size_t k = 0; k < nsh; k++) {
			if (!sweep_done(sh[k].dir, &cs[i]))
				continue;
			if (owner[i] >= 0) {
				fprintf(stderr, "forkbench merge: configuration "
					"%s is in both %s and %s\n", cs[i].key,
					sh[owner[i]].dir, sh[k].dir);
				return -1;
			}
			owner[i] = (int)k;
		}
	}
	return 0;
}

/* OUT's sweep.args: the first shard's arguments without --shard. */
static int write_args(const struct shard *s, const char *out, char *err,
		      size_t errlen)
{
	char text[8192], path[4096];
	size_t n = 0;
	for (int i = 0; i < s->a.argc && n < sizeof(text); i++) {
		const char *w = s->a.argv[i];
		if (strcmp(w, "--shard") == 0) {
			i++;
			continue;
		}
		if (strncmp(w, "--shard=", 8) == 0)
			continue;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n", w);
	}
	path_join(path, sizeof(path), out, SWEEP_ARGS);
	return atomic_write(path, text, n, err, errlen);
}

/* OUT/raw made, OUT not holding a sweep already. */
static int prepare_out(const char *out, char *err, size_t errlen)
{
	char path[4096];
	path_join(path, sizeof(path), out, SWEEP_ARGS);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%.900s already holds a sweep", out);
		return MERGE_EXIT_USAGE;
	}
	path_join(path, sizeof(path), out, "raw");
	return mkdirp(path, err, errlen) < 0 ? MERGE_EXIT_WRITE : 0;
}

/* Everything into out: raw files, arguments, backend, the result set. */
static int write_merged(const struct shard *sh, const char *out,
			const struct config *cs, size_t n, const int *owner,
			int argc, char **argv)
{
	char err[1024], path[4096];
	int rc = prepare_out(out, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (owner[i] >= 0 && copy_config(sh[owner[i]].dir, out, &cs[i],
						 err, sizeof(err)) < 0)
			rc = MERGE_EXIT_WRITE;
	path_join(path, sizeof(path), out, SWEEP_BACKEND);
	char line[sizeof(sh->backend) + 1];
	snprintf(line, sizeof(line), "%s\n", sh->backend);
	if (rc == 0 && (write_args(sh, out, err, sizeof(err)) < 0 ||
			atomic_write(path, line, strlen(line), err,
					 sizeof(err)) < 0))
		rc = MERGE_EXIT_WRITE;
	if (rc) {
		fprintf(stderr, "forkbench merge: %s\n", err);
		return rc;
	}
	struct sweep_params p = sh->a.o.p;
	p.shard_k = p.shard_n = 0;
	const char *tab = strchr(sh->backend, '\t');
	int failed = runout_assemble(&p, out, tab ? tab + 1 : "", cs, n, argc,
				     argv);
	if (failed < 0)
		return MERGE_EXIT_WRITE;
	size_t not_run = 0;
	for (size_t i = 0; i < n; i++)
		not_run += owner[i] < 0;
	return failed || not_run ? MERGE_EXIT_FAILED : MERGE_EXIT_OK;
}

/* --force, OUT and the shard directories; -1 on bad arguments. */
static int parse_args(int argc, char **argv, int *force)
{
	static const struct option longs[] = {
		{ "force", no_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int c;
	cli_reset();
	*force = 0;
	while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c != 'f') {
			char err[256];
			cli_bad_option(c, argv, err, sizeof(err));
			fprintf(stderr, "forkbench merge: %s\n", err);
			return -1;
		}
		*force = 1;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "forkbench merge: need OUT and at least one "
			"shard directory (see --help)\n");
		return -1;
	}
	if (argc - optind - 1 > MERGE_MAX_SHARDS) {
		fprintf(stderr, "forkbench merge: more than %d shards\n",
			MERGE_MAX_SHARDS);
		return -1;
	}
	return 0;
}

int cmd_merge(int argc, char **argv)
{
	static struct config cs[MERGE_MAX_CONFIGS];
	static int owner[MERGE_MAX_CONFIGS];
	int force, parsed = parse_args(argc, argv, &force);
	if (parsed)
		return parsed > 0 ? (usage(stdout), 0) : MERGE_EXIT_USAGE;
	const char *out = argv[optind];
	char **dirs = argv + optind + 1;
	size_t nsh = (size_t)(argc - optind - 1), n = 0;
	struct shard *sh = calloc(nsh, sizeof(*sh));
	int rc = sh ? 0 : MERGE_EXIT_WRITE;
	for (size_t k = 0; rc == 0 && k < nsh; k++) {
		if (load_shard(&sh[k], dirs[k]) < 0 ||
		    check_match(&sh[0], &sh[k], force) < 0)
			rc = MERGE_EXIT_USAGE;
		else
			add_configs(&sh[k].a.o.p, cs, &n);
	}
	if (rc == 0 && find_owners(sh, nsh, cs, n, owner) < 0)
		rc = MERGE_EXIT_USAGE;
	if (rc == 0)
		rc = write_merged(sh, out, cs, n, owner, argc, argv);
	free(sh);
	return rc;
}
