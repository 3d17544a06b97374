/* The arithmetic of forkbench ratios (ratios.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fb_vocab.h"
#include "host_opts.h"
#include "plot_agg.h"
#include "ratios.h"

#define SIZE_1M (1ull << 20)
#define SIZE_1G (1ull << 30)
/* A parent's 4 KiB pages between 1 MiB and 1 GiB: 262144 - 256. */
#define PAGES_1M_TO_1G ((double)((SIZE_1G - SIZE_1M) / 4096))

/* The goals of the benchmark; README "forkbench ratios" says why each. */
#define GOAL_ODF 50.0	    /* cow / odf at 1G, at least */
#define GOAL_HUGE 100.0	    /* cow / huge_* at 1G, at least */
#define GOAL_SPAWN 1.05	    /* spawn at 1G / at 0, at most */
#define GOAL_COW_PAGE 20.0  /* instructions per page, at most */
#define GOAL_COPY_PAGE 1.1  /* naive fork per page / copy_4k, at most */
#define GOAL_BACKEND "qemu-tcg-det"

const char *ratio_verdict_name(enum ratio_verdict v)
{
	switch (v) {
	case RATIO_MET: return "met";
	case RATIO_NOT_MET: return "not met";
	case RATIO_NA: return "NA";
	case RATIO_NO_GOAL: return "no goal here";
	case RATIO_REFERENCE: return "reference";
	}
	return "?";
}

static const char *size_name(uint64_t size)
{
	return size == SIZE_1G ? "1G" : size == SIZE_1M ? "1M" : "0";
}

static int is_create_time(const struct metric_row *r)
{
	return strcmp(r->scenario, fb_scenario_names[FB_SC_CREATE]) == 0 &&
	       strcmp(r->metric, fb_metric_names[FB_M_CYCLES_TO_RETURN]) == 0;
}

int ratios_unit(const struct metric_table *t, const char **unit, char *err,
		size_t errlen)
{
	*unit = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct metric_row *r = &t->rows[i];
		if (!is_create_time(r))
			continue;
		if (!*unit)
			*unit = r->unit;
		else if (strcmp(*unit, r->unit) != 0) {
			snprintf(err, errlen, "create cycles_to_return is in both "
				 "%s and %s (%s %s): one clock per set", *unit,
				 r->unit, r->variant, size_name(r->size));
			return -1;
		}
	}
	return 0;
}

/* An input of a ratio: one variant's create median at one size. */
struct input {
	double v;
	char text[96]; /* "cow@1G 32583372", for the detail */
};

/*
 * The median of the measured repetitions of s's variant at size into in;
 * -1 with why (absent, every repetition NA, no memory) otherwise.
 */
static int median_of(const struct ratio_set *s, const char *variant,
		     uint64_t size, struct input *in, char *why, size_t len)
{
	double *v = malloc((s->t->n ? s->t->n : 1) * sizeof(*v));
	size_t n = 0, na = 0;
	const char *note = "";
	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->t->n; i++) {
		const struct metric_row *r = &s->t->rows[i];
		if (r->size != size || strcmp(r->variant, variant) != 0 ||
		    !is_create_time(r))
			continue;
		if (r->has_value)
			v[n++] = r->value;
		else if (na++ == 0)
			note = r->note;
	}
	if (n)
		in->v = plot_median(v, n);
	free(v);
	if (n) {
		snprintf(in->text, sizeof(in->text), "%s@%s %.10g", variant,
			 size_name(size), in->v);
		return 0;
	}
	if (na)
		snprintf(why, len, "%s create at %s in %s: every repetition NA "
			 "(%s)", variant, size_name(size), s->label,
			 note[0] ? note : "no reason given");
	else
		snprintf(why, len, "no %s create at %s in %s", variant,
			 size_name(size), s->label);
	return -1;
}

static void na(struct ratio *r)
{
	r->value = NAN;
	r->verdict = RATIO_NA;
}

/* Judge r->value against its goal: at least (ge) or at most bound. */
static void judge(struct ratio *r, int ge, double bound)
{
	int met = ge ? r->value >= bound : r->value <= bound;
	r->verdict = met ? RATIO_MET : RATIO_NOT_MET;
}

/* r = num / den, or NA saying which input is missing or zero. */
static int quotient(struct ratio *r, const struct ratio_set *ns,
		    const char *nv, uint64_t nsize, const struct ratio_set *ds,
		    const char *dv, uint64_t dsize)
{
	struct input a, b;
	snprintf(r->unit, sizeof(r->unit), "x");
	if (median_of(ns, nv, nsize, &a, r->detail, sizeof(r->detail)) < 0 ||
	    median_of(ds, dv, dsize, &b, r->detail, sizeof(r->detail)) < 0) {
		na(r);
		return -1;
	}
	if (!(b.v > 0)) {
		snprintf(r->detail, sizeof(r->detail), "%s: no quotient of a "
			 "median that is not above 0", b.text);
		na(r);
		return -1;
	}
	r->value = a.v / b.v;
	snprintf(r->detail, sizeof(r->detail), "%s / %s", a.text, b.text);
	return 0;
}

/*
 * What a fork costs per 4 KiB page of the parent: the growth of variant's
 * create time from a 1 MiB to a 1 GiB parent over the pages added, in
 * s's unit per page.
 */
static int per_page(struct ratio *r, const struct ratio_set *s,
		    const char *variant)
{
	struct input big, small;
	snprintf(r->unit, sizeof(r->unit), "%s/page",
		 s->unit ? s->unit : "cycles");
	if (median_of(s, variant, SIZE_1G, &big, r->detail,
		      sizeof(r->detail)) < 0 ||
	    median_of(s, variant, SIZE_1M, &small, r->detail,
		      sizeof(r->detail)) < 0) {
		na(r);
		return -1;
	}
	r->value = (big.v - small.v) / PAGES_1M_TO_1G;
	snprintf(r->detail, sizeof(r->detail), "(%s - %s) / %.0f pages",
		 big.text, small.text, PAGES_1M_TO_1G);
	return 0;
}

/* A goal on a quotient: "at least 50x", "at most 1.05x". */
static void goal(struct ratio *r, const char *text, double bound)
{
	snprintf(r->goal, sizeof(r->goal), "%s %gx", text, bound);
}

/* cow / VARIANT at 1G: the fork a variant saves against a COW fork. */
static void versus_cow(struct ratio *r, const struct ratio_set *g,
		       enum fb_variant v, double bound)
{
	if (quotient(r, g, fb_variant_names[FB_V_COW], SIZE_1G, g,
		     fb_variant_names[v], SIZE_1G) == 0)
		judge(r, 1, bound);
	goal(r, ">=", bound);
}

static void spawn_flat(struct ratio *r, const struct ratio_set *g)
{
	const char *spawn = fb_variant_names[FB_V_SPAWN];
	if (quotient(r, g, spawn, SIZE_1G, g, spawn, 0) == 0)
		judge(r, 0, GOAL_SPAWN);
	goal(r, "<=", GOAL_SPAWN);
}

/* The goal is in instructions: judged only where those are the unit. */
static void cow_page(struct ratio *r, const struct ratio_set *g)
{
	int here = strcmp(g->backend, GOAL_BACKEND) == 0 && g->unit &&
		   strcmp(g->unit, FB_UNIT_INSTRUCTIONS) == 0;
	snprintf(r->goal, sizeof(r->goal), "<= %g %s/page on %s",
		 GOAL_COW_PAGE, FB_UNIT_INSTRUCTIONS, GOAL_BACKEND);
	if (per_page(r, g, fb_variant_names[FB_V_COW]) < 0)
		return;
	if (here) {
		judge(r, 0, GOAL_COW_PAGE);
		return;
	}
	r->verdict = RATIO_NO_GOAL;
	size_t n = strlen(r->detail);
	snprintf(r->detail + n, sizeof(r->detail) - n, "; the goal is stated "
		 "for %s, this set is on %s", GOAL_BACKEND, g->backend);
}

/* A naive fork per page against the guest's own plain 4 KiB copy. */
static void copy_page(struct ratio *r, const struct ratio_set *g)
{
	goal(r, "<=", GOAL_COPY_PAGE);
	int rc = per_page(r, g, fb_variant_names[FB_V_COPY]);
	snprintf(r->unit, sizeof(r->unit), "x");
	if (rc < 0)
		return;
	if (!(g->copy_4k > 0)) {
		snprintf(r->detail, sizeof(r->detail), "no validity.ops.copy_4k."
			 "guest_cycles in %s's meta.json", g->label);
		na(r);
		return;
	}
	double page = r->value;
	r->value = page / g->copy_4k;
	char inputs[sizeof(r->detail)];
	snprintf(inputs, sizeof(inputs), "%s", r->detail);
	snprintf(r->detail, sizeof(r->detail), "%.4g %s per page [%.200s] "
		 "/ copy_4k %.10g", page, g->unit ? g->unit : "cycles", inputs,
		 g->copy_4k);
	judge(r, 0, GOAL_COPY_PAGE);
}

/* Linux's own figures beside ours: no goals, for reading ours against. */
static size_t references(const struct ratio_set *g, const struct ratio_set *p,
			 struct ratio *out)
{
	const char *fork = host_variant_names[HV_FORK];
	size_t n = 0;
	struct ratio *r = &out[n++];
	r->name = "linux_fork_vs_odf";
	r->what = "Linux peer fork / our on-demand fork, create at 1G "
		  "(the paper: 65x, both on Linux)";
	quotient(r, p, fork, SIZE_1G, g, fb_variant_names[FB_V_ODF], SIZE_1G);
	r = &out[n++];
	r->name = "linux_fork_vs_thp";
	r->what = "Linux peer fork of 4 KiB pages / of transparent huge "
		  "pages, create at 1G";
	quotient(r, p, fork, SIZE_1G, p, host_variant_names[HV_FORK_THP],
		 SIZE_1G);
	r = &out[n++];
	r->name = "linux_fork_per_page";
	r->what = "Linux peer fork cost per 4 KiB page, (fork@1G - fork@1M) / "
		  "pages";
	per_page(r, p, fork);
	for (size_t i = 0; i < n; i++)
		if (out[i].verdict != RATIO_NA)
			out[i].verdict = RATIO_REFERENCE;
	return n;
}

size_t ratios_compute(const struct ratio_set *g, const struct ratio_set *p,
		      struct ratio *out)
{
	size_t n = 0;
	memset(out, 0, RATIOS_MAX * sizeof(*out));
	struct ratio *r = &out[n++];
	r->name = "odf_vs_cow";
	r->what = "COW fork / on-demand fork, create at 1G";
	versus_cow(r, g, FB_V_ODF, GOAL_ODF);
	r = &out[n++];
	r->name = "huge_split_vs_cow";
	r->what = "COW fork of 4 KiB pages / of 2 MiB pages (split on write), "
		  "create at 1G";
	versus_cow(r, g, FB_V_HUGE_SPLIT, GOAL_HUGE);
	r = &out[n++];
	r->name = "huge_copy_vs_cow";
	r->what = "COW fork of 4 KiB pages / of 2 MiB pages (copied on "
		  "write), create at 1G";
	versus_cow(r, g, FB_V_HUGE_COPY, GOAL_HUGE);
	r = &out[n++];
	r->name = "spawn_1g_vs_0";
	r->what = "spawn create with a 1G parent / with none";
	spawn_flat(r, g);
	r = &out[n++];
	r->name = "cow_per_page";
	r->what = "COW fork cost per 4 KiB page, (cow@1G - cow@1M) / pages";
	cow_page(r, g);
	r = &out[n++];
	r->name = "copy_page_vs_copy_4k";
	r->what = "naive fork per 4 KiB page / a plain 4 KiB copy (meta.json "
		  "validity.ops.copy_4k)";
	copy_page(r, g);
	if (p)
		n += references(g, p, out + n);
	return n;
}
