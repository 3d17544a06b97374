/*
 * forkbench ratios: the benchmark figures of a guest result set, each
 * against its goal (README, "forkbench ratios"), from the create
 * scenario's cycles_to_return medians. The arithmetic is here, apart
 * from loading and printing (ratios.c), so the unit tests can check it
 * on tables built in memory.
 */
#ifndef FB_RATIOS_H
#define FB_RATIOS_H

#include <stddef.h>

#include "resultset.h"

/* One result set as the ratios read it. */
struct ratio_set {
	const struct metric_table *t; /* warm-up rows already dropped */
	const char *label;   /* where a missing input is: "this set" */
	const char *backend; /* meta.json's backend */
	const char *unit;    /* its create timings' unit; NULL: none */
	double copy_4k;      /* validity.ops.copy_4k.guest_cycles; NAN: none */
};

enum ratio_verdict {
	RATIO_MET,
	RATIO_NOT_MET,
	RATIO_NA,        /* an input is missing: detail says which */
	RATIO_NO_GOAL,   /* the goal is stated for another backend */
	RATIO_REFERENCE, /* Linux's figure beside ours: no goal of its own */
};

struct ratio {
	const char *name; /* a stable key for scripts: odf_vs_cow */
	const char *what; /* what is divided by what */
	double value;     /* NAN when NA */
	char unit[48];    /* "x", or "instructions/page" */
	char goal[64];    /* ">= 50x"; "" for a reference */
	enum ratio_verdict verdict;
	char detail[320]; /* the inputs, or why NA, or whose goal */
};

#define RATIOS_MAX 10

/*
 * The ratios of guest, then, with peer (a Linux peer set on the same
 * backend, checked by the caller) not NULL, Linux's own figures for
 * reference. Returns how many were written to out.
 */
size_t ratios_compute(const struct ratio_set *guest,
		      const struct ratio_set *peer, struct ratio *out);

/* "met", "not met", "NA", "no goal here", "reference". */
const char *ratio_verdict_name(enum ratio_verdict v);

/*
 * The unit of t's create cycles_to_return rows into *unit (NULL when
 * there are none). -1 with err when they mix units: no ratio of two
 * clocks means anything.
 */
int ratios_unit(const struct metric_table *t, const char **unit, char *err,
		size_t errlen);

#endif
