/*
 * The one writer of a result set's meta.json, for forkbench run and merge
 * (kind "guest") and forkbench host (kind "linux"): one shape, described
 * field by field in results/README.md and checked by
 * results/meta.schema.json. The common facts are members of struct
 * rsmeta; what only one kind has goes into one object named after the
 * kind, written by the caller's callback.
 */
#ifndef FB_RSMETA_H
#define FB_RSMETA_H

#include <stdint.h>
#include <stdio.h>

#include "hostinfo.h"

/* Bumped when a field changes meaning or place (1: two shapes). */
#define RSMETA_SCHEMA "forkbench-resultset-2"

/* An object being written: its members are separated by count. */
struct rsmeta_obj {
	FILE *f;
	unsigned count;
	const char *indent;
};

struct rsmeta_sweep {
	const char *const *variants, *const *scenarios;
	unsigned nvariants, nscenarios;
	const uint64_t *sizes;
	unsigned nsizes, reps;
	unsigned shard_k, shard_n; /* shard_n 0: not sharded (null) */
	/*
	 * The parent heap's page size for the variants that do not fix
	 * their own (forkbench run --parent-pages); NULL: "4K", which is
	 * what every kind's parents have unless asked.
	 */
	const char *parent_pages;
};

struct rsmeta {
	const char *kind;            /* "guest" or "linux" */
	const char *created;         /* UTC ISO 8601; NULL: now */
	const char *command_prefix;  /* "forkbench" */
	int argc;
	char **argv;
	const char *git_revision;    /* NULL: the host's (hostinfo) */
	const char *backend, *backend_reason;
	/* clock: negative numbers and NULL strings are written as null */
	double tsc_khz;
	const char *tsc_khz_source;
	double tsc_overhead_cycles;
	/* validity */
	const char *verdict, *why;   /* NULL: null */
	double ratio;                /* guest/host calibration; <0: null */
	/* the privileged operations and the failed checks, JSON; NULL: null */
	const char *validity_ops, *validity_failed;
	struct rsmeta_sweep sweep;
	unsigned planned, ok, failed, not_run;
	double wall_s, guest_s;      /* overhead; wall_s < 0: null */
	/* The members of the kind's own object (rsmeta_string...). */
	void (*kind_members)(struct rsmeta_obj *o, const void *ctx);
	const void *kind_ctx;
	const struct hostinfo *host;
};

/* Write m as meta.json's text to f. 0, or -1 on a write error. */
int rsmeta_write(FILE *f, const struct rsmeta *m);

/*
 * One member of o: a string (NULL: null), a number printed with fmt
 * (negative: null), or raw JSON text the caller built.
 */
void rsmeta_string(struct rsmeta_obj *o, const char *key, const char *s);
void rsmeta_number(struct rsmeta_obj *o, const char *key, double v,
		   const char *fmt);
void rsmeta_raw(struct rsmeta_obj *o, const char *key, const char *json);

#endif
