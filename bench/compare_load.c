/*
 * The two sides of forkbench compare: read, grouped by (variant,
 * scenario, size, metric), and checked. Compare is a gate, so anything
 * doubtful about the input is an error (exit 2) rather than a silently
 * smaller comparison: a configuration measured on one side only, a
 * repeated repetition, a metric whose unit changed, an empty set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "meta.h"
#include "fb_vocab.h"
#include "mannwhitney.h"

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

void key_name(const struct metric_row *r, char *buf, size_t len)
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

/*
 * The warm-up repetition runs with cold caches and unwarmed paths on
 * purpose; it is kept in the file for inspection, never compared. Moves
 * the other rows to the front of order; returns their number.
 */
static size_t drop_warmups(struct side *s, const struct metric_row **order)
{
	size_t m = 0;
	for (size_t i = 0; i < s->t.n; i++)
		if (!order[i]->warmup)
			order[m++] = order[i];
	s->warmups = s->t.n - m;
	return m;
}

static size_t count_groups(const struct metric_row **order, size_t n)
{
	size_t ng = 0;
	for (size_t i = 0; i < n; i++)
		ng += i == 0 || key_cmp(order[i - 1], order[i]) != 0;
	return ng;
}

/* Split the n sorted rows into groups, each with its values sorted. */
static int build_groups(struct side *s, const struct metric_row **order,
			size_t n)
{
	s->ng = count_groups(order, n);
	s->g = calloc(s->ng, sizeof(*s->g));
	s->values = malloc(n * sizeof(*s->values));
	if (!s->g || !s->values)
		return -1;
	struct group *g = NULL;
	for (size_t i = 0; i < n; i++) {
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
	size_t n = rc == 0 ? drop_warmups(s, order) : 0;
	if (rc == 0 && n == 0) {
		snprintf(err, errlen, "%s: only warm-up rows, nothing measured",
			 s->path);
		rc = -1;
	}
	if (rc == 0 && build_groups(s, order, n) < 0) {
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

/* The meta.json beside a metrics.csv. */
static void meta_beside(const char *metrics, char *meta, size_t len)
{
	const char *slash = strrchr(metrics, '/');
	snprintf(meta, len, "%.*s" META_JSON,
		 slash ? (int)(slash - metrics + 1) : 0, metrics);
}

/* meta.json beside metrics.csv says kind linux-guest. */
static int is_linux_peer(const char *metrics)
{
	char meta[4096 + 16], kind[32];
	meta_beside(metrics, meta, sizeof(meta));
	return meta_get(meta, "kind", kind, sizeof(kind)) == 0 &&
	       strcmp(kind, "linux-guest") == 0;
}

/*
 * The parents' page size (forkbench run --parent-pages). Sets written
 * before it was recorded, and a bare metrics.csv, had 4 KiB parents.
 */
static void parent_pages(const char *metrics, char *out, size_t len)
{
	char meta[4096 + 16];
	meta_beside(metrics, meta, sizeof(meta));
	if (meta_get(meta, "sweep.parent_pages", out, len) < 0 || !out[0])
		snprintf(out, len, "4K");
}

int load_side(struct side *s, const char *label, const char *arg, char *err,
	      size_t errlen)
{
	s->label = label;
	if (metrics_path(arg, s->path, sizeof(s->path)) < 0) {
		snprintf(err, errlen, "%s: path too long", label);
		return -1;
	}
	if (metrics_read(s->path, &s->t, err, errlen) < 0)
		return -1;
	s->linux_peer = is_linux_peer(s->path);
	parent_pages(s->path, s->parent_pages, sizeof(s->parent_pages));
	return group_side(s, err, errlen);
}

void free_side(struct side *s)
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

int check_pairing(const struct side *base, const struct side *new_,
		  char *err, size_t errlen)
{
	/* Every row would differ for that reason alone: not a regression. */
	if (strcmp(base->parent_pages, new_->parent_pages) != 0) {
		snprintf(err, errlen, "BASE's parents have %s pages, NEW's %s "
			 "(forkbench run --parent-pages): not comparable",
			 base->parent_pages, new_->parent_pages);
		return -1;
	}
	if (check_keys(base, new_, err, errlen) < 0)
		return -1;
	return check_units(base, new_, err, errlen);
}
