/* forkbench host's options: parsing, the applicability table, help. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "host_batch.h"
#include "host_opts.h"
#include "parse.h"

const char *const host_variant_names[HV_COUNT] = {
	"linux_fork", "linux_vfork", "linux_clone_vm", "linux_clone_vm_vfork",
	"linux_posix_spawn", "linux_thread", "linux_fork_thp",
};

/* The guest's names (fb_vocab.h): the first HS_COUNT scenarios. */
const char *const *const host_scenario_names = fb_scenario_names;

static const uint64_t default_sizes[] = {
	0, 1ull << 20, 4ull << 20, 16ull << 20, 64ull << 20, 256ull << 20,
	1ull << 30,
};

/*
 * posix_spawn always execs, so it has no child that "exits at once"; a
 * thread cannot exec without replacing the whole measuring process; COW
 * exists only where the address space is copied, i.e. fork. The TLB
 * and cache probes time the parent around any child's life.
 */
int host_applies(enum host_variant v, enum host_scenario s)
{
	switch (s) {
	case HS_CREATE: return 1;
	case HS_EXIT_WAIT: return v != HV_POSIX_SPAWN;
	case HS_EXEC_WAIT: return v != HV_THREAD;
	case HS_COW: return v == HV_FORK || v == HV_FORK_THP;
	case HS_TLB:
	case HS_CACHE: return 1;
	default: return 0;
	}
}

unsigned host_config_count(const struct host_opts *o)
{
	unsigned pairs = 0;
	for (unsigned v = 0; v < HV_COUNT; v++)
		for (unsigned s = 0; s < HS_COUNT; s++)
			pairs += (o->variants >> v & 1) && (o->scenarios >> s & 1) &&
				 host_applies((enum host_variant)v,
					      (enum host_scenario)s);
	return pairs * o->n_sizes;
}

/* Host lists: sizes are parent regions of whole pages, any size. */
int host_parse_sizes(const char *list, uint64_t *sizes, unsigned max,
		     unsigned *n, char *err, size_t errlen)
{
	const struct list_spec spec = { "--sizes", "size", max };
	return parse_size_list(list, &spec, HOST_PAGE, UINT64_MAX, sizes, n,
			       err, errlen);
}

/* The chosen names as a bit mask: the sweep runs them in table order. */
int host_parse_names(const char *list, const char *const *names,
		     unsigned count, const char *opt, const char *noun,
		     unsigned *mask, char *err, size_t errlen)
{
	const struct list_spec spec = { opt, noun, count };
	unsigned idx[32], n;
	if (count > sizeof(idx) / sizeof(*idx) ||
	    parse_name_list(list, &spec, names, count, idx, &n, err,
			    errlen) < 0)
		return -1;
	*mask = 0;
	for (unsigned i = 0; i < n; i++)
		*mask |= 1u << idx[i];
	return 0;
}

/* An integer lo..hi in parse_size syntax; -1 with the reason in err. */
static int parse_count(const char *opt, const char *s, uint64_t lo,
		       uint64_t hi, uint64_t *out, char *err, size_t errlen)
{
	uint64_t v;
	if (parse_size(s, &v) < 0 || v < lo || v > hi) {
		snprintf(err, errlen, "%s '%s': not a number from %llu to %llu",
			 opt, s, (unsigned long long)lo, (unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

static void set_defaults(struct host_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->variants = (1u << HV_COUNT) - 1;
	o->scenarios = (1u << HS_COUNT) - 1;
	o->n_sizes = sizeof(default_sizes) / sizeof(*default_sizes);
	memcpy(o->sizes, default_sizes, sizeof(default_sizes));
	o->reps = HOST_REPS_DEFAULT;
	o->writes = 64;
	o->cpu = -1;
}

/* One "--name VALUE" or "--name=VALUE" option with its value. */
static int apply(struct host_opts *o, const char *name, const char *val,
		 char *err, size_t errlen)
{
	uint64_t v;
	if (strcmp(name, "--sizes") == 0)
		return host_parse_sizes(val, o->sizes, HOST_SIZES_MAX,
					&o->n_sizes, err, errlen);
	if (strcmp(name, "--variants") == 0)
		return host_parse_names(val, host_variant_names, HV_COUNT, name,
					"variant", &o->variants, err, errlen);
	if (strcmp(name, "--scenarios") == 0)
		return host_parse_names(val, host_scenario_names, HS_COUNT, name,
					"scenario", &o->scenarios, err, errlen);
	if (strcmp(name, "--reps") == 0) {
		if (parse_count(name, val, 1, HOST_REPS_MAX, &v, err, errlen) < 0)
			return -1;
		o->reps = (unsigned)v;
		return 0;
	}
	if (strcmp(name, "--writes") == 0)
		return parse_count(name, val, 1, 1ull << 30, &o->writes, err,
				   errlen);
	if (strcmp(name, "--cpu") == 0) {
		/* Whether this process may use it is for host_cpu_pick. */
		if (parse_count(name, val, 0, HOST_CPU_MAX, &v, err, errlen) < 0)
			return -1;
		o->cpu = (int)v;
		return 0;
	}
	if (strcmp(name, "--out") == 0) {
		if (!val[0]) {
			snprintf(err, errlen, "--out '': empty directory name");
			return -1;
		}
		o->out = val;
		return 0;
	}
	snprintf(err, errlen, "%s: unknown option (see forkbench host --help)",
		 name);
	return -1;
}

enum host_parse host_opts_parse(int argc, char **argv, struct host_opts *o,
				char *err, size_t errlen)
{
	static const struct option longs[] = {
		{ "sizes", required_argument, 0, 0 },
		{ "variants", required_argument, 0, 0 },
		{ "scenarios", required_argument, 0, 0 },
		{ "reps", required_argument, 0, 0 },
		{ "writes", required_argument, 0, 0 },
		{ "cpu", required_argument, 0, 0 },
		{ "out", required_argument, 0, 0 },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	set_defaults(o);
	cli_reset();
	int c, which;
	while ((c = getopt_long(argc, argv, ":h", longs, &which)) != -1) {
		char name[32];
		if (c == 'h')
			return HOST_HELP;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, errlen);
			return HOST_BAD;
		}
		snprintf(name, sizeof(name), "--%s", longs[which].name);
		if (apply(o, name, optarg, err, errlen) < 0)
			return HOST_BAD;
	}
	if (optind < argc) {
		snprintf(err, errlen, "%s: unknown argument (see forkbench "
			 "host --help)", argv[optind]);
		return HOST_BAD;
	}
	if (host_config_count(o) == 0) {
		snprintf(err, errlen, "--variants/--scenarios: no chosen scenario "
			 "applies to a chosen variant (see --help)");
		return HOST_BAD;
	}
	return HOST_RUN;
}

void host_usage(FILE *f)
{
	fprintf(f,
"usage: forkbench host [options]\n"
"The guest's process-creation scenarios measured on this host's Linux,\n"
"written as a result set in the guest's schema (variant names linux_*).\n"
"\n"
"  --variants LIST   comma list (default all):\n"
"      linux_fork            fork()\n"
"      linux_vfork           vfork()\n"
"      linux_clone_vm        clone(CLONE_VM|SIGCHLD), child on its own stack\n"
"      linux_clone_vm_vfork  clone(CLONE_VM|CLONE_VFORK|SIGCHLD)\n"
"      linux_posix_spawn     posix_spawn() of /bin/true\n"
"      linux_thread          pthread_create() + pthread_join()\n"
"      linux_fork_thp        fork() of a parent mapped MADV_HUGEPAGE (the\n"
"                            others: MADV_NOHUGEPAGE, 4K pages as the guest);\n"
"                            a parent of 2M or more must get huge pages, or\n"
"                            the configuration fails saying why\n"
"  --scenarios LIST  comma list (default all), metrics in cycles:\n"
"      create     one call per sample (a child's start cannot be batched:\n"
"                 each call has its own return and its own first child\n"
"                 instruction): cycles_to_return (the call, in the\n"
"                 parent), and from the call's start to the child's first\n"
"                 instruction (it writes its TSC to a MAP_SHARED page)\n"
"                 cycles_to_child when the child ran before the call\n"
"                 returned, else cycles_to_child_parent_first; the other\n"
"                 one is NA, note parent_ran_first or child_ran_first (a\n"
"                 child TSC before the call's start: both NA, note\n"
"                 negative_tsc_delta:child_before_call_start);\n"
"                 posix_spawn runs no code of ours in its child, so only\n"
"                 cycles_to_return\n"
"      exit_wait  cycles_create_exit_wait: create, the child exits at once,\n"
"                 the parent waits (not posix_spawn: it always execs)\n"
"      exec_wait  cycles_create_exec_wait: the child execs /bin/true (empty\n"
"                 environment), the parent waits; posix_spawn spawns it; a\n"
"                 clone_vm child may exec (the kernel gives it a new mm);\n"
"                 not linux_thread (exec would replace this process)\n"
"                 exit_wait and exec_wait are batched like lmbench's\n"
"                 lat_proc: a sample times K loops and reports the time\n"
"                 per loop (rounded), note batch:K; the warm-up doubles K\n"
"                 from 1 until a batch lasts 1 ms (at most %u; 1 where one\n"
"                 call already takes 1 ms)\n"
"      cow        linux_fork only: while the child is alive (stopped) the\n"
"                 parent writes K pages: write_cycles_total,\n"
"                 pages_written and cycles_per_write (their integer\n"
"                 quotient, as in the guest); at size 0 there is no\n"
"                 page to write: cycles_per_write is NA, note\n"
"                 parent_has_no_pages (as in the guest)\n"
"      tlb        the guest's probe: a warm read pass, one word per page,\n"
"                 over the parent pages the second-level TLB holds (CPUID\n"
"                 0x18 or 0x80000006), timed before the call and again in\n"
"                 the parent once the child has exited and been reaped:\n"
"                 tlb_cycles_before/_after, tlb_accesses, per access\n"
"                 (3 decimals), tlb_stlb_entries; at size 0 NA, note\n"
"                 parent_has_no_pages\n"
"      cache      the same with one word per line over a hot set of half\n"
"                 the L2 (cache_hot_kb), the TLB refill timed apart\n"
"                 (cache_tlb_refill_cycles); under QEMU TCG (the Linux\n"
"                 peer) both probes' timings are NA: nothing is cached\n"
"  --sizes LIST      parent sizes, multiples of 4K (default\n"
"                    0,1M,4M,16M,64M,256M,1G): a MAP_PRIVATE|MAP_ANONYMOUS\n"
"                    region, MADV_NOHUGEPAGE (4K pages, as in the guest),\n"
"                    one word per page written before each configuration,\n"
"                    and before every linux_fork sample (fork leaves the\n"
"                    pages write-protected; as in the guest); children\n"
"                    never touch it (except the cow writes). A size above\n"
"                    MemAvailable fails its configurations instead of\n"
"                    swapping or meeting the OOM killer\n"
"  --reps N          measured samples per configuration, reps 1..N, 1..%d\n"
"                    (default %d), after one warm-up sample (rep 0, note\n"
"                    warmup; kept in metrics.csv, left out of statistics)\n"
"  --writes K        cow: pages written, at most the parent's (default 64)\n"
"  --cpu N           pin the run, and so every child, to CPU N (default: the\n"
"                    last CPU this process may use); a CPU outside that set\n"
"                    is refused\n"
"  --out DIR         the result set (default results/<UTC time>-linux);\n"
"                    created if missing, must not hold a metrics.csv yet\n"
"  -h, --help        this text\n"
"\n"
"Timing: lfence;rdtsc;lfence at the start, rdtscp;lfence at the end when\n"
"CPUID 0x80000001 EDX bit 27 says so (else lfence;rdtsc;lfence), minus the\n"
"median cost of an empty region; unit cycles, like the guest. tsc_khz in\n"
"meta.json converts to time; tsc_khz_source says where it came from (KVM,\n"
"CPUID, the kernel's log, or TSC ticks over 50 ms of CLOCK_MONOTONIC_RAW).\n"
"\n"
"Notes: parts joined by ';' in this order: warmup, an NA reason, batch:K,\n"
"disturbed:nivcsw:N (N involuntary context switches of this process\n"
"during the sample, beyond the one a child that runs first costs its\n"
"parent), disturbed:load:L (the 1-minute load average when the\n"
"configuration started was above 1 + 0.5 x online CPUs: the run itself\n"
"is about 1). A disturbed sample keeps its value.\n"
"\n"
"Output in DIR: metrics.csv (variant,scenario,size,rep,metric,value,unit,\n"
"note: one row per sample and metric), configs.csv (one row per\n"
"configuration: status ok, or failed with the reason, e.g. the parent\n"
"region could not be mapped or fork returned ENOMEM; exit_code 0 or 1;\n"
"wall_s; guest_s empty), meta.json (command, tsc_khz, validity, git\n"
"revision, the sweep, the CPU, host CPU and kernel). A failed\n"
"configuration writes no metric rows and the sweep goes on. The CSVs are\n"
"written to temporary files and renamed at the end, or on SIGINT/SIGTERM\n"
"with the finished configurations (the one in progress is dropped).\n"
"Progress on stderr.\n"
"\n"
"Exit codes: 0 every configuration ok, 1 some failed (or the output could\n"
"not be written, or the CPU could not be pinned), 2 bad arguments (also a\n"
"--cpu outside the allowed set) or an unusable --out,\n"
"130 interrupted (finished configurations kept).\n",
		HOST_BATCH_MAX, HOST_REPS_MAX, HOST_REPS_DEFAULT);
}
