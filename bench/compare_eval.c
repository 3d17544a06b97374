/*
 * Each row of forkbench compare, judged by what its numbers are:
 * counters and model quantities are exact and must match; timings in
 * instructions (qemu-tcg-det) are deterministic, so any change beyond the
 * threshold is real; timings in TSC cycles and PMU counts are noisy and
 * need a test, corrected for the many rows one comparison tests at once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fb_vocab.h"
#include "mannwhitney.h"

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
 * Counters are exact, so any difference is real, however small. With
 * different rep counts the multiplicities cannot match; the distinct
 * values still must.
 */
static enum verdict counter_verdict(struct report_row *r)
{
	const struct group *a = r->base, *b = r->new_;
	if (a->n != b->n) {
		snprintf(r->note, sizeof(r->note), "%zu vs %zu reps", a->n, b->n);
		return same_distinct(a, b) ? VERDICT_MATCH : VERDICT_MISMATCH;
	}
	for (size_t i = 0; i < a->n; i++)
		if (!same_value(a->v[i], b->v[i]))
			return VERDICT_MISMATCH;
	return VERDICT_MATCH;
}

/*
 * Timings and hardware counts vary between repetitions; counters and
 * model quantities repeat exactly. The vocabulary says which a metric is;
 * a name it does not know is judged by its unit.
 */
static int is_measurement(const struct metric_row *k)
{
	int m = fb_metric_find(k->metric);
	if (m < 0)
		return strcmp(k->unit, FB_UNIT_CYCLES) == 0 ||
		       strcmp(k->unit, FB_UNIT_INSTRUCTIONS) == 0 ||
		       strcmp(k->unit, FB_UNIT_EVENTS) == 0;
	return fb_metric_kinds[m] == FB_K_TIMING || fb_metric_kinds[m] == FB_K_PMU;
}

/*
 * -icount makes the guest's clock count instructions, the same count
 * every run: a test would only lose power on data without noise.
 */
static int is_deterministic(const struct metric_row *k)
{
	return strcmp(k->unit, FB_UNIT_INSTRUCTIONS) == 0;
}

/* The Mann-Whitney test over the measured reps; NA reps are left out. */
static int run_test(struct report_row *r)
{
	const struct group *a = r->base, *b = r->new_;
	struct mw_result mw;
	if (mw_test(a->v, measured(a), b->v, measured(b), &mw) < 0)
		return -1;
	r->p = mw.p;
	r->min_p = mw_min_p(measured(a), measured(b));
	r->test = mw.exact ? TEST_MW_EXACT : TEST_MW_NORMAL;
	if (measured(a) < FEW_REPS || measured(b) < FEW_REPS)
		snprintf(r->note, sizeof(r->note), "few reps");
	return 0;
}

/* Medians and tests skip NA reps; the reader should know some were. */
static void note_na_reps(struct report_row *r)
{
	size_t n = strlen(r->note);
	if (r->base->na || r->new_->na)
		snprintf(r->note + n, sizeof(r->note) - n, "%sNA reps left out",
			 n ? ", " : "");
}

/*
 * Medians, change and (for noisy rows) the raw p. NA everywhere is an
 * unmeasurable metric (no PMU, say) and fine; NA on one side only means
 * it stopped or started being measurable.
 */
static int measure_row(struct report_row *r)
{
	r->base_med = group_median(r->base);
	r->new_med = group_median(r->new_);
	r->change_pct = change_pct(r->base_med, r->new_med);
	r->p = r->p_adj = r->min_p = NAN;
	r->note[0] = '\0';
	int base_na = !measured(r->base), new_na = !measured(r->new_);
	if (base_na || new_na) {
		r->test = TEST_NONE;
		r->verdict = base_na && new_na ? VERDICT_NA : VERDICT_MISMATCH;
		if (base_na != new_na)
			snprintf(r->note, sizeof(r->note), "NA in %s only",
				 base_na ? "BASE" : "NEW");
		return 0;
	}
	if (!is_measurement(r->base->key)) {
		r->test = TEST_MATCH; /* NaN is a value here: it must match */
		return 0;
	}
	if (is_deterministic(r->base->key))
		r->test = TEST_THRESHOLD;
	else if (run_test(r) < 0)
		return -1;
	note_na_reps(r);
	return 0;
}

/*
 * A gate that cannot fire passes everything silently: a row whose rep
 * counts cannot give p below alpha, or a family whose correction asks
 * for a smaller p than its best row can give, is refused instead (exit 2).
 */
static int check_reachable(const struct report_row *rows, size_t n,
			   const struct settings *s, char *err, size_t errlen)
{
	const struct report_row *best = NULL;
	size_t tested = 0;
	char key[200];
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = &rows[i];
		if (!row_tested(r))
			continue;
		tested++;
		if (!best || r->min_p < best->min_p)
			best = r;
		if (r->min_p < s->alpha)
			continue;
		key_name(r->base->key, key, sizeof(key));
		snprintf(err, errlen, "%s: with %zu vs %zu reps the smallest "
			 "two-sided p is %.2g, not below alpha %g: no change "
			 "could be significant (more reps needed)", key,
			 measured(r->base), measured(r->new_), r->min_p,
			 s->alpha);
		return -1;
	}
	/* Only Holm asks for less than alpha (the loop checked that). */
	double level = first_step_level(s->alpha, tested, s->correction);
	if (!best || best->min_p < level)
		return 0;
	snprintf(err, errlen, "Holm over %zu tested rows needs p < alpha/%zu = "
		 "%.2g (alpha %g), but with %zu vs %zu reps the smallest "
		 "two-sided p is %.2g: no change could be significant (more "
		 "reps, or --correction bh)", tested, tested, level, s->alpha,
		 measured(best->base), measured(best->new_), best->min_p);
	return -1;
}

/* Adjust the tested rows' p-values together, as one family. */
static int adjust(struct report_row *rows, size_t n, enum correction c)
{
	double *p = malloc((n ? n : 1) * sizeof(*p));
	if (!p)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (row_tested(&rows[i]))
			p[m++] = rows[i].p;
	int rc = p_adjust(p, p, m, c);
	m = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (row_tested(&rows[i]))
			rows[i].p_adj = p[m++];
	free(p);
	return rc;
}

static void decide(struct report_row *r, const struct settings *s)
{
	switch (r->test) {
	case TEST_NONE:
		break; /* measure_row decided */
	case TEST_MATCH:
		r->verdict = counter_verdict(r);
		break;
	case TEST_THRESHOLD:
		r->verdict = threshold_verdict(r->change_pct,
					       s->det_threshold_pct);
		break;
	case TEST_MW_EXACT:
	case TEST_MW_NORMAL:
		r->verdict = timing_verdict(r->p_adj, r->change_pct, s->alpha,
					    s->threshold_pct);
		break;
	}
}

int evaluate_rows(struct report_row *rows, size_t n, const struct settings *s,
		  char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (measure_row(&rows[i]) < 0)
			goto oom;
	if (check_reachable(rows, n, s, err, errlen) < 0)
		return -1;
	if (adjust(rows, n, s->correction) < 0)
		goto oom;
	for (size_t i = 0; i < n; i++)
		decide(&rows[i], s);
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}
