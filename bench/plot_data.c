/*
 * The data side shared by the figures: the size axis, the data files in
 * OUT/data/ and the list of files written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plot_data.h"

int plot_files_add(struct plot_files *f, const char *path)
{
	char **grown = realloc(f->path, (f->n + 1) * sizeof(*f->path));
	if (!grown)
		return -1;
	f->path = grown;
	if (!(f->path[f->n] = strdup(path)))
		return -1;
	f->n++;
	return 0;
}

void plot_files_free(struct plot_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->path[i]);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

/* Fold the measured sizes of t into the running extremes. */
static void size_extremes(const struct metric_table *t, int *zero,
			  uint64_t *min_nz, uint64_t *max)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct metric_row *r = &t->rows[i];
		if (!r->has_value)
			continue;
		if (r->size == 0)
			*zero = 1;
		else if (*min_nz == 0 || r->size < *min_nz)
			*min_nz = r->size;
		if (r->size > *max)
			*max = r->size;
	}
}

/*
 * A log axis cannot show size 0, so it is drawn two octaves left of the
 * smallest other size (at 1 KiB when there is none) under a tick "0";
 * without size 0 the axis simply starts at the smallest size.
 */
void plot_size_axis(struct plot_ctx *c)
{
	int zero = 0;
	uint64_t min_nz = 0, max = 0;
	size_extremes(&c->guest.t, &zero, &min_nz, &max);
	if (c->native.dir)
		size_extremes(&c->native.t, &zero, &min_nz, &max);
	double first = min_nz ? (double)min_nz : 4096.0;
	c->zero_x = zero ? first / 4 : 0;
	c->xmin = (zero ? c->zero_x : first) / 2;
	c->xmax = (max > first ? (double)max : first) * 2;
}

FILE *plot_data_open(struct plot_ctx *c, const char *name, char *path,
		     size_t len, char *why, size_t whylen)
{
	if (snprintf(path, len, "%s/%s.csv", c->datadir, name) >= (int)len) {
		snprintf(why, whylen, "%s/%s.csv: path too long", c->datadir,
			 name);
		return NULL;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
	return f;
}

enum plot_prep plot_data_close(struct plot_ctx *c, FILE *f, const char *path,
			       char *why, size_t whylen)
{
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad) {
		snprintf(why, whylen, "%s: write error", path);
		return PLOT_IO_ERROR;
	}
	if (plot_files_add(&c->files, path) < 0) {
		snprintf(why, whylen, "out of memory");
		return PLOT_IO_ERROR;
	}
	return PLOT_READY;
}

enum plot_prep plot_data_series(struct plot_ctx *c, const char *name,
				const struct plot_series *s, enum plot_unit u,
				char *why, size_t whylen)
{
	char path[4096];
	FILE *f = plot_data_open(c, name, path, sizeof(path), why, whylen);
	if (!f)
		return PLOT_IO_ERROR;
	plot_series_write(f, s, u);
	return plot_data_close(c, f, path, why, whylen);
}

enum plot_unit plot_set_unit(const struct plot_set *set, enum plot_unit u)
{
	return set->instructions && u != PLOT_COUNT ? PLOT_INSTR : u;
}

const char *plot_set_clock(const struct plot_set *set)
{
	return set->instructions ? "instructions (qemu-tcg-det, -icount)"
				 : "TSC cycles";
}

enum plot_prep plot_data_build(const struct plot_set *set,
			       const struct plot_key *k, enum plot_unit u,
			       struct plot_series *s, char *why, size_t whylen)
{
	char err[256] = "";
	u = plot_set_unit(set, u);
	if (plot_series_build(&set->t, k, set->tsc_khz, u, s, err,
			      sizeof(err)) == 0)
		return PLOT_READY;
	snprintf(why, whylen, "%s/%s: %s %s %s: %s", set->dir, METRICS_CSV,
		 k->variant, k->scenario, k->metric, err);
	return PLOT_BAD_INPUT;
}

enum plot_prep plot_data_variants(struct plot_ctx *c,
				  const struct plot_set *set,
				  const struct plot_want *w,
				  struct plot_str *words, char *why,
				  size_t whylen)
{
	for (size_t i = 0; i < set->variants.n; i++) {
		const char *v = set->variants.name[i];
		struct plot_key k = { v, w->scenario, w->metric };
		struct plot_series s;
		char name[256];
		enum plot_prep rc = plot_data_build(set, &k, w->unit, &s, why,
						    whylen);
		if (rc != PLOT_READY)
			return rc;
		if (s.n) {
			snprintf(name, sizeof(name), "%s%s", w->prefix, v);
			rc = plot_data_series(c, name, &s,
					      plot_set_unit(set, w->unit), why,
					      whylen);
			if (rc == PLOT_READY && plot_words_add(words, v) < 0) {
				snprintf(why, whylen, "out of memory");
				rc = PLOT_IO_ERROR;
			}
		}
		plot_series_free(&s);
		if (rc != PLOT_READY)
			return rc;
	}
	return PLOT_READY;
}

int plot_words_add(struct plot_str *words, const char *word)
{
	return plot_str_append(words, word) || plot_str_append(words, " ") ?
		       -1 : 0;
}
