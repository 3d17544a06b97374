/*
 * forkbench compare's report: by default only the rows that changed
 * (regressions, improvements, mismatches) and a summary, so a gate's log
 * shows what matters; --all shows every row. md is for people and CI
 * logs, csv and json for scripts (csv puts the summary on stderr, so
 * stdout stays one table).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "compare.h"
#include "csvjson.h"
#include "mannwhitney.h"

/* What the summary counts. */
struct tally {
	size_t count[VERDICT_NA + 1];
	size_t tested, exact, deterministic, exact_match, shown;
};

static int changed(const struct report_row *r)
{
	return r->verdict == VERDICT_REGRESSION ||
	       r->verdict == VERDICT_IMPROVEMENT ||
	       r->verdict == VERDICT_MISMATCH;
}

static int shown(const struct report_row *r, const struct settings *s)
{
	return s->all || changed(r);
}

static struct tally count_rows(const struct report_row *rows, size_t n,
			       const struct settings *s)
{
	struct tally t = { 0 };
	for (size_t i = 0; i < n; i++) {
		t.count[rows[i].verdict]++;
		t.tested += row_tested(&rows[i]);
		t.exact += rows[i].test == TEST_MW_EXACT;
		t.deterministic += rows[i].test == TEST_THRESHOLD;
		t.exact_match += rows[i].test == TEST_MATCH;
		t.shown += shown(&rows[i], s);
	}
	return t;
}

static size_t unchanged(const struct tally *t)
{
	return t->count[VERDICT_SAME] + t->count[VERDICT_MATCH] +
	       t->count[VERDICT_NA];
}

/* How the p-values the verdicts used were adjusted, for the summary. */
static const char *adjusted_p(enum correction c)
{
	switch (c) {
	case CORR_HOLM: return "Holm-adjusted p";
	case CORR_BH: return "Benjamini-Hochberg-adjusted p";
	case CORR_NONE: return "unadjusted p";
	}
	return "?";
}

static const char *test_name(enum row_test t)
{
	switch (t) {
	case TEST_NONE: return "none";
	case TEST_MATCH: return "exact-match";
	case TEST_THRESHOLD: return "threshold";
	case TEST_MW_EXACT: return "mann-whitney-exact";
	case TEST_MW_NORMAL: return "mann-whitney-normal";
	}
	return "?";
}

/* ---- summary ------------------------------------------------------------ */

/* The counts, then one line per way rows were judged, as present. */
static void print_summary(FILE *f, const struct tally *t, size_t n,
			  const struct settings *s, const struct side *base,
			  const struct side *new_)
{
	fprintf(f, "%zu regressions, %zu improvements, %zu counter mismatches, "
		"%zu unchanged (of %zu metrics)\n",
		t->count[VERDICT_REGRESSION], t->count[VERDICT_IMPROVEMENT],
		t->count[VERDICT_MISMATCH], unchanged(t), n);
	if (t->tested)
		fprintf(f, "noisy: %zu rows by a two-sided Mann-Whitney test "
			"(%zu exact, %zu normal approx.), %s < %g "
			"and a change beyond %g%%\n", t->tested, t->exact,
			t->tested - t->exact, adjusted_p(s->correction),
			s->alpha, s->threshold_pct);
	if (t->deterministic)
		fprintf(f, "deterministic (instructions): %zu rows by a change "
			"beyond %g%%, no test%s\n", t->deterministic,
			s->det_threshold_pct,
			s->det_threshold_pct > s->threshold_pct
				? " (the Linux peer's run-to-run tolerance)" : "");
	if (t->exact_match)
		fprintf(f, "exact counters: %zu rows, every value must match\n",
			t->exact_match);
	if (base->warmups || new_->warmups)
		fprintf(f, "warm-up reps left out: %zu in BASE, %zu in NEW\n",
			base->warmups, new_->warmups);
	if (t->shown < n)
		fprintf(f, "%zu unchanged rows not shown (--all shows them)\n",
			n - t->shown);
}

/* ---- md ----------------------------------------------------------------- */

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

static void md_header(void)
{
	printf("| variant | scenario | size | metric | base median "
	       "| new median | change %% | p-value | adjusted p | verdict |\n");
	printf("|---|---|---:|---|---:|---:|---:|---:|---:|---|\n");
}

static void md_row(const struct report_row *r)
{
	const struct metric_row *k = r->base->key;
	char size[24], base[32], new_[32], change[32], p[32], adj[32];
	fmt_size(k->size, size, sizeof(size));
	fmt_value(r->base_med, base, sizeof(base));
	fmt_value(r->new_med, new_, sizeof(new_));
	fmt_or_dash(r->change_pct, "%+.1f", change, sizeof(change));
	fmt_or_dash(r->p, "%.3g", p, sizeof(p));
	fmt_or_dash(r->p_adj, "%.3g", adj, sizeof(adj));
	printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s", k->variant,
	       k->scenario, size, k->metric, base, new_, change, p, adj,
	       verdict_name(r->verdict));
	if (r->note[0])
		printf(" (%s)", r->note);
	printf(" |\n");
}

static void print_md(const struct report_row *rows, size_t n,
		     const struct settings *s, const struct tally *t)
{
	if (!t->shown)
		return;
	md_header();
	for (size_t i = 0; i < n; i++)
		if (shown(&rows[i], s))
			md_row(&rows[i]);
	printf("\n");
}

/* ---- csv ---------------------------------------------------------------- */

static const char *const csv_columns[] = {
	"variant", "scenario", "size", "metric", "unit", "base_n", "new_n",
	"base_median", "new_median", "change_pct", "p", "p_adjusted", "test",
	"verdict", "note",
};
#define NCOLS (sizeof(csv_columns) / sizeof(*csv_columns))

/* A number for scripts: empty when not applicable or not finite. */
static void fmt_num(double v, char *buf, size_t len)
{
	if (isfinite(v))
		snprintf(buf, len, "%.12g", v);
	else
		buf[0] = '\0';
}

static void csv_report_row(const struct report_row *r)
{
	const struct metric_row *k = r->base->key;
	char size[24], bn[24], nn[24], num[5][32];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)k->size);
	snprintf(bn, sizeof(bn), "%zu", measured(r->base));
	snprintf(nn, sizeof(nn), "%zu", measured(r->new_));
	const double v[5] = { r->base_med, r->new_med, r->change_pct, r->p,
			      r->p_adj };
	for (int i = 0; i < 5; i++)
		fmt_num(v[i], num[i], sizeof(num[i]));
	const char *cols[NCOLS] = {
		k->variant, k->scenario, size, k->metric, k->unit, bn, nn,
		num[0], num[1], num[2], num[3], num[4], test_name(r->test),
		verdict_name(r->verdict), r->note,
	};
	csv_row(stdout, cols, NCOLS);
}

static void print_csv(const struct report_row *rows, size_t n,
		      const struct settings *s)
{
	csv_row(stdout, csv_columns, NCOLS);
	for (size_t i = 0; i < n; i++)
		if (shown(&rows[i], s))
			csv_report_row(&rows[i]);
}

/* ---- json --------------------------------------------------------------- */

/* A JSON string; paths can be long, so the buffer is sized to fit. */
static void json_str(const char *s)
{
	size_t need = json_escape(NULL, 0, s) + 1;
	char *buf = malloc(need);
	if (!buf) { /* null rather than the text unescaped */
		fputs("null", stdout);
		return;
	}
	json_escape(buf, need, s);
	printf("\"%s\"", buf);
	free(buf);
}

/* JSON has no NaN or infinity: not applicable is null. */
static void json_num(double v)
{
	if (isfinite(v))
		printf("%.12g", v);
	else
		fputs("null", stdout);
}

static void json_member(const char *key, const char *s, int last)
{
	printf("\"%s\": ", key);
	json_str(s);
	fputs(last ? "" : ", ", stdout);
}

static void json_number_member(const char *key, double v)
{
	printf("\"%s\": ", key);
	json_num(v);
	fputs(", ", stdout);
}

static void json_row(const struct report_row *r)
{
	const struct metric_row *k = r->base->key;
	fputs("    {", stdout);
	json_member("variant", k->variant, 0);
	json_member("scenario", k->scenario, 0);
	printf("\"size\": %llu, ", (unsigned long long)k->size);
	json_member("metric", k->metric, 0);
	json_member("unit", k->unit, 0);
	printf("\"base_n\": %zu, \"new_n\": %zu, ", measured(r->base),
	       measured(r->new_));
	json_number_member("base_median", r->base_med);
	json_number_member("new_median", r->new_med);
	json_number_member("change_pct", r->change_pct);
	json_number_member("p", r->p);
	json_number_member("p_adjusted", r->p_adj);
	json_member("test", test_name(r->test), 0);
	json_member("verdict", verdict_name(r->verdict), 0);
	json_member("note", r->note, 1);
	fputs("}", stdout);
}

static void json_summary(const struct tally *t, size_t n)
{
	printf("  \"summary\": {\"regressions\": %zu, \"improvements\": %zu, "
	       "\"mismatches\": %zu, \"unchanged\": %zu, \"metrics\": %zu, "
	       "\"tested\": %zu},\n", t->count[VERDICT_REGRESSION],
	       t->count[VERDICT_IMPROVEMENT], t->count[VERDICT_MISMATCH],
	       unchanged(t), n, t->tested);
}

static void print_json(const struct report_row *rows, size_t n,
		       const struct settings *s, const struct tally *t,
		       const struct side *base, const struct side *new_)
{
	fputs("{\n  ", stdout);
	json_member("base", base->path, 0);
	json_member("new", new_->path, 1);
	printf(",\n  \"alpha\": %g, \"threshold_pct\": %g, "
	       "\"instructions_threshold_pct\": %g, ", s->alpha,
	       s->threshold_pct, s->det_threshold_pct);
	json_member("correction", correction_name(s->correction), 1);
	printf(",\n  \"warmups\": {\"base\": %zu, \"new\": %zu},\n",
	       base->warmups, new_->warmups);
	json_summary(t, n);
	fputs("  \"rows\": [", stdout);
	const char *sep = "\n";
	for (size_t i = 0; i < n; i++) {
		if (!shown(&rows[i], s))
			continue;
		fputs(sep, stdout);
		json_row(&rows[i]);
		sep = ",\n";
	}
	fputs(t->shown ? "\n  ]\n}\n" : "]\n}\n", stdout);
}

int print_report(const struct report_row *rows, size_t n,
		 const struct settings *s, const struct side *base,
		 const struct side *new_)
{
	struct tally t = count_rows(rows, n, s);
	switch (s->format) {
	case FMT_MD:
		print_md(rows, n, s, &t);
		print_summary(stdout, &t, n, s, base, new_);
		break;
	case FMT_CSV:
		print_csv(rows, n, s);
		print_summary(stderr, &t, n, s, base, new_);
		break;
	case FMT_JSON:
		print_json(rows, n, s, &t, base, new_);
		break;
	}
	return t.count[VERDICT_REGRESSION] || t.count[VERDICT_MISMATCH] ? 1 : 0;
}
