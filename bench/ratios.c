/*
 * forkbench ratios GUEST_SET [PEER_SET]: the benchmark's figures of
 * merit, each against its goal. These are benchmarks, not tests: a goal
 * not met is reported, never an error (exit 0); only input that cannot
 * be read or compared is (exit 2). The arithmetic is in ratios_calc.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "meta.h"
#include "ratios.h"
#include "resultset.h"
#include "same_backend.h"

#define PROG "forkbench ratios"

static void usage(FILE *f)
{
	fprintf(f,
"usage: forkbench ratios [--tsv] GUEST_SET [PEER_SET]\n"
"Print the benchmark's ratios from a guest result set (forkbench run),\n"
"each with its goal and whether it is met. Every input is a median over\n"
"the measured repetitions (the warm-up left out) of the create scenario's\n"
"cycles_to_return, in the set's own unit (instructions on qemu-tcg-det,\n"
"else TSC cycles); 1G is a 1 GiB parent, 1M 1 MiB, 0 none.\n"
"\n"
"  odf_vs_cow            cow / odf at 1G                      goal >= 50x\n"
"  huge_split_vs_cow     cow / huge_split at 1G               goal >= 100x\n"
"  huge_copy_vs_cow      cow / huge_copy at 1G                goal >= 100x\n"
"  spawn_1g_vs_0         spawn at 1G / spawn at 0             goal <= 1.05x\n"
"  cow_per_page          (cow@1G - cow@1M) / 261888 pages     goal <= 20\n"
"                        instructions per page, on qemu-tcg-det (other\n"
"                        backends: the figure, no verdict)\n"
"  copy_page_vs_copy_4k  (copy@1G - copy@1M) / 261888 pages, over meta.json's\n"
"                        validity.ops.copy_4k.guest_cycles    goal <= 1.1x\n"
"\n"
"With PEER_SET, the Linux peer guest (forkbench run --os linux) on the\n"
"same backend, Linux's figures follow for reference, without goals:\n"
"linux_fork / odf at 1G, linux_fork / linux_fork_thp at 1G, and\n"
"linux_fork's cost per page.\n"
"\n"
"A ratio whose inputs are missing is NA, saying which.\n"
"\n"
"  --tsv       one header line, then one line per ratio: ratio, value\n"
"              (NA), unit, goal, verdict, detail, tab-separated\n"
"  -h, --help  this text\n"
"\n"
"Exit codes: 0 printed (goals not met included: these are benchmarks,\n"
"not tests), 1 the output could not be written, 2 bad arguments or\n"
"input (a missing or corrupt set, not a guest set, a PEER_SET on\n"
"another backend or clock).\n");
}

struct ratios_opts {
	int tsv;
	const char *guest, *peer;
};

/* 0 to run, 1 for --help, -1 after saying what is wrong. */
static int parse_args(int argc, char **argv, struct ratios_opts *o)
{
	static const struct option longs[] = {
		{ "tsv", no_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char err[256];
	int c;
	cli_reset();
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == 't') {
			o->tsv = 1;
			continue;
		}
		cli_bad_option(c, argv, err, sizeof(err));
		fprintf(stderr, PROG ": %s (see " PROG " --help)\n", err);
		return -1;
	}
	if (optind == argc) {
		fprintf(stderr, PROG ": no GUEST_SET given (see " PROG
			" --help)\n");
		return -1;
	}
	if (argc - optind > 2) {
		fprintf(stderr, PROG ": %s: at most two result sets (GUEST_SET "
			"[PEER_SET])\n", argv[optind + 2]);
		return -1;
	}
	o->guest = argv[optind];
	o->peer = argc - optind == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* A set loaded: its table and what its meta.json says. */
struct loaded {
	struct metric_table t;
	struct ratio_set s;
	char kind[32], backend[32];
};

static int read_meta(const char *dir, struct loaded *l, char *err,
		     size_t errlen)
{
	char path[4096];
	if (path_join(path, sizeof(path), dir, META_JSON) < 0) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (access(path, R_OK) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (meta_get(path, "backend", l->backend, sizeof(l->backend)) < 0 ||
	    !l->backend[0]) {
		snprintf(err, errlen, "%s: no backend: not a result set's "
			 "meta.json", path);
		return -1;
	}
	if (meta_get(path, "kind", l->kind, sizeof(l->kind)) < 0)
		l->kind[0] = '\0';
	if (meta_get_number(path, "validity.ops.copy_4k.guest_cycles",
			    &l->s.copy_4k) < 0)
		l->s.copy_4k = NAN;
	return 0;
}

static int load(const char *dir, const char *label, struct loaded *l,
		char *err, size_t errlen)
{
	if (metrics_read_set(dir, &l->t, err, errlen) < 0 ||
	    read_meta(dir, l, err, errlen) < 0)
		return -1;
	l->s.t = &l->t;
	l->s.label = label;
	l->s.backend = l->backend;
	char why[256];
	if (ratios_unit(&l->t, &l->s.unit, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s/%s: %s", dir, METRICS_CSV, why);
		return -1;
	}
	return 0;
}

/* A guest set, and a peer beside it on one backend and one clock. */
static int check_sets(const struct ratios_opts *o, const struct loaded *g,
		      const struct loaded *p, char *err, size_t errlen)
{
	if (g->kind[0] && strcmp(g->kind, "guest") != 0) {
		snprintf(err, errlen, "%s is a Linux set (kind %s): GUEST_SET "
			 "is a guest sweep (forkbench run)", o->guest, g->kind);
		return -1;
	}
	if (!o->peer)
		return 0;
	if (strcmp(p->kind, "linux-guest") != 0) {
		snprintf(err, errlen, "%s is of kind %s: PEER_SET is the Linux "
			 "peer guest (forkbench run --os linux)", o->peer,
			 p->kind[0] ? p->kind : "unknown");
		return -1;
	}
	if (!same_backend(g->backend, p->backend)) {
		snprintf(err, errlen, "GUEST_SET is on %s, PEER_SET on %s: "
			 "ratios compare one backend", g->backend, p->backend);
		return -1;
	}
	if (g->s.unit && p->s.unit && strcmp(g->s.unit, p->s.unit) != 0) {
		snprintf(err, errlen, "GUEST_SET is in %s, PEER_SET in %s: "
			 "ratios compare one clock", g->s.unit, p->s.unit);
		return -1;
	}
	return 0;
}

static void value_text(const struct ratio *r, char *buf, size_t len)
{
	if (isnan(r->value))
		snprintf(buf, len, "NA");
	else if (strcmp(r->unit, "x") == 0)
		snprintf(buf, len, "%.4gx", r->value);
	else
		snprintf(buf, len, "%.4g %s", r->value, r->unit);
}

static void print_tsv(const struct ratio *r, size_t n)
{
	printf("ratio\tvalue\tunit\tgoal\tverdict\tdetail\n");
	for (size_t i = 0; i < n; i++) {
		if (isnan(r[i].value))
			printf("%s\tNA", r[i].name);
		else
			printf("%s\t%.6g", r[i].name, r[i].value);
		printf("\t%s\t%s\t%s\t%s\n", r[i].unit, r[i].goal,
		       ratio_verdict_name(r[i].verdict), r[i].detail);
	}
}

/* Two lines a ratio: what it is, then its value against its goal. */
static void print_text(const struct ratios_opts *o, const struct loaded *g,
		       const struct loaded *p, const struct ratio *r, size_t n)
{
	unsigned count[RATIO_REFERENCE + 1] = { 0 };
	char value[96];
	printf("ratios of %s: backend %s, create cycles_to_return medians in "
	       "%s\n", o->guest, g->backend,
	       g->s.unit ? g->s.unit : "(none measured)");
	if (o->peer)
		printf("Linux references from %s: backend %s\n", o->peer,
		       p->backend);
	for (size_t i = 0; i < n; i++) {
		value_text(&r[i], value, sizeof(value));
		if (r[i].goal[0]) /* references have none to count */
			count[r[i].verdict]++;
		printf("\n%s: %s\n    %s", r[i].name, r[i].what, value);
		if (r[i].goal[0])
			printf(", goal %s", r[i].goal);
		if (!r[i].goal[0] && r[i].verdict == RATIO_NA)
			printf(" (%s)\n", r[i].detail); /* a reference */
		else
			printf(": %s (%s)\n", ratio_verdict_name(r[i].verdict),
			       r[i].detail);
	}
	printf("\ngoals: %u met, %u not met, %u NA, %u not judged on this "
	       "backend\n", count[RATIO_MET], count[RATIO_NOT_MET],
	       count[RATIO_NA], count[RATIO_NO_GOAL]);
}

int cmd_ratios(int argc, char **argv)
{
	struct ratios_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);
	if (rc) {
		if (rc > 0)
			usage(stdout);
		return rc > 0 ? 0 : 2;
	}
	struct loaded g = { 0 }, p = { 0 };
	char err[8192];
	rc = 2;
	if (load(o.guest, "this set", &g, err, sizeof(err)) < 0 ||
	    (o.peer && load(o.peer, "PEER_SET", &p, err, sizeof(err)) < 0) ||
	    check_sets(&o, &g, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		goto done;
	}
	struct ratio r[RATIOS_MAX];
	size_t n = ratios_compute(&g.s, o.peer ? &p.s : NULL, r);
	if (o.tsv)
		print_tsv(r, n);
	else
		print_text(&o, &g, &p, r, n);
	rc = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output: %s\n",
			strerror(errno));
		rc = 1;
	}
done:
	metrics_free(&g.t);
	metrics_free(&p.t);
	return rc;
}
