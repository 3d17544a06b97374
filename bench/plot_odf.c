/*
 * The on-demand fork figures (plot_odf.h). Both are drawn in the set's
 * own unit, TSC cycles or qemu-tcg-det's instructions, never converted
 * to time: the gaps between the variants are the point, and forkbench
 * ratios quotes the same medians. Size 0 (no parent) has no place on
 * their log axis, so it is left out and the axis spans the parents
 * measured.
 */
#include <stdio.h>
#include <string.h>

#include "fb_vocab.h"
#include "host_opts.h"
#include "plot_odf.h"
#include "same_backend.h"

/* A series: a variant of the guest set, or (native) of the Linux one. */
struct odf_source {
	int native;
	int variant; /* enum fb_variant, or enum host_variant when native */
};

static const struct odf_source odf_sources[] = {
	{ 0, FB_V_COPY }, { 0, FB_V_COW }, { 0, FB_V_ODF },
	{ 0, FB_V_HUGE_COPY }, { 0, FB_V_HUGE_SPLIT }, { 0, FB_V_SPAWN },
	{ 1, HV_FORK }, { 1, HV_FORK_THP },
};
#define ODF_GUEST_SOURCES 6 /* the first ones; Linux's follow */
#define ODF_SOURCES (sizeof(odf_sources) / sizeof(*odf_sources))

/* The variants that leave a write for later: spawn shares nothing. */
static const struct odf_source first_write_sources[] = {
	{ 0, FB_V_COPY }, { 0, FB_V_COW }, { 0, FB_V_ODF },
	{ 0, FB_V_HUGE_COPY }, { 0, FB_V_HUGE_SPLIT },
};
#define FIRST_WRITE_SOURCES \
	(sizeof(first_write_sources) / sizeof(*first_write_sources))

/* The series a figure found, before anything is written. */
struct gathered {
	struct plot_series s[ODF_SOURCES];
	const char *name[ODF_SOURCES];
	const struct plot_set *set[ODF_SOURCES];
	size_t n, guest; /* guest: how many came from the guest set */
	uint64_t min, max; /* parent sizes drawn */
};

static const char *source_name(const struct odf_source *src)
{
	return src->native ? host_variant_names[src->variant]
			   : fb_variant_names[src->variant];
}

/* Drop the points at size 0: a log axis has no place for them. */
static void drop_size_zero(struct plot_series *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->pts[i].size > 0)
			s->pts[kept++] = s->pts[i];
	s->n = kept;
}

/* One source's series into g, if it has points above size 0. */
static enum plot_prep gather(struct gathered *g, const struct plot_set *set,
			     const struct odf_source *src, const char *scenario,
			     const char *metric, char *why, size_t whylen)
{
	struct plot_key k = { source_name(src), scenario, metric };
	struct plot_series s;
	enum plot_prep rc = plot_data_build(set, &k, PLOT_CYCLES, &s, why,
					    whylen);
	if (rc != PLOT_READY)
		return rc;
	drop_size_zero(&s);
	if (s.n == 0) {
		plot_series_free(&s);
		return PLOT_READY;
	}
	if (g->n == 0 || s.pts[0].size < g->min)
		g->min = s.pts[0].size;
	if (s.pts[s.n - 1].size > g->max)
		g->max = s.pts[s.n - 1].size;
	g->s[g->n] = s;
	g->name[g->n] = k.variant;
	g->set[g->n] = set;
	g->guest += !src->native;
	g->n++;
	return PLOT_READY;
}

static void gathered_free(struct gathered *g)
{
	for (size_t i = 0; i < g->n; i++)
		plot_series_free(&g->s[i]);
}

/* "copy cow": the names found, for a message. */
static void names_found(const struct gathered *g, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < g->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", g->name[i]);
}

/*
 * Write OUT/data/PREFIX<name>.csv for each series, the guest's names into
 * the gnuplot variable gvar and Linux's into lvar (when given), and the
 * axis and unit the script reads.
 */
static enum plot_prep hand_over(struct plot_ctx *c, const struct gathered *g,
				const char *prefix, const char *gvar,
				const char *lvar, struct plot_str *vars,
				char *why, size_t whylen)
{
	struct plot_str words[2] = { { 0 }, { 0 } };
	enum plot_prep rc = PLOT_READY;
	char name[128];
	for (size_t i = 0; i < g->n && rc == PLOT_READY; i++) {
		int native = g->set[i] == &c->native;
		snprintf(name, sizeof(name), "%s%s", prefix, g->name[i]);
		rc = plot_data_series(c, name, &g->s[i],
				      plot_set_unit(g->set[i], PLOT_CYCLES), why,
				      whylen);
		if (rc == PLOT_READY &&
		    plot_words_add(&words[native], g->name[i]) < 0)
			rc = PLOT_IO_ERROR;
	}
	/* The last assignments win over plot.c's common axis. */
	if (rc == PLOT_READY &&
	    (plot_gp_string(vars, gvar, words[0].s ? words[0].s : "") < 0 ||
	     (lvar && plot_gp_string(vars, lvar,
				     words[1].s ? words[1].s : "") < 0) ||
	     plot_gp_string(vars, "yunit", plot_set_clock(&c->guest)) < 0 ||
	     plot_gp_number(vars, "zero_x", 0) < 0 ||
	     plot_gp_number(vars, "xmin", (double)g->min / 2) < 0 ||
	     plot_gp_number(vars, "xmax", (double)g->max * 2) < 0))
		rc = PLOT_IO_ERROR;
	if (rc == PLOT_IO_ERROR && !why[0])
		snprintf(why, whylen, "out of memory");
	plot_str_free(&words[0]);
	plot_str_free(&words[1]);
	return rc;
}

/*
 * Linux's series belong in the figure only from a peer set on the same
 * backend and clock; otherwise the guest's are drawn alone, saying why.
 */
static int linux_comparable(struct plot_ctx *c, struct plot_str *vars)
{
	if (!c->native.dir)
		return 0;
	if (same_backend(c->guest.backend, c->native.backend) &&
	    c->guest.instructions == c->native.instructions)
		return 1;
	fprintf(stderr, "plot: odf: LINUX_SET left out, GUEST_SET is on %s in "
		"%s, LINUX_SET on %s in %s: one backend per figure\n",
		c->guest.backend, plot_set_clock(&c->guest), c->native.backend,
		plot_set_clock(&c->native));
	return plot_gp_string(vars, "native_subtitle", "") < 0 ||
			       plot_gp_string(vars, "native_clock", "") < 0
		       ? -1 : 0;
}

enum plot_prep plot_odf(struct plot_ctx *c, struct plot_str *vars, char *why,
			size_t whylen)
{
	const char *sc = fb_scenario_names[FB_SC_CREATE],
		   *m = fb_metric_names[FB_M_CYCLES_TO_RETURN];
	struct gathered g = { 0 };
	enum plot_prep rc = PLOT_READY;
	for (size_t i = 0; i < ODF_GUEST_SOURCES && rc == PLOT_READY; i++)
		rc = gather(&g, &c->guest, &odf_sources[i], sc, m, why, whylen);
	if (rc == PLOT_READY && g.guest < 2) {
		char found[256];
		names_found(&g, found, sizeof(found));
		snprintf(why, whylen, "fewer than two of copy, cow, odf, "
			 "huge_copy, huge_split, spawn have create "
			 "cycles_to_return values above size 0 in GUEST_SET "
			 "(found: %s)", found[0] ? found : "none");
		rc = PLOT_SKIP;
	}
	int with_linux = rc == PLOT_READY ? linux_comparable(c, vars) : 0;
	if (with_linux < 0) {
		snprintf(why, whylen, "out of memory");
		rc = PLOT_IO_ERROR;
	}
	for (size_t i = ODF_GUEST_SOURCES;
	     i < ODF_SOURCES && rc == PLOT_READY && with_linux > 0; i++)
		rc = gather(&g, &c->native, &odf_sources[i], sc, m, why, whylen);
	/* A Linux set without these variants: its title line would lie. */
	if (rc == PLOT_READY && with_linux > 0 && g.n == g.guest &&
	    (plot_gp_string(vars, "native_subtitle", "") < 0 ||
	     plot_gp_string(vars, "native_clock", "") < 0))
		rc = PLOT_IO_ERROR;
	if (rc == PLOT_READY)
		rc = hand_over(c, &g, "odf_", "gseries", "lseries", vars, why,
			       whylen);
	gathered_free(&g);
	return rc;
}

enum plot_prep plot_first_write(struct plot_ctx *c, struct plot_str *vars,
				char *why, size_t whylen)
{
	const char *m = fb_metric_names[FB_M_CYCLES_PER_FIRST_WRITE];
	struct gathered g = { 0 };
	enum plot_prep rc = PLOT_READY;
	for (size_t i = 0; i < FIRST_WRITE_SOURCES && rc == PLOT_READY; i++)
		rc = gather(&g, &c->guest, &first_write_sources[i],
			    fb_scenario_names[FB_SC_FIRST_WRITE], m, why,
			    whylen);
	if (rc == PLOT_READY && g.n == 0) {
		char na[512] = "";
		plot_na_reasons(&c->guest.t, m, na, sizeof(na));
		snprintf(why, whylen, "no first_write cycles_per_first_write "
			 "values above size 0 in GUEST_SET%s%s",
			 na[0] ? "; NA because: " : "", na);
		rc = PLOT_SKIP;
	}
	/* The figure is the guest's alone: no Linux title line. */
	if (rc == PLOT_READY &&
	    (plot_gp_string(vars, "native_subtitle", "") < 0 ||
	     plot_gp_string(vars, "native_clock", "") < 0))
		rc = PLOT_IO_ERROR;
	if (rc == PLOT_READY)
		rc = hand_over(c, &g, "first_write_", "series", NULL, vars, why,
			       whylen);
	gathered_free(&g);
	return rc;
}
