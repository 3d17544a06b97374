/*
 * forkbench run: a sweep into a result set. The backend defaults to kvm
 * when its validity check says the guest runs hardware-virtualized, else
 * to deterministic QEMU TCG, and the run says which and why.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "backend.h"
#include "bzimage.h"
#include "commands.h"
#include "fb_vocab.h"
#include "host_opts.h"
#include "meta.h"
#include "parse.h"
#include "resultset.h"
#include "runout.h"
#include "sweep_args.h"
#include "sweep_sim.h"
#include "sweep.h"

/*
 * Defaults: the default sweep's variants (every bench variant but those
 * run only by name: fb_vocab.h) and every scenario; for the Linux peer
 * forkbench host's (host_opts.h). --variants takes any bench variant.
 */
static const char *all_variants[FB_V_COUNT], *sweep_variants[FB_V_COUNT];
static unsigned n_variants;
static char default_variants[256], default_scenarios[256];
static char named_variants[256]; /* bench variants outside the default */
static char linux_variants[256], linux_scenarios[256];

/* names joined with commas. */
static void join(char *buf, size_t len, const char *const *names, unsigned n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", names[i]);
}

static void vocabulary(void)
{
	n_variants = fb_bench_variants(all_variants);
	join(default_variants, sizeof(default_variants), sweep_variants,
	     fb_default_sweep_variants(sweep_variants));
	const char *named[FB_V_COUNT];
	unsigned n = 0;
	for (int v = 0; v < FB_V_COUNT; v++)
		if (fb_variant_in_bench(v) && !fb_variant_default_sweep[v])
			named[n++] = fb_variant_names[v];
	join(named_variants, sizeof(named_variants), named, n);
	join(default_scenarios, sizeof(default_scenarios), fb_scenario_names,
	     FB_SC_COUNT);
	join(linux_variants, sizeof(linux_variants), host_variant_names,
	     HV_COUNT);
	join(linux_scenarios, sizeof(linux_scenarios), host_scenario_names,
	     HS_COUNT);
}

static const char *const default_sizes = "0,1M,4M,16M,64M,256M,1G";

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *f)
{
	vocabulary();
	fprintf(f,
"usage: forkbench run [options]\n"
"Sweep variants x scenarios x parent sizes in the guest, one guest boot per\n"
"configuration, into a result set (metrics.csv, configs.csv, meta.json).\n"
"\n"
"  -b, --backend NAME   auto (default), kvm, qemu-tcg, qemu-tcg-det, qemu-kvm;\n"
"                       auto: kvm if its validity check says hardware-\n"
"                       virtualized, else qemu-tcg-det\n"
"      --variants LIST  default %s; also %s\n"
"      --scenarios LIST default %s\n"
"      --sizes LIST     default %s\n"
"                       (K/M/G suffixes, at most %lluG)\n"
"  -m, --mem SIZE       guest RAM of every configuration (%lluM..%lluG);\n"
"                       default: room for the parent and a full copy,\n"
"                       2 x size + 128M (Linux: + 256M), at most %lluG\n"
"      --reps N         repetitions per configuration (default 10), after\n"
"                       one warm-up written as rep 0 (note warmup)\n"
"  -o, --out DIR        default results/<run id>\n"
"      --resume DIR     finish an interrupted sweep (its own parameters)\n"
"  -t, --timeout SECS   per configuration (default 900)\n"
"      --fbvmm PATH     default: fbvmm next to this program\n"
"      --guest PATH     default: guest.elf next to this program\n"
"      --os NAME        guest (default): forkbench's own kernel; linux: a\n"
"                       Linux kernel booted by the same backend as a peer\n"
"                       guest, running forkbench host's variants (%s)\n"
"                       and scenarios (%s) in its /init\n"
"      --kernel PATH    --os linux: the bzImage (default linux/vmlinuz next\n"
"                       to this program: Debian's cloud kernel, fetched by\n"
"                       scripts/linux_kernel.sh, which scripts/deps.sh runs)\n"
"      --parent-pages 4K|2M  the page size of every variant's parent heap\n"
"                       (default 4K; huge_copy and huge_split always 2M);\n"
"                       compare refuses sets that differ in it\n"
"      --shard K/N      run only shard K of N: every N-th configuration from\n"
"                       the K-th (deterministic); forkbench merge joins them\n"
"      --sim auto|on|off  the fbsim TLB/cache model (a QEMU TCG plugin,\n"
"                       plugin/README.md) for the tlb and cache scenarios:\n"
"                       their passes' sim_* counts (model outputs, not\n"
"                       hardware events). auto (default): on under\n"
"                       qemu-tcg and qemu-tcg-det when the plugin is built;\n"
"                       on: refuse to run without it\n"
"      --sim-preset NAME  the model's sizes: cpuid (default: this host's),\n"
"                       skylake, zen3\n"
"  -h, --help\n"
"\n"
"A configuration that fails is recorded in configs.csv with its reason and\n"
"the sweep goes on. A result file the host cannot write (full disk, file\n"
"size limit, read-only directory) stops the sweep at once, naming the file\n"
"and the reason. SIGINT stops after the running configuration. Either way\n"
"every finished configuration is kept, and --resume runs the rest.\n"
"Exit codes: 0 all configurations ok, 1 some failed, 2 bad arguments,\n"
"3 could not write results, 6 --kernel is not a bzImage, 130 interrupted.\n",
		default_variants, named_variants, default_scenarios,
		default_sizes, SWEEP_SIZE_MAX >> 30, MEM_MIN >> 20,
		MEM_MAX >> 30, MEM_MAX >> 30, linux_variants, linux_scenarios);
}

/*
 * A --variants or --scenarios list (parse.h's rules) as names out of
 * allowed, in the order given. -1 after saying why.
 */
static int parse_words(const char *list, const char **out, unsigned *n,
		       const char *const *allowed, unsigned nallowed,
		       const struct list_spec *spec)
{
	unsigned idx[SWEEP_MAX_ITEMS];
	char err[512];
	if (parse_name_list(list, spec, allowed, nallowed, idx, n, err,
			    sizeof(err)) < 0) {
		fprintf(stderr, "forkbench run: %s\n", err);
		return -1;
	}
	for (unsigned i = 0; i < *n; i++)
		out[i] = allowed[idx[i]];
	return 0;
}

/* Parent sizes: whole pages, at most SWEEP_SIZE_MAX. */
static int parse_sizes(const char *list, struct sweep_params *p)
{
	static const struct list_spec spec = { "--sizes", "size",
					       SWEEP_MAX_ITEMS };
	char err[512];
	if (parse_size_list(list, &spec, 4096, SWEEP_SIZE_MAX, p->sizes,
			    &p->nsizes, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "forkbench run: %s\n", err);
	return -1;
}

/*
 * Files installed next to this program (build/), for the defaults: one
 * buffer per default, so none overwrites another.
 */
static const char *beside_me(const char *name)
{
	static char paths[4][PATH_MAX];
	static int which;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return name;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	*slash = '\0';
	char *out = paths[which++ % 4];
	snprintf(out, PATH_MAX, "%.*s/%s", PATH_MAX / 2, self, name);
	return out;
}


enum { O_VARIANTS = 256, O_SCENARIOS, O_SIZES, O_REPS, O_RESUME,
       O_FBVMM, O_GUEST, O_SHARD, O_OS, O_KERNEL, O_SIM, O_SIM_PRESET };
/* --parent-pages, parsed and checked in sweep_pages.c */
#define O_PARENT_PAGES 512

/* What parse_options says besides 0 (run) and 1 (--help). */
#define BAD_ARGS (-1)
#define BAD_KERNEL (-6)

/* "K/N" with 1 <= K <= N <= 1000. */
static int parse_shard(const char *arg, struct sweep_params *p)
{
	unsigned k, n;
	char tail;
	if (sscanf(arg, "%u/%u%c", &k, &n, &tail) != 2 || arg[0] < '0' ||
	    arg[0] > '9' || n < 1 || n > 1000 || k < 1 || k > n) {
		fprintf(stderr, "forkbench run: --shard '%s': expected K/N with "
			"1 <= K <= N <= 1000\n", arg);
		return -1;
	}
	p->shard_k = k;
	p->shard_n = n;
	return 0;
}

/* A decimal number in lo..hi; strtoul alone would wrap 2^32+1 to 1. */
static int parse_count(const char *arg, unsigned long lo, unsigned long hi,
		       unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* fbvmm's own bounds, so no configuration fails on a size it refuses. */
static int parse_mem(const char *arg, struct sweep_params *p)
{
	if (parse_size(arg, &p->mem) == 0 && p->mem >= MEM_MIN &&
	    p->mem <= MEM_MAX && p->mem % 4096 == 0)
		return 0;
	fprintf(stderr, "forkbench run: --mem '%s': expected a multiple of 4K "
		"from %lluM to %lluG\n", arg, MEM_MIN >> 20, MEM_MAX >> 30);
	return -1;
}

/* A comma-separated list, refused rather than cut when it does not fit. */
static int copy_list(char *dst, size_t len, const char *name, const char *arg)
{
	if (strlen(arg) < len) {
		memcpy(dst, arg, strlen(arg) + 1);
		return 0;
	}
	fprintf(stderr, "forkbench run: --%s: longer than %zu characters\n",
		name, len - 1);
	return -1;
}

static int apply(int c, char *arg, struct run_options *o)
{
	switch (c) {
	case O_PARENT_PAGES: return sweep_pages_parse(arg, &o->p);
	case 'b': o->p.backend = arg; return 0;
	case 'm': return parse_mem(arg, &o->p);
	case O_VARIANTS:
		return copy_list(o->variants, sizeof(o->variants), "variants", arg);
	case O_SCENARIOS:
		return copy_list(o->scenarios, sizeof(o->scenarios), "scenarios", arg);
	case O_SIZES: return copy_list(o->sizes, sizeof(o->sizes), "sizes", arg);
	case 'o': o->out = arg; return 0;
	case O_RESUME: o->resume = arg; return 0;
	case O_FBVMM: o->p.fbvmm = arg; return 0;
	case O_GUEST: o->p.guest = arg; return 0;
	case O_SHARD: return parse_shard(arg, &o->p);
	case O_KERNEL: o->kernel = arg; return 0;
	case O_SIM:
		if (strcmp(arg, "auto") == 0 || strcmp(arg, "on") == 0 ||
		    strcmp(arg, "off") == 0) {
			o->p.sim = arg;
			return 0;
		}
		fprintf(stderr, "forkbench run: --sim '%s': expected auto, on or "
			"off\n", arg);
		return -1;
	case O_SIM_PRESET: o->p.sim_preset = arg; return 0;
	case O_OS:
		if (strcmp(arg, SWEEP_OS_GUEST) == 0 ||
		    strcmp(arg, SWEEP_OS_LINUX) == 0) {
			o->p.os = arg;
			return 0;
		}
		fprintf(stderr, "forkbench run: --os '%s': expected guest or "
			"linux\n", arg);
		return -1;
	case O_REPS:
		if (parse_count(arg, 1, 1000, &o->p.reps) == 0)
			return 0;
		fprintf(stderr, "forkbench run: --reps '%s': expected 1..1000\n", arg);
		return -1;
	case 't':
		/* fbvmm's own bound: its watchdog takes 0 (never) to a day */
		if (parse_count(arg, 0, 86400, &o->p.timeout_s) == 0)
			return 0;
		fprintf(stderr, "forkbench run: --timeout '%s': expected seconds "
			"0..86400\n", arg);
		return -1;
	}
	return -1;
}

/* The variant, scenario and size lists, the defaults where not given. */
static int lists(struct run_options *o, const char *const *variant_names,
		 unsigned nvariants, const char *def_variants,
		 const char *const *scenario_names, unsigned nscenarios,
		 const char *def_scenarios)
{
	static const struct list_spec variants = { "--variants", "variant",
						   SWEEP_MAX_ITEMS };
	static const struct list_spec scenarios = { "--scenarios", "scenario",
						    SWEEP_MAX_ITEMS };
	if (!o->variants[0])
		snprintf(o->variants, sizeof(o->variants), "%s", def_variants);
	if (!o->scenarios[0])
		snprintf(o->scenarios, sizeof(o->scenarios), "%s", def_scenarios);
	if (parse_words(o->variants, o->p.variants, &o->p.nvariants,
			variant_names, nvariants, &variants) < 0 ||
	    parse_words(o->scenarios, o->p.scenarios, &o->p.nscenarios,
			scenario_names, nscenarios, &scenarios) < 0 ||
	    parse_sizes(o->sizes, &o->p) < 0)
		return BAD_ARGS;
	return 0;
}

/*
 * --os linux: the kernel (checked here: exit 6 as fbvmm's for a bad
 * image) and the peer's initramfs built next to this program; kvm is our
 * own guest's backend only.
 */
static int linux_options(struct run_options *o)
{
	char version[256], err[1024];
	o->p.guest = o->kernel ? o->kernel : beside_me("linux/vmlinuz");
	o->p.initrd = beside_me("peer/initramfs.cpio");
	if (strcmp(o->p.backend, "kvm") == 0) {
		fprintf(stderr, "forkbench run: --os linux runs on QEMU: use -b "
			"qemu-kvm, qemu-tcg or qemu-tcg-det\n");
		return BAD_ARGS;
	}
	if (!o->kernel && access(o->p.guest, R_OK) != 0) {
		fprintf(stderr, "forkbench run: no Linux kernel at %s: run "
			"scripts/linux_kernel.sh with its directory, or give "
			"--kernel PATH\n", o->p.guest);
		return BAD_ARGS;
	}
	if (bzimage_check_file(o->p.guest, version, sizeof(version), err,
			       sizeof(err)) < 0) {
		fprintf(stderr, "forkbench run: --kernel %s\n", err);
		return BAD_KERNEL;
	}
	if (access(o->p.initrd, R_OK) != 0) {
		fprintf(stderr, "forkbench run: %s: %s (make builds it)\n",
			o->p.initrd, strerror(errno));
		return BAD_ARGS;
	}
	return lists(o, host_variant_names, HV_COUNT, linux_variants,
		     host_scenario_names, HS_COUNT, linux_scenarios);
}

/*
 * --sim on that cannot be honoured whatever the backend turns out to be;
 * auto's backend is checked once chosen (sweep_sim_resolve).
 */
static int check_sim(const struct sweep_params *p)
{
	char plugin[4096];
	if (strcmp(p->sim, "on") != 0 && !p->sim_preset)
		return 0;
	if (strcmp(p->sim, "off") == 0) {
		fprintf(stderr, "forkbench run: --sim-preset with --sim off\n");
		return -1;
	}
	if (p->sim_preset && strcmp(p->sim_preset, "cpuid") != 0 &&
	    strcmp(p->sim_preset, "skylake") != 0 &&
	    strcmp(p->sim_preset, "zen3") != 0) {
		fprintf(stderr, "forkbench run: --sim-preset '%s': expected "
			"cpuid, skylake or zen3\n", p->sim_preset);
		return -1;
	}
	if (strcmp(p->backend, "qemu-tcg") != 0 &&
	    strcmp(p->backend, "qemu-tcg-det") != 0 &&
	    strcmp(p->backend, "auto") != 0) {
		fprintf(stderr, "forkbench run: --sim: the model is a QEMU TCG "
			"plugin: use -b qemu-tcg-det or qemu-tcg, not %s\n",
			p->backend);
		return -1;
	}
	sweep_sim_plugin(p, plugin, sizeof(plugin));
	if (strcmp(p->sim, "on") == 0 && access(plugin, R_OK) < 0) {
		fprintf(stderr, "forkbench run: --sim on: %s: %s (scripts/deps.sh "
			"fetches QEMU's plugin header, then make builds it)\n",
			plugin, strerror(errno));
		return -1;
	}
	return 0;
}

/* 0 to run, 1 after --help, BAD_ARGS or BAD_KERNEL (already reported). */
static int parse_options(int argc, char **argv, struct run_options *o)
{
	static const struct option longs[] = {
		{ "backend", required_argument, 0, 'b' },
		{ "mem", required_argument, 0, 'm' },
		{ "variants", required_argument, 0, O_VARIANTS },
		{ "scenarios", required_argument, 0, O_SCENARIOS },
		{ "sizes", required_argument, 0, O_SIZES },
		{ "reps", required_argument, 0, O_REPS },
		{ "out", required_argument, 0, 'o' },
		{ "resume", required_argument, 0, O_RESUME },
		{ "timeout", required_argument, 0, 't' },
		{ "fbvmm", required_argument, 0, O_FBVMM },
		{ "guest", required_argument, 0, O_GUEST },
		{ "shard", required_argument, 0, O_SHARD },
		{ "os", required_argument, 0, O_OS },
		{ "kernel", required_argument, 0, O_KERNEL },
		{ "sim", required_argument, 0, O_SIM },
		{ "sim-preset", required_argument, 0, O_SIM_PRESET },
		{ "parent-pages", required_argument, 0, O_PARENT_PAGES },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	vocabulary();
	memset(o, 0, sizeof(*o));
	o->p = (struct sweep_params){ .reps = 10, .backend = "auto",
				      .timeout_s = 900,
				      .fbvmm = beside_me("fbvmm"),
				      .guest = beside_me("guest.elf"),
				      .os = SWEEP_OS_GUEST, .sim = "auto" };
	snprintf(o->sizes, sizeof(o->sizes), "%s", default_sizes);
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":b:m:o:t:h", longs, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == '?' || c == ':') {
			char err[256];
			cli_bad_option(c, argv, err, sizeof(err));
			fprintf(stderr, "forkbench run: %s\n", err);
			return -1;
		}
		if (apply(c, optarg, o) < 0)
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "forkbench run: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	enum backend b;
	if (strcmp(o->p.backend, "auto") != 0 && backend_parse(o->p.backend, &b) < 0) {
		fprintf(stderr, "forkbench run: unknown backend '%s'\n", o->p.backend);
		return -1;
	}
	if (check_sim(&o->p) < 0 || sweep_pages_check(&o->p) < 0)
		return -1;
	if (sweep_is_linux(&o->p))
		return linux_options(o);
	if (o->kernel) {
		fprintf(stderr, "forkbench run: --kernel: only with --os linux\n");
		return -1;
	}
	return lists(o, all_variants, n_variants, default_variants,
		     fb_scenario_names, FB_SC_COUNT, default_scenarios);
}

/* The arguments a sweep was started with, saved in its result set. */
static int load_saved_args(const char *dir, char **argv, int max, char *buf,
			   size_t len)
{
	char path[4096];
	if (path_join(path, sizeof(path), dir, SWEEP_ARGS) < 0)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "forkbench: %s: %s: %s\n", dir, path,
			strerror(errno));
		return -1;
	}
	size_t n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	int argc = 0;
	for (char *w = strtok(buf, "\n"); w && argc < max - 1; w = strtok(NULL, "\n"))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

int sweep_args_load(const char *dir, struct sweep_args *a)
{
	a->argc = load_saved_args(dir, a->argv, SWEEP_ARGS_MAX, a->buf,
				  sizeof(a->buf));
	if (a->argc < 0)
		return -1; /* said why */
	if (a->argc == 0 || parse_options(a->argc, a->argv, &a->o) != 0) {
		fprintf(stderr, "forkbench: %s: %s does not hold a sweep's "
			"arguments\n", dir, SWEEP_ARGS);
		return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_options o;
	int parsed = parse_options(argc, argv, &o);
	if (parsed == 1) {
		usage(stdout);
		return 0;
	}
	if (parsed == BAD_KERNEL)
		return 6;
	if (parsed < 0)
		return 2;
	if (!o.resume)
		return run_sweep(&o.p, o.out, 0, argc, argv, &interrupted,
				 on_interrupt);
	if (argc != 3) {
		fprintf(stderr, "forkbench run: --resume DIR takes no other "
			"options (the sweep keeps its own)\n");
		return 2;
	}
	static struct sweep_args saved;
	const char *dir = o.resume;
	if (sweep_args_load(dir, &saved) < 0)
		return 2;
	return run_sweep(&saved.o.p, dir, 1, saved.argc, saved.argv,
			 &interrupted, on_interrupt);
}
