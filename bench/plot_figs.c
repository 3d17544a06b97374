/*
 * The figures: which series each draws, from which set, in which unit.
 * The drawing itself is in plots/NAME.gp; the on-demand fork figures are
 * in plot_odf.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fb_vocab.h"
#include "host_opts.h"
#include "plot_figs.h"
#include "plot_odf.h"

#define SC(id) fb_scenario_names[FB_SC_##id]
#define M(id) fb_metric_names[FB_M_##id]

/*
 * Hand a word list to the script as a gnuplot variable, or skip the
 * figure with reason when the list is empty. Frees words either way.
 */
static enum plot_prep hand_over(enum plot_prep rc, struct plot_str *words,
				const char *var, struct plot_str *vars,
				const char *reason, char *why, size_t whylen)
{
	if (rc == PLOT_READY && words->n == 0) {
		snprintf(why, whylen, "%s", reason);
		rc = PLOT_SKIP;
	}
	if (rc == PLOT_READY && plot_gp_string(vars, var, words->s) < 0) {
		snprintf(why, whylen, "out of memory");
		rc = PLOT_IO_ERROR;
	}
	plot_str_free(words);
	return rc;
}

/* Creation latency: the call until it returns in the parent. */
static struct plot_want create_want(void)
{
	return (struct plot_want){ SC(CREATE), M(CYCLES_TO_RETURN), PLOT_US,
				   "create_latency_" };
}

static enum plot_prep create_latency(struct plot_ctx *c, struct plot_str *vars,
				     char *why, size_t whylen)
{
	struct plot_str words = { 0 };
	struct plot_want w = create_want();
	enum plot_prep rc = plot_data_variants(c, &c->guest, &w, &words, why,
					       whylen);
	return hand_over(rc, &words, "series", vars,
			 "no create cycles_to_return values in GUEST_SET", why,
			 whylen);
}

/*
 * A figure with both sets on one axis: refused, in one line naming both
 * units, when one set counts instructions and the other TSC cycles.
 */
static enum plot_prep same_clock(const struct plot_ctx *c, char *why,
				 size_t whylen)
{
	if (c->guest.instructions == c->native.instructions)
		return PLOT_READY;
	snprintf(why, whylen, "GUEST_SET is in %s, LINUX_SET in %s: not "
		 "drawn on one axis", plot_set_clock(&c->guest),
		 plot_set_clock(&c->native));
	return PLOT_SKIP;
}

/* The same metric from both sets, each set's variants in its own list. */
static enum plot_prep guest_vs_linux(struct plot_ctx *c, struct plot_str *vars,
				     char *why, size_t whylen)
{
	struct plot_want g = create_want(), l = create_want();
	struct plot_str gw = { 0 }, lw = { 0 };
	if (!c->native.dir) {
		snprintf(why, whylen, "no LINUX_SET given");
		return PLOT_SKIP;
	}
	if (same_clock(c, why, whylen) != PLOT_READY)
		return PLOT_SKIP;
	g.prefix = "guest_vs_linux_guest_";
	l.prefix = "guest_vs_linux_linux_";
	enum plot_prep rc = plot_data_variants(c, &c->guest, &g, &gw, why,
					       whylen);
	if (rc == PLOT_READY)
		rc = plot_data_variants(c, &c->native, &l, &lw, why, whylen);
	if (rc == PLOT_READY && lw.n == 0) {
		snprintf(why, whylen,
			 "no create cycles_to_return values in LINUX_SET");
		rc = PLOT_SKIP;
	}
	rc = hand_over(rc, &gw, "gseries", vars,
		       "no create cycles_to_return values in GUEST_SET", why,
		       whylen);
	return hand_over(rc, &lw, "lseries", vars, "", why, whylen);
}

/* ---- phases: the creation call's time split, stacked ------------------ */

#define NPHASES 4
static const enum fb_metric phase_metric[NPHASES] = {
	FB_M_PHASE_PT_COPY, FB_M_PHASE_PAGE_COPY, FB_M_PHASE_TLB,
	FB_M_PHASE_REST
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The distinct sizes of the series, ascending; *n of them. NULL on ENOMEM. */
static uint64_t *union_sizes(const struct plot_series *s, size_t ns,
			     size_t *n)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < ns; i++)
		total += s[i].n;
	uint64_t *sz = malloc((total ? total : 1) * sizeof(*sz));
	if (!sz)
		return NULL;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < s[i].n; j++)
			sz[k++] = s[i].pts[j].size;
	qsort(sz, total, sizeof(*sz), cmp_u64);
	*n = 0;
	for (size_t i = 0; i < total; i++)
		if (*n == 0 || sz[*n - 1] != sz[i])
			sz[(*n)++] = sz[i];
	return sz;
}

/* ",value", or ",NaN" which gnuplot reads as a gap. */
static void put_number(FILE *f, double v)
{
	if (isnan(v))
		fputs(",NaN", f);
	else
		fprintf(f, ",%.9g", v);
}

/*
 * One row per size: the phase medians in microseconds (instructions for
 * a qemu-tcg-det set), then each as a percentage of their sum. A phase
 * not measured at a size is NaN (a gap, not a zero).
 */
static void write_phase_rows(FILE *f, const struct plot_series *s,
			     const uint64_t *sizes, size_t n, const char *un)
{
	fprintf(f, "size_bytes,pt_copy_%s,page_copy_%s,tlb_%s,rest_%s,"
		   "pt_copy_pct,page_copy_pct,tlb_pct,rest_pct\n", un, un, un,
		un);
	for (size_t i = 0; i < n; i++) {
		double m[NPHASES], sum = 0;
		for (int p = 0; p < NPHASES; p++) {
			m[p] = plot_series_median_at(&s[p], sizes[i]);
			if (!isnan(m[p]))
				sum += m[p];
		}
		fprintf(f, "%llu", (unsigned long long)sizes[i]);
		for (int p = 0; p < NPHASES; p++)
			put_number(f, m[p]);
		for (int p = 0; p < NPHASES; p++)
			put_number(f, sum > 0 ? 100 * m[p] / sum : NAN);
		fputc('\n', f);
	}
}

/* Write OUT/data/phases_<variant>.csv from the phase series. */
static enum plot_prep write_phases(struct plot_ctx *c, const char *variant,
				   const struct plot_series *s, char *why,
				   size_t whylen)
{
	char name[128], path[4096];
	size_t n;
	uint64_t *sizes = union_sizes(s, NPHASES, &n);
	if (!sizes) {
		snprintf(why, whylen, "out of memory");
		return PLOT_IO_ERROR;
	}
	snprintf(name, sizeof(name), "phases_%s", variant);
	FILE *f = plot_data_open(c, name, path, sizeof(path), why, whylen);
	if (!f) {
		free(sizes);
		return PLOT_IO_ERROR;
	}
	write_phase_rows(f, s, sizes, n,
			 plot_unit_name(plot_set_unit(&c->guest, PLOT_US)));
	free(sizes);
	return plot_data_close(c, f, path, why, whylen);
}

/*
 * The phases come from the sweep's own "phases" scenario; a set measured
 * with bench phases=1 has them under "create" instead.
 */
static enum plot_prep build_phases(struct plot_ctx *c, const char *variant,
				   const char *scenario,
				   struct plot_series s[NPHASES], size_t *points,
				   char *why, size_t whylen)
{
	enum plot_prep rc = PLOT_READY;
	*points = 0;
	for (int p = 0; p < NPHASES && rc == PLOT_READY; p++) {
		struct plot_key k = { variant, scenario,
				      fb_metric_names[phase_metric[p]] };
		rc = plot_data_build(&c->guest, &k, PLOT_US, &s[p], why, whylen);
		*points += s[p].n;
	}
	return rc;
}

/* One variant's phases: its file and its word, when it has any. */
static enum plot_prep variant_phases(struct plot_ctx *c, const char *variant,
				     struct plot_str *words, char *why,
				     size_t whylen)
{
	struct plot_series s[NPHASES] = { { 0 } };
	size_t points = 0;
	enum plot_prep rc = build_phases(c, variant, SC(PHASES), s, &points,
					 why, whylen);
	if (rc == PLOT_READY && points == 0) {
		for (int p = 0; p < NPHASES; p++)
			plot_series_free(&s[p]);
		memset(s, 0, sizeof(s));
		rc = build_phases(c, variant, SC(CREATE), s, &points, why,
				  whylen);
	}
	if (rc == PLOT_READY && points)
		rc = write_phases(c, variant, s, why, whylen);
	if (rc == PLOT_READY && points && plot_words_add(words, variant) < 0) {
		snprintf(why, whylen, "out of memory");
		rc = PLOT_IO_ERROR;
	}
	for (int p = 0; p < NPHASES; p++)
		plot_series_free(&s[p]);
	return rc;
}

static enum plot_prep phases(struct plot_ctx *c, struct plot_str *vars,
			     char *why, size_t whylen)
{
	struct plot_str words = { 0 };
	enum plot_prep rc = PLOT_READY;
	for (size_t i = 0; i < c->guest.variants.n && rc == PLOT_READY; i++)
		rc = variant_phases(c, c->guest.variants.name[i], &words, why,
				    whylen);
	return hand_over(rc, &words, "series", vars,
			 "no phase_* metrics in GUEST_SET", why, whylen);
}

/* ---- COW, TLB and cache ----------------------------------------------- */

static enum plot_prep cow_cost(struct plot_ctx *c, struct plot_str *vars,
			       char *why, size_t whylen)
{
	const struct plot_want w = { SC(COW), M(CYCLES_PER_WRITE), PLOT_US,
				     "cow_cost_" };
	struct plot_str words = { 0 };
	enum plot_prep rc = plot_data_variants(c, &c->guest, &w, &words, why,
					       whylen);
	return hand_over(rc, &words, "series", vars,
			 "no cow cycles_per_write values in GUEST_SET", why,
			 whylen);
}

/*
 * What the tlb_cache figure draws: the probes' per-access timings, or,
 * where those are NA (QEMU TCG), the fbsim model's counts of each pass:
 * page walks for the TLB pass, L2 misses for the cache pass (the hot set
 * is half the L2: what the call evicted from it).
 */
struct probe_view {
	enum fb_metric tlb[2], cache[2]; /* before, after */
	enum plot_unit unit;
	int model;
};

static const struct probe_view timing_view = {
	{ FB_M_TLB_CYCLES_PER_ACCESS_BEFORE, FB_M_TLB_CYCLES_PER_ACCESS_AFTER },
	{ FB_M_CACHE_CYCLES_PER_ACCESS_BEFORE,
	  FB_M_CACHE_CYCLES_PER_ACCESS_AFTER },
	PLOT_CYCLES, 0,
};
static const struct probe_view model_view = {
	{ FB_M_SIM(FB_SIM_BEFORE, FB_SIM_STLB_MISSES),
	  FB_M_SIM(FB_SIM_AFTER, FB_SIM_STLB_MISSES) },
	{ FB_M_SIM(FB_SIM_BEFORE, FB_SIM_L2_MISSES),
	  FB_M_SIM(FB_SIM_AFTER, FB_SIM_L2_MISSES) },
	PLOT_COUNT, 1,
};

/*
 * One kind (tlb or cache) of one variant: both before and after must be
 * there for the comparison; then both files and the variant's word.
 */
static enum plot_prep before_after(struct plot_ctx *c, enum fb_scenario sc,
				   const char *variant,
				   const struct probe_view *view,
				   struct plot_str *words, char *why,
				   size_t whylen)
{
	static const char *const when[2] = { "before", "after" };
	const enum fb_metric *metric = sc == FB_SC_TLB ? view->tlb : view->cache;
	const char *kind = fb_scenario_names[sc];
	struct plot_series s[2] = { { 0 } };
	char name[128];
	enum plot_prep rc = PLOT_READY;
	for (int i = 0; i < 2 && rc == PLOT_READY; i++) {
		struct plot_key k = { variant, kind, fb_metric_names[metric[i]] };
		rc = plot_data_build(&c->guest, &k, view->unit, &s[i], why,
				     whylen);
	}
	int both = s[0].n && s[1].n;
	for (int i = 0; i < 2 && rc == PLOT_READY && both; i++) {
		snprintf(name, sizeof(name), "tlb_cache_%s_%s_%s", kind, when[i],
			 variant);
		rc = plot_data_series(c, name, &s[i],
				      plot_set_unit(&c->guest, view->unit),
				      why, whylen);
	}
	if (rc == PLOT_READY && both && plot_words_add(words, variant) < 0) {
		snprintf(why, whylen, "out of memory");
		rc = PLOT_IO_ERROR;
	}
	plot_series_free(&s[0]);
	plot_series_free(&s[1]);
	return rc;
}

/* Both panels' variants in one view; keyed: those in either panel. */
static enum plot_prep probe_series(struct plot_ctx *c,
				   const struct probe_view *view,
				   struct plot_str *tlb, struct plot_str *cache,
				   struct plot_str *keyed, char *why,
				   size_t whylen)
{
	enum plot_prep rc = PLOT_READY;
	for (size_t i = 0; i < c->guest.variants.n && rc == PLOT_READY; i++) {
		const char *v = c->guest.variants.name[i];
		size_t had = tlb->n + cache->n;
		rc = before_after(c, FB_SC_TLB, v, view, tlb, why, whylen);
		if (rc == PLOT_READY)
			rc = before_after(c, FB_SC_CACHE, v, view, cache, why,
					  whylen);
		if (rc == PLOT_READY && tlb->n + cache->n > had &&
		    plot_words_add(keyed, v) < 0) {
			snprintf(why, whylen, "out of memory");
			rc = PLOT_IO_ERROR;
		}
	}
	return rc;
}

static enum plot_prep tlb_cache(struct plot_ctx *c, struct plot_str *vars,
				char *why, size_t whylen)
{
	struct plot_str tlb = { 0 }, cache = { 0 }, keyed = { 0 };
	const struct probe_view *view = &timing_view;
	enum plot_prep rc = probe_series(c, view, &tlb, &cache, &keyed, why,
					 whylen);
	if (rc == PLOT_READY && keyed.n == 0) { /* timings NA: the model? */
		view = &model_view;
		rc = probe_series(c, view, &tlb, &cache, &keyed, why, whylen);
	}
	if (rc == PLOT_READY && keyed.n == 0) {
		char na[512] = "";
		plot_na_reasons(&c->guest.t,
				fb_metric_names[FB_M_TLB_CYCLES_PER_ACCESS_AFTER],
				na, sizeof(na));
		plot_na_reasons(&c->guest.t,
				fb_metric_names[FB_M_CACHE_CYCLES_PER_ACCESS_AFTER],
				na, sizeof(na));
		snprintf(why, whylen, "no tlb or cache cycles_per_access "
			 "before/after values in GUEST_SET, and no sim_* model "
			 "counts (forkbench run --sim)%s%s",
			 na[0] ? "; NA because: " : "", na);
		rc = PLOT_SKIP;
	}
	/* One panel may be empty: the script says so in it. */
	if (rc == PLOT_READY &&
	    (plot_gp_string(vars, "tlb_series", tlb.s ? tlb.s : "") < 0 ||
	     plot_gp_string(vars, "cache_series", cache.s ? cache.s : "") < 0 ||
	     plot_gp_string(vars, "key_series", keyed.s) < 0 ||
	     plot_gp_number(vars, "model", view->model) < 0)) {
		snprintf(why, whylen, "out of memory");
		rc = PLOT_IO_ERROR;
	}
	plot_str_free(&tlb);
	plot_str_free(&cache);
	plot_str_free(&keyed);
	return rc;
}

/* ---- "A fork() in the road", Figure 1 --------------------------------- */

/* A series of the figure: a key the script knows, and where it comes from. */
struct road_series {
	const char *key;
	int native; /* from LINUX_SET */
	int variant; /* enum fb_variant, or enum host_variant when native */
};

static const struct road_series road[] = {
	{ "guest_cow", 0, FB_V_COW },		  /* fork+exec, COW fork */
	{ "linux_fork", 1, HV_FORK },		  /* fork+exec on Linux */
	{ "guest_vfork", 0, FB_V_VFORK },	  /* vfork+exec */
	{ "linux_vfork", 1, HV_VFORK },
	{ "guest_spawn", 0, FB_V_SPAWN }, /* only when the set ran spawn */
	{ "linux_posix_spawn", 1, HV_POSIX_SPAWN },
};

/* A Linux set (host-native or the peer) given as the only set. */
static int linux_alone(const struct plot_ctx *c)
{
	return !c->native.dir && (strcmp(c->guest.backend, "linux") == 0 ||
				  c->guest.peer);
}

static enum plot_prep road_one(struct plot_ctx *c, const struct road_series *r,
			       struct plot_str *words, char *why, size_t whylen)
{
	/* Linux's series from LINUX_SET, or from the one set if it is Linux */
	const struct plot_set *set = !r->native       ? &c->guest
				     : linux_alone(c) ? &c->guest
						      : &c->native;
	struct plot_key k = { r->native ? host_variant_names[r->variant]
					: fb_variant_names[r->variant],
			      SC(EXEC_WAIT), M(CYCLES_CREATE_EXEC_WAIT) };
	struct plot_series s;
	char name[128];
	if (!set->dir)
		return PLOT_READY;
	enum plot_prep rc = plot_data_build(set, &k, PLOT_MS, &s, why, whylen);
	if (rc == PLOT_READY && s.n) {
		snprintf(name, sizeof(name), "fork_in_the_road_%s", r->key);
		rc = plot_data_series(c, name, &s, plot_set_unit(set, PLOT_MS),
				      why, whylen);
		if (rc == PLOT_READY && plot_words_add(words, r->key) < 0) {
			snprintf(why, whylen, "out of memory");
			rc = PLOT_IO_ERROR;
		}
	}
	plot_series_free(&s);
	return rc;
}

static enum plot_prep fork_in_the_road(struct plot_ctx *c,
				       struct plot_str *vars, char *why,
				       size_t whylen)
{
	struct plot_str words = { 0 };
	enum plot_prep rc = PLOT_READY;
	int with_linux = c->native.dir != NULL;
	if (with_linux && same_clock(c, why, whylen) != PLOT_READY) {
		/*
		 * The guest's own curves still make the figure: draw them,
		 * say what is left out, and drop the Linux title line (these
		 * assignments come after the common ones, so they win).
		 */
		fprintf(stderr, "plot: fork_in_the_road: LINUX_SET left out, "
			"%s\n", why);
		with_linux = 0;
		if (plot_gp_string(vars, "native_subtitle", "") ||
		    plot_gp_string(vars, "native_clock", ""))
			rc = PLOT_IO_ERROR;
	}
	for (size_t i = 0; i < sizeof(road) / sizeof(*road) && rc == PLOT_READY;
	     i++)
		if (!road[i].native || with_linux || linux_alone(c))
			rc = road_one(c, &road[i], &words, why, whylen);
	return hand_over(rc, &words, "series", vars,
			 "no exec_wait values for cow, vfork, spawn, "
			 "linux_fork, linux_vfork or linux_posix_spawn",
			 why, whylen);
}

const struct plot_fig plot_figures[] = {
	{ "create_latency", create_latency },
	{ "guest_vs_linux", guest_vs_linux },
	{ "phases", phases },
	{ "cow_cost", cow_cost },
	{ "tlb_cache", tlb_cache },
	{ "fork_in_the_road", fork_in_the_road },
	{ "odf", plot_odf },
	{ "first_write", plot_first_write },
};
const size_t plot_nfigures = sizeof(plot_figures) / sizeof(*plot_figures);
