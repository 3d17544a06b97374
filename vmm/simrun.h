/*
 * fbvmm's side of the fbsim TLB/cache model (plugin/README.md): the
 * plugin's -plugin argument, the guest's "sim" records (which region was
 * which probe pass of which repetition), and, after the run, the
 * plugin's counts for those regions as sim_* rows of the CSV. A region
 * the plugin did not count, or counted under another tag, fails the run:
 * a count is never shifted onto another pass.
 */
#ifndef FB_SIM_RUN_H
#define FB_SIM_RUN_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "records.h"

/* One "sim" record: a probe pass the guest ran as a region. */
struct sim_pass {
	char variant[32], scenario[32];
	uint64_t size, region;
	unsigned rep, pass, tag;
};

struct sim_run {
	char plugin[PATH_MAX]; /* the plugin's path */
	char out[PATH_MAX];    /* where it writes its counts */
	int out_is_temp;       /* remove out afterwards (no --sim-out) */
	char arg[2 * PATH_MAX + 256]; /* -plugin's value */
	struct sim_pass *passes;
	size_t n, cap;
	int bad_record;        /* a sim record that could not be kept */
	char model[512];       /* the plugin's header: its parameters */
	char totals[256];      /* its end line */
};

/*
 * With --sim: find the plugin, choose its output file and build the
 * -plugin argument (for our guest: its kernel half, PML4 slot 0, is 2M
 * global pages). -1 with err (exit 7: the plugin is missing).
 */
int sim_prepare(struct sim_run *s, const struct options *o, char *err,
		size_t errlen);
/* A "sim" record from the guest. */
void sim_note(struct sim_run *s, const struct record *rec);
/*
 * After a clean run: read the plugin's output and append each noted
 * pass's counts to csv as sim_* rows (rows counts them). -1 with err
 * when a record has no region, or the model's tag disagrees, or the
 * guest sent sim records without --sim.
 */
int sim_write_rows(struct sim_run *s, const struct options *o, FILE *csv,
		   unsigned long *rows, char *err, size_t errlen);
/* meta.json's "sim" member (null without --sim). */
void sim_write_json(const struct sim_run *s, const struct options *o,
		    FILE *f);
void sim_free(struct sim_run *s);

#endif
