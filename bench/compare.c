/*
 * forkbench compare BASE NEW: a regression report between two result
 * sets, meant as a gate (exit 1 on a regression), so anything doubtful
 * about the input is an error (exit 2) rather than a silently smaller
 * comparison: a configuration measured on one side only, a repeated
 * repetition, a metric whose unit changed, an empty set.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "fb_vocab.h"
#include "mannwhitney.h"
#include "resultset.h"

#define PROG "forkbench compare"
#define THRESHOLD_DEFAULT 5.0
#define ALPHA_DEFAULT 0.05
/* Google Benchmark's compare.py warns below 9 repetitions, so do we. */
#define FEW_REPS 9

struct settings {
	double threshold_pct, alpha;
	const char *base, *new_;
};

/* The repetitions of one (variant, scenario, size, metric). */
struct group {
	const struct metric_row *key; /* its first row: key fields and unit */
	double *v;                    /* ascending, NA as NaN at the end */
	size_t n, na;
};

/* One result set, read and grouped. */
struct side {
	const char *label; /* "BASE" or "NEW", for messages */
	char path[4096];   /* its metrics.csv */
	struct metric_table t;
	double *values; /* storage for every group's v */
	struct group *g;
	size_t ng;
};

/* One line of the report. */
struct report_row {
	const struct group *base, *new_;
	double base_med, new_med, change_pct, p; /* NaN: not applicable */
	enum verdict verdict;
	char note[64];
};

enum args_result { ARGS_RUN, ARGS_HELP, ARGS_ERROR };

static void usage(FILE *f)
{
	fprintf(f,
"usage: forkbench compare [options] BASE NEW\n"
"Report how NEW differs from BASE. Each is a result-set directory or its\n"
"metrics.csv; both must hold the same (variant, scenario, size, metric)\n"
"keys.\n"
"\n"
"Timings and PMU counts (the metric's kind in include/fb_vocab.h; for a\n"
"metric it does not know, unit cycles or instructions): medians, change %%,\n"
"two-sided Mann-Whitney U test over the repetitions. A regression\n"
"(improvement) is significant (p < alpha) and slower (faster) by more\n"
"than the threshold.\n"
"Exact counters and model quantities: the per-repetition values must\n"
"match.\n"
"Timings are in TSC cycles (kvm, qemu-kvm, qemu-tcg, Linux host sets) or\n"
"in instructions (qemu-tcg-det, -icount); a set in one is not compared\n"
"with a set in the other (exit 2).\n"
"\n"
"  --threshold PCT  smallest change that counts, in %% (default %g)\n"
"  --alpha A        significance level, 0 < A < 1 (default %g)\n"
"  -h, --help       this text\n"
"\n"
"Exit codes: 0 no regression, 1 a regression or counter mismatch,\n"
"2 bad arguments or input.\n",
		THRESHOLD_DEFAULT, ALPHA_DEFAULT);
}

/* A whole-string number; -1 for anything else, inf and nan included. */
static int parse_double(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int set_option(const char *name, const char *val, struct settings *s,
		      char *err, size_t errlen)
{
	double v;
	if (strcmp(name, "--threshold") == 0) {
		if (parse_double(val, &v) < 0 || v < 0) {
			snprintf(err, errlen, "--threshold '%s': not a percentage "
				 "(e.g. 5)", val);
			return -1;
		}
		s->threshold_pct = v;
	} else {
		if (parse_double(val, &v) < 0 || v <= 0 || v >= 1) {
			snprintf(err, errlen, "--alpha '%s': not a level between "
				 "0 and 1 (e.g. 0.05)", val);
			return -1;
		}
		s->alpha = v;
	}
	return 0;
}

static enum args_result parse_args(int argc, char **argv, struct settings *s,
				   char *err, size_t errlen)
{
	static const struct option longs[] = {
		{ "threshold", required_argument, 0, 't' },
		{ "alpha", required_argument, 0, 'a' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	*s = (struct settings){ THRESHOLD_DEFAULT, ALPHA_DEFAULT, NULL, NULL };
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			return ARGS_HELP;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, errlen);
			return ARGS_ERROR;
		}
		if (set_option(c == 't' ? "--threshold" : "--alpha", optarg, s,
			       err, errlen) < 0)
			return ARGS_ERROR;
	}
	const char *pos[2];
	int npos = 0;
	for (; optind < argc; optind++) {
		if (npos == 2) {
			snprintf(err, errlen, "'%s': only BASE and NEW are "
				 "expected", argv[optind]);
			return ARGS_ERROR;
		}
		pos[npos++] = argv[optind];
	}
	if (npos != 2) {
		snprintf(err, errlen, "expected BASE and NEW (see " PROG " --help)");
		return ARGS_ERROR;
	}
	s->base = pos[0];
	s->new_ = pos[1];
	return ARGS_RUN;
}

/* Rows sort and group by (variant, scenario, size, metric). */
static int key_cmp(const struct metric_row *a, const struct metric_row *b)
{
	int c = strcmp(a->variant, b->variant);
	if (!c)
		c = strcmp(a->scenario, b->scenario);
	if (!c && a->size != b->size)
		c = a->size < b->size ? -1 : 1;
	if (!c)
		c = strcmp(a->metric, b->metric);
	return c;
}

/* Within a key by rep, then file order so a repeat follows its original. */
static int cmp_row_ptr(const void *pa, const void *pb)
{
	const struct metric_row *a = *(const struct metric_row *const *)pa;
	const struct metric_row *b = *(const struct metric_row *const *)pb;
	int c = key_cmp(a, b);
	if (c)
		return c;
	if (a->rep != b->rep)
		return a->rep < b->rep ? -1 : 1;
	return (a > b) - (a < b);
}

static void key_name(const struct metric_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%llu/%s", r->variant, r->scenario,
		 (unsigned long long)r->size, r->metric);
}

/*
 * The reader keeps no line numbers, but it accepts exactly one row per
 * line after the header (no blank lines, no quoted newlines), so row i
 * is line i + 2.
 */
static unsigned long line_of(const struct side *s, const struct metric_row *r)
{
	return (unsigned long)(r - s->t.rows) + 2;
}

/* A repeated repetition or a unit that changes within a key is corrupt. */
static int check_rows(const struct side *s, const struct metric_row **order,
		      char *err, size_t errlen)
{
	const struct metric_row *first = NULL;
	char key[200];
	for (size_t i = 0; i < s->t.n; i++) {
		const struct metric_row *r = order[i];
		if (!first || key_cmp(first, r) != 0)
			first = r;
		if (i && key_cmp(order[i - 1], r) == 0 &&
		    order[i - 1]->rep == r->rep) {
			key_name(r, key, sizeof(key));
			snprintf(err, errlen, "%s:%lu: rep %u of %s repeats line %lu",
				 s->path, line_of(s, r), r->rep, key,
				 line_of(s, order[i - 1]));
			return -1;
		}
		if (strcmp(first->unit, r->unit) != 0) {
			key_name(r, key, sizeof(key));
			snprintf(err, errlen, "%s:%lu: unit '%s' of %s differs from "
				 "'%s' on line %lu", s->path, line_of(s, r),
				 r->unit, key, first->unit, line_of(s, first));
			return -1;
		}
	}
	return 0;
}

static size_t count_groups(const struct metric_row **order, size_t n)
{
	size_t ng = 0;
	for (size_t i = 0; i < n; i++)
		ng += i == 0 || key_cmp(order[i - 1], order[i]) != 0;
	return ng;
}

/* Split the sorted rows into groups, each with its values sorted. */
static int build_groups(struct side *s, const struct metric_row **order)
{
	s->ng = count_groups(order, s->t.n);
	s->g = calloc(s->ng, sizeof(*s->g));
	s->values = malloc(s->t.n * sizeof(*s->values));
	if (!s->g || !s->values)
		return -1;
	struct group *g = NULL;
	for (size_t i = 0; i < s->t.n; i++) {
		const struct metric_row *r = order[i];
		if (!g || key_cmp(g->key, r) != 0) {
			g = g ? g + 1 : s->g;
			*g = (struct group){ r, s->values + i, 0, 0 };
		}
		g->v[g->n++] = r->has_value ? r->value : NAN;
		g->na += !r->has_value;
	}
	for (size_t k = 0; k < s->ng; k++)
		sort_values(s->g[k].v, s->g[k].n);
	return 0;
}

static int group_side(struct side *s, char *err, size_t errlen)
{
	if (s->t.n == 0) {
		snprintf(err, errlen, "%s: no metric rows", s->path);
		return -1;
	}
	const struct metric_row **order = malloc(s->t.n * sizeof(*order));
	if (!order) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->t.n; i++)
		order[i] = &s->t.rows[i];
	qsort(order, s->t.n, sizeof(*order), cmp_row_ptr);
	int rc = check_rows(s, order, err, errlen);
	if (rc == 0 && build_groups(s, order) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	free(order);
	return rc;
}

/* A result-set directory means its metrics.csv; anything else is the file. */
static int metrics_path(const char *arg, char *buf, size_t len)
{
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return path_join(buf, len, arg, METRICS_CSV);
	return snprintf(buf, len, "%s", arg) >= (int)len ? -1 : 0;
}

static int load_side(struct side *s, const char *label, const char *arg,
		     char *err, size_t errlen)
{
	s->label = label;
	if (metrics_path(arg, s->path, sizeof(s->path)) < 0) {
		snprintf(err, errlen, "%s: path too long", label);
		return -1;
	}
	if (metrics_read(s->path, &s->t, err, errlen) < 0)
		return -1;
	return group_side(s, err, errlen);
}

static void free_side(struct side *s)
{
	metrics_free(&s->t);
	free(s->values);
	free(s->g);
}

/* "NEW lacks KEY (and N more)" for the keys of a missing from b. */
static size_t lacking(const struct side *a, const struct side *b, char *msg,
		      size_t len)
{
	size_t missing = 0, j = 0;
	char key[200];
	for (size_t i = 0; i < a->ng; i++) {
		while (j < b->ng && key_cmp(b->g[j].key, a->g[i].key) < 0)
			j++;
		if (j < b->ng && key_cmp(b->g[j].key, a->g[i].key) == 0)
			continue;
		if (missing++ == 0)
			key_name(a->g[i].key, key, sizeof(key));
	}
	if (missing == 1)
		snprintf(msg, len, "%s lacks %s", b->label, key);
	else if (missing > 1)
		snprintf(msg, len, "%s lacks %s (and %zu more)", b->label, key,
			 missing - 1);
	return missing;
}

/*
 * Both sets must measure the same configurations: a key on one side only
 * means a configuration failed or the sweep changed, and comparing the
 * rest would hide it.
 */
static int check_keys(const struct side *base, const struct side *new_,
		      char *err, size_t errlen)
{
	char in_new[300], in_base[300];
	size_t a = lacking(base, new_, in_new, sizeof(in_new));
	size_t b = lacking(new_, base, in_base, sizeof(in_base));
	if (a && b)
		snprintf(err, errlen, "%s; %s", in_new, in_base);
	else if (a || b)
		snprintf(err, errlen, "%s", a ? in_new : in_base);
	return a || b ? -1 : 0;
}

/* With equal key sets the groups pair up by index; units must agree too. */
static int check_units(const struct side *base, const struct side *new_,
		       char *err, size_t errlen)
{
	for (size_t i = 0; i < base->ng; i++) {
		const struct metric_row *a = base->g[i].key, *b = new_->g[i].key;
		if (strcmp(a->unit, b->unit) == 0)
			continue;
		char key[200];
		key_name(a, key, sizeof(key));
		int clocks = strcmp(a->unit, FB_UNIT_INSTRUCTIONS) == 0 ||
			     strcmp(b->unit, FB_UNIT_INSTRUCTIONS) == 0;
		snprintf(err, errlen, "%s is in %s in BASE but in %s in NEW%s",
			 key, a->unit, b->unit,
			 clocks ? " (qemu-tcg-det counts instructions, the "
				  "others TSC cycles: not comparable)"
				: "");
		return -1;
	}
	return 0;
}

static size_t measured(const struct group *g)
{
	return g->n - g->na;
}

static double group_median(const struct group *g)
{
	return measured(g) ? median_sorted(g->v, measured(g)) : NAN;
}

static double change_pct(double old, double new_)
{
	if (isnan(old) || isnan(new_))
		return NAN;
	if (old == 0)
		return new_ == 0 ? 0 : copysign(INFINITY, new_);
	return (new_ - old) / old * 100;
}

static int same_value(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Walk two sorted lists one distinct value at a time. */
static int same_distinct(const struct group *a, const struct group *b)
{
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		double x = a->v[i], y = b->v[j];
		if (!same_value(x, y))
			return 0;
		while (i < a->n && same_value(a->v[i], x))
			i++;
		while (j < b->n && same_value(b->v[j], y))
			j++;
	}
	return i == a->n && j == b->n;
}

/*
 * Counters are exact, so any difference is real. With different rep
 * counts the multiplicities cannot match; the distinct values still must.
 */
static void evaluate_counter(struct report_row *r)
{
	const struct group *a = r->base, *b = r->new_;
	int same;
	if (a->n == b->n) {
		same = 1;
		for (size_t i = 0; i < a->n; i++)
			same &= same_value(a->v[i], b->v[i]);
	} else {
		same = same_distinct(a, b);
		snprintf(r->note, sizeof(r->note), "%zu vs %zu reps", a->n, b->n);
	}
	r->verdict = same ? VERDICT_MATCH : VERDICT_MISMATCH;
}

/* Timings are noisy: NA repetitions are left out, the rest tested. */
static int evaluate_timing(struct report_row *r, const struct settings *s)
{
	const struct group *a = r->base, *b = r->new_;
	struct mw_result mw;
	if (mw_test(a->v, measured(a), b->v, measured(b), &mw) < 0)
		return -1;
	r->p = mw.p;
	r->verdict = timing_verdict(r->p, r->change_pct, s->alpha,
				    s->threshold_pct);
	int n = 0;
	if (measured(a) < FEW_REPS || measured(b) < FEW_REPS)
		n = snprintf(r->note, sizeof(r->note), "few reps");
	if (a->na || b->na)
		snprintf(r->note + n, sizeof(r->note) - (size_t)n, "%sNA reps "
			 "left out", n ? ", " : "");
	return 0;
}

/*
 * Timings and hardware counts vary between repetitions and get the test;
 * counters and model quantities must repeat exactly. The vocabulary says
 * which a metric is; a name it does not know is judged by its unit.
 */
static int is_measurement(const struct metric_row *k)
{
	int m = fb_metric_find(k->metric);
	if (m < 0)
		return strcmp(k->unit, FB_UNIT_CYCLES) == 0 ||
		       strcmp(k->unit, FB_UNIT_INSTRUCTIONS) == 0;
	return fb_metric_kinds[m] == FB_K_TIMING || fb_metric_kinds[m] == FB_K_PMU;
}

/*
 * NA everywhere is an unmeasurable metric (no PMU, say) and fine; NA on
 * one side only means it stopped or started being measurable.
 */
static int evaluate(struct report_row *r, const struct settings *s)
{
	r->base_med = group_median(r->base);
	r->new_med = group_median(r->new_);
	r->change_pct = change_pct(r->base_med, r->new_med);
	r->p = NAN;
	r->note[0] = '\0';
	int base_na = !measured(r->base), new_na = !measured(r->new_);
	if (base_na || new_na) {
		r->verdict = base_na && new_na ? VERDICT_NA : VERDICT_MISMATCH;
		if (base_na != new_na)
			snprintf(r->note, sizeof(r->note), "NA in %s only",
				 base_na ? "BASE" : "NEW");
		return 0;
	}
	if (is_measurement(r->base->key))
		return evaluate_timing(r, s);
	evaluate_counter(r);
	return 0;
}

static const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_SAME: return "same";
	case VERDICT_REGRESSION: return "regression";
	case VERDICT_IMPROVEMENT: return "improvement";
	case VERDICT_MATCH: return "match";
	case VERDICT_MISMATCH: return "MISMATCH";
	case VERDICT_NA: return "n/a";
	}
	return "?";
}

/* 16777216 as 16M, the way sizes are given on the command line. */
static void fmt_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMG";
	int u = -1;
	while (u < 2 && v && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
}

/* Medians are whole cycles or counts unless an even count splits them. */
static void fmt_value(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "NA");
	else if (v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
}

static void fmt_or_dash(double v, const char *fmt, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

static void print_header(void)
{
	printf("| variant | scenario | size | metric | base median | new median "
	       "| change %% | p-value | verdict |\n");
	printf("|---|---|---:|---|---:|---:|---:|---:|---|\n");
}

static void print_row(const struct report_row *r)
{
	const struct metric_row *k = r->base->key;
	char size[24], base[32], new_[32], change[32], p[32];
	fmt_size(k->size, size, sizeof(size));
	fmt_value(r->base_med, base, sizeof(base));
	fmt_value(r->new_med, new_, sizeof(new_));
	fmt_or_dash(r->change_pct, "%+.1f", change, sizeof(change));
	fmt_or_dash(r->p, "%.3g", p, sizeof(p));
	printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s", k->variant,
	       k->scenario, size, k->metric, base, new_, change, p,
	       verdict_name(r->verdict));
	if (r->note[0])
		printf(" (%s)", r->note);
	printf(" |\n");
}

/* Prints the summary; returns the exit code (1 if anything got worse). */
static int print_summary(const struct report_row *rows, size_t n)
{
	size_t count[VERDICT_NA + 1] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[rows[i].verdict]++;
	size_t unchanged = count[VERDICT_SAME] + count[VERDICT_MATCH] +
			   count[VERDICT_NA];
	printf("\n%zu regressions, %zu improvements, %zu counter mismatches, "
	       "%zu unchanged (of %zu metrics)\n", count[VERDICT_REGRESSION],
	       count[VERDICT_IMPROVEMENT], count[VERDICT_MISMATCH], unchanged, n);
	return count[VERDICT_REGRESSION] || count[VERDICT_MISMATCH] ? 1 : 0;
}

/* Evaluate every key, then print: an error leaves no half table. */
static int report(const struct side *base, const struct side *new_,
		  const struct settings *s, char *err, size_t errlen)
{
	struct report_row *rows = calloc(base->ng, sizeof(*rows));
	if (!rows) {
		snprintf(err, errlen, "out of memory");
		return 2;
	}
	for (size_t i = 0; i < base->ng; i++) {
		rows[i].base = &base->g[i];
		rows[i].new_ = &new_->g[i];
		if (evaluate(&rows[i], s) < 0) {
			snprintf(err, errlen, "out of memory");
			free(rows);
			return 2;
		}
	}
	print_header();
	for (size_t i = 0; i < base->ng; i++)
		print_row(&rows[i]);
	int rc = print_summary(rows, base->ng);
	free(rows);
	return rc;
}

static int compare_sets(const struct settings *s, char *err, size_t errlen)
{
	struct side base = { 0 }, new_ = { 0 };
	int rc = 2;
	if (load_side(&base, "BASE", s->base, err, errlen) == 0 &&
	    load_side(&new_, "NEW", s->new_, err, errlen) == 0 &&
	    check_keys(&base, &new_, err, errlen) == 0 &&
	    check_units(&base, &new_, err, errlen) == 0)
		rc = report(&base, &new_, s, err, errlen);
	free_side(&base);
	free_side(&new_);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct settings s;
	char err[8192]; /* room for a whole path and key */
	switch (parse_args(argc, argv, &s, err, sizeof(err))) {
	case ARGS_HELP:
		usage(stdout);
		return 0;
	case ARGS_ERROR:
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	case ARGS_RUN:
		break;
	}
	int rc = compare_sets(&s, err, sizeof(err));
	if (rc == 2)
		fprintf(stderr, PROG ": %s\n", err);
	return rc;
}
