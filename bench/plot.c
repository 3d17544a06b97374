/*
 * forkbench plot: the figures of one guest result set (and optionally a
 * Linux one beside it), rendered by gnuplot as PNG and SVG. The numbers
 * are aggregated here (plot_agg.c) and written as CSV next to the images,
 * so every figure can be checked against its data and re-drawn without
 * forkbench.
 */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mkdirp.h"
#include "plot_vocab.h"
#include "plot_figs.h"
#include "plot_set.h"

#ifndef FB_SRC_DIR
#define FB_SRC_DIR "."
#endif

struct plot_opts {
	const char *out, *scripts, *guest, *native;
	char out_default[4096];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: forkbench plot [--out DIR] [--scripts DIR] GUEST_SET [LINUX_SET]\n"
"\n"
"Render the figures of a guest result set (forkbench run), and of a Linux\n"
"one (forkbench host) beside it, as PNG and SVG with gnuplot.\n"
"\n"
"  --out DIR      where the figures go (default plots/out/<basename of\n"
"                 GUEST_SET>); their data goes to DIR/data/*.csv\n"
"  --scripts DIR  the gnuplot scripts (default plots/ in the current\n"
"                 directory, else the source tree's plots/)\n"
"  -h, --help     this text\n"
"\n"
"Figures (DIR/NAME.png and DIR/NAME.svg):\n"
"  create_latency    creation latency vs parent size per guest variant\n"
"  guest_vs_linux    guest variants beside Linux ones (needs LINUX_SET)\n"
"  phases            the creation call split into phases, stacked (needs\n"
"                    phase_* metrics: the sweep's phases scenario)\n"
"  cow_cost          cost per written page after a fork vs parent size\n"
"  tlb_cache         per-access cycles before vs after the call\n"
"  fork_in_the_road  fork+exec, vfork+exec, posix_spawn vs parent size\n"
"                    (Baumann et al., HotOS 2019, Figure 1)\n"
"  odf               fork latency vs parent size (Zhao et al., EuroSys\n"
"                    2021): copy, cow, odf, huge_copy, huge_split, spawn\n"
"                    (at least two of them), and linux_fork and\n"
"                    linux_fork_thp from a Linux peer set on the same\n"
"                    backend\n"
"  first_write       cost of the first write to each 2 MiB region after\n"
"                    the fork vs parent size (scenario first_write)\n"
"Points are medians over repetitions, error bars span min to max; NA\n"
"values are skipped. TSC cycles become time through meta.json's tsc_khz;\n"
"a qemu-tcg-det set's timings (unit instructions) stay instructions.\n"
"odf and first_write stay in the set's unit (cycles or instructions) and\n"
"start at the smallest parent above size 0.\n"
"Every title names the machine, backend, validity verdict and clock\n"
"(Linux sets: host-native). No axis mixes units: a two-set figure whose\n"
"sets differ (instructions vs TSC cycles) is skipped with one line\n"
"naming both. A figure without data is skipped with a line saying why.\n"
"\n"
"Prints the files written, one per line. Exit codes: 0 at least one\n"
"figure rendered, 1 gnuplot missing or failed (or a file not written),\n"
"2 bad arguments or input (missing set, corrupt CSV, nothing to plot).\n");
}

/* The arguments into o; 0, 1 for --help, -1 after saying what is wrong. */
static int parse_args(int argc, char **argv, struct plot_opts *o)
{
	static const struct option longs[] = {
		{ "out", required_argument, 0, 'o' },
		{ "scripts", required_argument, 0, 's' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	char err[256];
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, sizeof(err));
			fprintf(stderr, "plot: %s (see forkbench plot --help)\n",
				err);
			return -1;
		}
		if (c == 'o')
			o->out = optarg;
		else
			o->scripts = optarg;
	}
	const char *pos[2];
	int npos = 0;
	for (; optind < argc; optind++) {
		if (npos == 2) {
			fprintf(stderr, "plot: %s: at most two result sets "
				"(GUEST_SET [LINUX_SET])\n", argv[optind]);
			return -1;
		}
		pos[npos++] = argv[optind];
	}
	if (npos == 0) {
		fprintf(stderr, "plot: no GUEST_SET given (see forkbench plot "
			"--help)\n");
		return -1;
	}
	o->guest = pos[0];
	o->native = npos == 2 ? pos[1] : NULL;
	return 0;
}

/* plots/out/<last component of the guest set's path>. */
static const char *default_out(struct plot_opts *o)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", o->guest);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	snprintf(o->out_default, sizeof(o->out_default), "plots/out/%s", base);
	return o->out_default;
}

static int has_common(const char *dir)
{
	char path[4096];
	return path_join(path, sizeof(path), dir, "common.gp") == 0 &&
	       access(path, R_OK) == 0;
}

/* The scripts directory: as given, else ./plots, else the source tree's. */
static const char *scripts_dir(const char *given)
{
	if (given) {
		if (has_common(given))
			return given;
		fprintf(stderr, "plot: --scripts %s: no common.gp there\n", given);
		return NULL;
	}
	if (has_common("plots"))
		return "plots";
	if (has_common(FB_SRC_DIR "/plots"))
		return FB_SRC_DIR "/plots";
	fprintf(stderr, "plot: no gnuplot scripts in plots/ (run from the "
		"source tree or pass --scripts DIR)\n");
	return NULL;
}

/* The variables every script reads, then the figure's own. */
static int common_vars(struct plot_str *v, const struct plot_ctx *c,
		       const char *scripts, const char *out)
{
	return plot_gp_string(v, "scriptdir", scripts) ||
	       plot_gp_string(v, "datadir", c->datadir) ||
	       plot_gp_string(v, "outdir", out) ||
	       plot_gp_string(v, "subtitle", c->guest.subtitle) ||
	       plot_gp_string(v, "native_subtitle",
			      c->native.dir ? c->native.subtitle : "") ||
	       plot_gp_number(v, "guest_instr", c->guest.instructions) ||
	       plot_gp_string(v, "guest_clock", plot_set_clock(&c->guest)) ||
	       plot_gp_number(v, "guest_native",
			      strcmp(c->guest.backend, "linux") == 0) ||
	       plot_gp_string(v, "native_clock",
			      c->native.dir ? plot_set_clock(&c->native) : "") ||
	       plot_gp_number(v, "guest_peer", c->guest.peer) ||
	       plot_gp_number(v, "native_peer", c->native.dir && c->native.peer) ||
	       plot_gp_number(v, "zero_x", c->zero_x) ||
	       plot_gp_number(v, "xmin", c->xmin) ||
	       plot_gp_number(v, "xmax", c->xmax) ?
		       -1 : 0;
}

/* Did gnuplot leave OUT/NAME.EXT, not empty? Record it if so. */
static int check_output(struct plot_ctx *c, const char *out, const char *name,
			const char *ext, const char *script)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s.%s", out, name, ext);
	if (stat(path, &st) < 0 || st.st_size == 0) {
		fprintf(stderr, "plot: gnuplot wrote no %s (script %s)\n", path,
			script);
		return -1;
	}
	return plot_files_add(&c->files, path);
}

/* Outcome of one figure, for the exit code. */
enum fig_rc { FIG_RENDERED, FIG_SKIPPED, FIG_FAILED, FIG_GP_MISSING, FIG_BAD };

static enum fig_rc render(struct plot_ctx *c, const struct plot_fig *f,
			  const char *scripts, const char *out)
{
	char script[4096], why[1024] = "";
	struct plot_str vars = { 0 };
	enum fig_rc rc = FIG_FAILED;
	snprintf(script, sizeof(script), "%s/%s.gp", scripts, f->name);
	if (common_vars(&vars, c, scripts, out) < 0) {
		fprintf(stderr, "plot: out of memory\n");
		goto done;
	}
	enum plot_prep prep = f->prepare(c, &vars, why, sizeof(why));
	if (prep != PLOT_READY) {
		rc = prep == PLOT_SKIP ? FIG_SKIPPED :
		     prep == PLOT_BAD_INPUT ? FIG_BAD : FIG_FAILED;
		fprintf(stderr, "plot: %s: %s%s\n", f->name,
			prep == PLOT_SKIP ? "skipped, " : "", why);
		goto done;
	}
	enum plot_gp_rc gp = plot_gp_run(script, vars.s, why, sizeof(why));
	if (gp != PLOT_GP_OK) {
		fprintf(stderr, "plot: %s\n", why);
		rc = gp == PLOT_GP_MISSING ? FIG_GP_MISSING : FIG_FAILED;
		goto done;
	}
	if (check_output(c, out, f->name, "png", script) == 0 &&
	    check_output(c, out, f->name, "svg", script) == 0)
		rc = FIG_RENDERED;
done:
	plot_str_free(&vars);
	return rc;
}

/*
 * Every figure in turn. Stops at bad input or a missing gnuplot (the
 * rest would fail the same way); a failing script does not stop the
 * others. Returns the exit code.
 */
static int render_all(struct plot_ctx *c, const char *scripts, const char *out)
{
	int rendered = 0, failed = 0;
	for (size_t i = 0; i < plot_nfigures; i++) {
		enum fig_rc rc = render(c, &plot_figures[i], scripts, out);
		if (rc == FIG_BAD)
			return 2;
		if (rc == FIG_GP_MISSING)
			return 1;
		rendered += rc == FIG_RENDERED;
		failed += rc == FIG_FAILED;
	}
	if (failed)
		return 1;
	if (!rendered) {
		fprintf(stderr, "plot: nothing to plot in %s\n", c->guest.dir);
		return 2;
	}
	return 0;
}

/* Load the sets and prepare the output directories; 0 or an exit code. */
static int setup(struct plot_ctx *c, const struct plot_opts *o)
{
	char err[1024];
	if (plot_set_load(&c->guest, o->guest, err, sizeof(err)) < 0 ||
	    (o->native &&
	     plot_set_load(&c->native, o->native, err, sizeof(err)) < 0)) {
		fprintf(stderr, "plot: %s\n", err);
		return 2;
	}
	plot_size_axis(c);
	if (path_join(c->datadir, sizeof(c->datadir), o->out, "data") < 0) {
		fprintf(stderr, "plot: cannot create %s/data: %s\n", o->out,
			strerror(ENAMETOOLONG));
		return 1;
	}
	if (mkdirp(c->datadir, err, sizeof(err)) < 0 ||
	    plot_vocab_write(c->datadir, err, sizeof(err)) < 0) {
		fprintf(stderr, "plot: %s\n", err);
		return 1;
	}
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);
	if (rc) {
		if (rc > 0)
			usage(stdout);
		return rc > 0 ? 0 : 2;
	}
	const char *scripts = scripts_dir(o.scripts);
	if (!scripts)
		return 2;
	if (!o.out)
		o.out = default_out(&o);
	struct plot_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		fprintf(stderr, "plot: out of memory\n");
		return 1;
	}
	rc = setup(c, &o);
	if (rc == 0)
		rc = render_all(c, scripts, o.out);
	for (size_t i = 0; i < c->files.n; i++)
		printf("%s\n", c->files.path[i]);
	plot_set_free(&c->guest);
	plot_set_free(&c->native);
	plot_files_free(&c->files);
	free(c);
	return rc;
}
