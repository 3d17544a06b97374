/* Per-size medians and spreads from per-repetition metric rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_agg.h"

/* Microseconds per unit of a time; 0 for anything that is not a time. */
static double us_per(const char *unit)
{
	static const struct { const char *name; double us; } times[] = {
		{ "ns", 1e-3 }, { "us", 1.0 }, { "ms", 1e3 }, { "s", 1e6 },
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(*times); i++)
		if (strcmp(unit, times[i].name) == 0)
			return times[i].us;
	return 0;
}

int plot_unit_factor(const char *unit, double tsc_khz, enum plot_unit want,
		     double *factor, char *err, size_t errlen)
{
	int cycles = strcmp(unit, "cycles") == 0;
	int instr = strcmp(unit, "instructions") == 0;
	if (want == PLOT_COUNT || strcmp(unit, "count") == 0) {
		if (want != PLOT_COUNT || strcmp(unit, "count") != 0) {
			snprintf(err, errlen, "unit '%s' where %s expected", unit,
				 want == PLOT_COUNT ? "counts were" : "a timing was");
			return -1;
		}
		*factor = 1.0;
		return 0;
	}
	if (want == PLOT_INSTR || instr) {
		if (want != PLOT_INSTR || !instr) {
			snprintf(err, errlen, "unit '%s' in a set %s", unit,
				 instr ? "timed in cycles or time (an instruction "
					 "count is not a time)"
				       : "timed in instructions (qemu-tcg-det)");
			return -1;
		}
		*factor = 1.0;
		return 0;
	}
	if (want == PLOT_CYCLES) {
		/* Per-access costs are only meaningful in the unit measured. */
		if (!cycles) {
			snprintf(err, errlen, "unit '%s' where cycles were expected",
				 unit);
			return -1;
		}
		*factor = 1.0;
		return 0;
	}
	double us = us_per(unit);
	if (cycles) {
		if (!(tsc_khz > 0)) {
			snprintf(err, errlen, "no tsc_khz in meta.json to convert "
				 "cycles to time");
			return -1;
		}
		us = 1000.0 / tsc_khz; /* tsc_khz cycles per millisecond */
	}
	if (us == 0) {
		snprintf(err, errlen, "unit '%s' is neither cycles nor a time",
			 unit);
		return -1;
	}
	*factor = want == PLOT_MS ? us / 1000.0 : us;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double plot_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A matching, measured row's value converted, as (size, value). */
struct sample {
	uint64_t size;
	double value;
};

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	if (x->size != y->size)
		return (x->size > y->size) - (x->size < y->size);
	return cmp_double(&x->value, &y->value);
}

static int row_matches(const struct metric_row *r, const struct plot_key *k)
{
	return r->has_value && strcmp(r->variant, k->variant) == 0 &&
	       strcmp(r->scenario, k->scenario) == 0 &&
	       strcmp(r->metric, k->metric) == 0;
}

/*
 * The matching rows as samples in *out (NULL and *n == 0 when none
 * match). -1 with err when a unit cannot be converted or on no memory.
 */
static int collect(const struct metric_table *t, const struct plot_key *k,
		   double tsc_khz, enum plot_unit want, struct sample **out,
		   size_t *n, char *err, size_t errlen)
{
	struct sample *s = NULL;
	*n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct metric_row *r = &t->rows[i];
		double f;
		if (!row_matches(r, k))
			continue;
		if (plot_unit_factor(r->unit, tsc_khz, want, &f, err, errlen) < 0)
			goto fail;
		/* The rows left bound the samples: one allocation. */
		if (!s && !(s = malloc((t->n - i) * sizeof(*s)))) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		s[(*n)++] = (struct sample){ r->size, r->value * f };
	}
	*out = s;
	return 0;
fail:
	free(s);
	*n = 0;
	*out = NULL;
	return -1;
}

/* Reduce the sorted samples of one size, s[0..n), to a point. */
static struct plot_point reduce(struct sample *s, size_t n, double *scratch)
{
	for (size_t i = 0; i < n; i++)
		scratch[i] = s[i].value;
	return (struct plot_point){ .size = s[0].size,
				    .median = plot_median(scratch, n),
				    .min = scratch[0], .max = scratch[n - 1],
				    .n = n };
}

int plot_series_build(const struct metric_table *t, const struct plot_key *k,
		      double tsc_khz, enum plot_unit want,
		      struct plot_series *out, char *err, size_t errlen)
{
	size_t n;
	struct sample *s;
	memset(out, 0, sizeof(*out));
	if (collect(t, k, tsc_khz, want, &s, &n, err, errlen) < 0)
		return -1;
	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), cmp_sample);
	double *scratch = malloc(n * sizeof(*scratch));
	out->pts = malloc(n * sizeof(*out->pts));
	if (!scratch || !out->pts) {
		free(scratch);
		free(s);
		plot_series_free(out);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && s[j].size == s[i].size; j++)
			;
		out->pts[out->n++] = reduce(s + i, j - i, scratch);
	}
	free(scratch);
	free(s);
	return 0;
}

void plot_series_free(struct plot_series *s)
{
	free(s->pts);
	memset(s, 0, sizeof(*s));
}

double plot_series_median_at(const struct plot_series *s, uint64_t size)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pts[i].size == size)
			return s->pts[i].median;
	return NAN;
}

int plot_has_values(const struct metric_table *t, const char *scenario,
		    const char *metric)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct metric_row *r = &t->rows[i];
		if (r->has_value && strcmp(r->scenario, scenario) == 0 &&
		    strcmp(r->metric, metric) == 0)
			return 1;
	}
	return 0;
}

size_t plot_na_reasons(const struct metric_table *t, const char *metric,
		       char *buf, size_t len)
{
	size_t added = 0, n = strlen(buf);
	for (size_t i = 0; i < t->n && n < len; i++) {
		const struct metric_row *r = &t->rows[i];
		if (r->has_value || !r->note[0] || strcmp(r->metric, metric) != 0 ||
		    strstr(buf, r->note))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      r->note);
		added++;
	}
	return added;
}

const char *plot_unit_name(enum plot_unit u)
{
	return u == PLOT_US ? "us" : u == PLOT_MS ? "ms" :
	       u == PLOT_INSTR ? "instructions" :
	       u == PLOT_COUNT ? "count" : "cycles";
}

void plot_series_write(FILE *f, const struct plot_series *s, enum plot_unit u)
{
	const char *un = plot_unit_name(u);
	fprintf(f, "size_bytes,median_%s,min_%s,max_%s,reps\n", un, un, un);
	for (size_t i = 0; i < s->n; i++) {
		const struct plot_point *p = &s->pts[i];
		fprintf(f, "%llu,%.9g,%.9g,%.9g,%zu\n",
			(unsigned long long)p->size, p->median, p->min, p->max,
			p->n);
	}
}

int plot_name_safe(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz"
			       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
			     strlen(s);
}

static int known(const struct plot_names *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->name[i], name) == 0)
			return 1;
	return 0;
}

int plot_variants(const struct metric_table *t, struct plot_names *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->n; i++) {
		const char *v = t->rows[i].variant;
		if (known(out, v))
			continue;
		/* Few variants: growing by one keeps this simple. */
		char (*grown)[32] = realloc(out->name,
					    (out->n + 1) * sizeof(*out->name));
		if (!grown) {
			plot_names_free(out);
			return -1;
		}
		out->name = grown;
		snprintf(out->name[out->n++], sizeof(*out->name), "%s", v);
	}
	return 0;
}

void plot_names_free(struct plot_names *n)
{
	free(n->name);
	memset(n, 0, sizeof(*n));
}
