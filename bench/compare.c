/*
 * forkbench compare BASE NEW: a regression report between two result
 * sets, meant as a gate (exit 1 on a regression). This file reads the
 * options and runs the parts (compare.h lists them).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "mannwhitney.h"

#define PROG "forkbench compare"

enum args_result { ARGS_RUN, ARGS_HELP, ARGS_ERROR };

static void usage(FILE *f)
{
	fprintf(f,
"usage: forkbench compare [options] BASE NEW\n"
"Report how NEW differs from BASE. Each is a result-set directory or its\n"
"metrics.csv; both must hold the same (variant, scenario, size, metric)\n"
"keys. Warm-up repetitions (rep 0, note \"warmup\") are left out.\n"
"\n"
"Timings in TSC cycles and PMU counts are noisy. Each such row gets a\n"
"two-sided Mann-Whitney (rank-sum) test over its repetitions: exact up to\n"
"%d reps per side (the permutation distribution of the midrank sum given\n"
"the ties), a tie-corrected normal approximation beyond. The p-values of\n"
"all these rows are adjusted together, Holm-Bonferroni by default. A row\n"
"is a regression (improvement) when its adjusted p is below alpha AND its\n"
"median is slower (faster) by more than the threshold.\n"
"Timings in instructions (qemu-tcg-det, -icount) repeat exactly: no test,\n"
"a median change beyond the threshold is a regression (improvement).\n"
"Exact counters and model quantities: every value must match.\n"
"Timings in cycles are not compared with timings in instructions, nor\n"
"sets whose parents had different page sizes (meta.json's\n"
"sweep.parent_pages, forkbench run --parent-pages) (exit 2).\n"
"\n"
"The smallest p the exact test can give with n vs m reps is 2/C(n+m,n);\n"
"with n vs n: n=3 0.1, n=4 0.029, n=5 0.0079, n=6 0.0022, n=7 0.00058,\n"
"n=10 1.1e-5.\n"
"A comparison where a row's smallest p is not below alpha, or (Holm) the\n"
"best row's is not below alpha / the number of tested rows, could flag\n"
"nothing and is refused (exit 2).\n"
"\n"
"  --threshold PCT   smallest change that counts, in %% (default %g)\n"
"  --alpha A         significance level, 0 < A < 1 (default %g)\n"
"  --correction M    holm (default, Holm-Bonferroni: any false alarm at\n"
"                    all has probability at most alpha), bh (Benjamini-\n"
"                    Hochberg: false alarms are on average at most a\n"
"                    share alpha of the flagged rows), none\n"
"  --all             print every row, not only the changed ones\n"
"  --format F        md (default: a markdown table), csv, json\n"
"  -h, --help        this text\n"
"\n"
"Output: the changed rows (regressions, improvements, mismatches), then a\n"
"summary; csv prints the summary on stderr, json holds it.\n"
"Exit codes: 0 no regression, 1 a regression or counter mismatch,\n"
"2 bad arguments or input, or a refused comparison.\n",
		MW_EXACT_MAX, THRESHOLD_DEFAULT, ALPHA_DEFAULT);
}

/* A whole-string number; -1 for anything else, inf and nan included. */
static int parse_double(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int set_threshold(const char *val, struct settings *s, char *err,
			 size_t errlen)
{
	if (parse_double(val, &s->threshold_pct) == 0 && s->threshold_pct >= 0)
		return 0;
	snprintf(err, errlen, "--threshold '%s': not a percentage (e.g. 5)",
		 val);
	return -1;
}

static int set_alpha(const char *val, struct settings *s, char *err,
		     size_t errlen)
{
	if (parse_double(val, &s->alpha) == 0 && s->alpha > 0 && s->alpha < 1)
		return 0;
	snprintf(err, errlen, "--alpha '%s': not a level between 0 and 1 "
		 "(e.g. 0.05)", val);
	return -1;
}

static int set_correction(const char *val, struct settings *s, char *err,
			  size_t errlen)
{
	if (correction_parse(val, &s->correction) == 0)
		return 0;
	snprintf(err, errlen, "--correction '%s': not one of holm, bh, none",
		 val);
	return -1;
}

static int set_format(const char *val, struct settings *s, char *err,
		      size_t errlen)
{
	static const char *const names[] = { "md", "csv", "json" };
	for (int i = FMT_MD; i <= FMT_JSON; i++)
		if (strcmp(val, names[i]) == 0) {
			s->format = (enum out_format)i;
			return 0;
		}
	snprintf(err, errlen, "--format '%s': not one of md, csv, json", val);
	return -1;
}

/* One option getopt_long returned; -1 with the reason in err. */
static int set_option(int c, const char *val, struct settings *s, char *err,
		      size_t errlen)
{
	switch (c) {
	case 't': return set_threshold(val, s, err, errlen);
	case 'a': return set_alpha(val, s, err, errlen);
	case 'c': return set_correction(val, s, err, errlen);
	case 'f': return set_format(val, s, err, errlen);
	case 'A': s->all = 1; return 0;
	}
	return -1;
}

static int set_positionals(int argc, char **argv, struct settings *s,
			   char *err, size_t errlen)
{
	const char *pos[2];
	int npos = 0;
	for (; optind < argc; optind++) {
		if (npos == 2) {
			snprintf(err, errlen, "'%s': only BASE and NEW are "
				 "expected", argv[optind]);
			return -1;
		}
		pos[npos++] = argv[optind];
	}
	if (npos != 2) {
		snprintf(err, errlen, "expected BASE and NEW (see " PROG " --help)");
		return -1;
	}
	s->base = pos[0];
	s->new_ = pos[1];
	return 0;
}

static enum args_result parse_args(int argc, char **argv, struct settings *s,
				   char *err, size_t errlen)
{
	static const struct option longs[] = {
		{ "threshold", required_argument, 0, 't' },
		{ "alpha", required_argument, 0, 'a' },
		{ "correction", required_argument, 0, 'c' },
		{ "format", required_argument, 0, 'f' },
		{ "all", no_argument, 0, 'A' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	*s = (struct settings){ .threshold_pct = THRESHOLD_DEFAULT,
				.alpha = ALPHA_DEFAULT,
				.correction = CORR_HOLM,
				.format = FMT_MD };
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			return ARGS_HELP;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, errlen);
			return ARGS_ERROR;
		}
		if (set_option(c, optarg, s, err, errlen) < 0)
			return ARGS_ERROR;
	}
	if (set_positionals(argc, argv, s, err, errlen) < 0)
		return ARGS_ERROR;
	return ARGS_RUN;
}

/* Evaluate every key, then print: an error leaves no half report. */
static int report(const struct side *base, const struct side *new_,
		  const struct settings *s, char *err, size_t errlen)
{
	struct report_row *rows = calloc(base->ng, sizeof(*rows));
	if (!rows) {
		snprintf(err, errlen, "out of memory");
		return 2;
	}
	for (size_t i = 0; i < base->ng; i++) {
		rows[i].base = &base->g[i];
		rows[i].new_ = &new_->g[i];
	}
	int rc = 2;
	if (evaluate_rows(rows, base->ng, s, err, errlen) == 0)
		rc = print_report(rows, base->ng, s, base, new_);
	free(rows);
	return rc;
}

static int compare_sets(struct settings *s, char *err, size_t errlen)
{
	struct side base = { 0 }, new_ = { 0 };
	int rc = 2;
	if (load_side(&base, "BASE", s->base, err, errlen) == 0 &&
	    load_side(&new_, "NEW", s->new_, err, errlen) == 0 &&
	    check_pairing(&base, &new_, err, errlen) == 0) {
		s->det_threshold_pct = s->threshold_pct;
		if ((base.linux_peer || new_.linux_peer) &&
		    s->det_threshold_pct < LINUX_PEER_TOLERANCE_PCT)
			s->det_threshold_pct = LINUX_PEER_TOLERANCE_PCT;
		rc = report(&base, &new_, s, err, errlen);
	}
	free_side(&base);
	free_side(&new_);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct settings s;
	char err[8192]; /* room for a whole path and key */
	switch (parse_args(argc, argv, &s, err, sizeof(err))) {
	case ARGS_HELP:
		usage(stdout);
		return 0;
	case ARGS_ERROR:
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	case ARGS_RUN:
		break;
	}
	int rc = compare_sets(&s, err, sizeof(err));
	if (rc == 2)
		fprintf(stderr, PROG ": %s\n", err);
	return rc;
}
