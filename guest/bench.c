/*
 * "bench key=value...": parse a configuration, build the parent (pid 1
 * with SIZE of touched memory), and run the repetitions.
 */
#include "bench.h"
#include "fb_calib.h"
#include "commands.h"
#include "console.h"
#include "kernel.h"
#include "lib.h"
#include "pmu.h"
#include "proc.h"
#include "record.h"
#include "tsc.h"
#include "uapi.h"
#include "vmstat.h"
#include "x86.h"

#define REPS_MAX 1000
#define WORDS_PER_PAGE 512

struct bench_cfg bench;
const char *const scenario_names[] = { "create", "exit_wait", "exec_wait",
				       "cow", "tlb", "cache", "phases" };
const char *const variant_names[] = { "copy", "cow", "vfork", "clone" };

static void metric_common(struct rec *r, unsigned rep, const char *name)
{
	rec_begin(r, "metric");
	rec_str(r, "variant", variant_names[bench.variant]);
	rec_str(r, "scenario", scenario_names[bench.scenario]);
	rec_u64(r, "size", bench.size);
	rec_u64(r, "rep", rep);
	rec_str(r, "metric", name);
}

void metric(unsigned rep, const char *name, uint64_t value, const char *unit)
{
	struct rec r;
	metric_common(&r, rep, name);
	rec_u64(&r, "value", value);
	rec_str(&r, "unit", unit);
	rec_end(&r);
}

void metric_na(unsigned rep, const char *name, const char *unit,
	       const char *why)
{
	struct rec r;
	metric_common(&r, rep, name);
	rec_str(&r, "value", "NA");
	rec_str(&r, "unit", unit);
	rec_str(&r, "note", why);
	rec_end(&r);
}

static int lookup(const char *v, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

/* One key=value argument; -1 after saying what is wrong. */
static int set_option(const char *key, const char *val)
{
	uint64_t v;
	int i;
	if (strcmp(key, "scenario") == 0 &&
	    (i = lookup(val, scenario_names, 7)) >= 0)
		bench.scenario = (enum scenario)i;
	else if (strcmp(key, "variant") == 0 &&
		 (i = lookup(val, variant_names, 4)) >= 0)
		bench.variant = (enum variant)i;
	else if (strcmp(key, "size") == 0 && parse_size(val, &v) == 0 &&
		 v % 4096 == 0)
		bench.size = v;
	else if (strcmp(key, "reps") == 0 && parse_size(val, &v) == 0 &&
		 v >= 1 && v <= REPS_MAX)
		bench.reps = (unsigned)v;
	else if (strcmp(key, "policy") == 0 &&
		 (strcmp(val, "child") == 0 || strcmp(val, "parent") == 0))
		bench.child_first = val[0] == 'c';
	else if (strcmp(key, "writes") == 0 && parse_size(val, &v) == 0)
		bench.writes = v;
	else if (strcmp(key, "writer") == 0 &&
		 (strcmp(val, "child") == 0 || strcmp(val, "parent") == 0))
		bench.writer_child = val[0] == 'c';
	else if (strcmp(key, "phases") == 0 && (val[0] == '0' || val[0] == '1') &&
		 !val[1])
		bench.phases = val[0] == '1';
	else if (strcmp(key, "hot_kb") == 0 && parse_size(val, &v) == 0 && v)
		bench.hot_kb = v;
	else if (strcmp(key, "pcid") == 0 &&
		 (strcmp(val, "on") == 0 || strcmp(val, "off") == 0))
		bench.pcid = val[1] == 'n';
	else {
		kprintf("bench: bad option '%s=%s'\n", key, val);
		return -1;
	}
	return 0;
}

static int cpu_has_pcid(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return (r[2] >> 17) & 1;
}

static int parse_args(int argc, char **argv)
{
	bench = (struct bench_cfg){ .reps = 5, .writes = 64, .hot_kb = 0 };
	for (int i = 1; i < argc; i++) {
		char *eq = argv[i];
		while (*eq && *eq != '=')
			eq++;
		if (!*eq) {
			kprintf("bench: expected key=value, got '%s'\n", argv[i]);
			return -1;
		}
		*eq = '\0';
		int r = set_option(argv[i], eq + 1);
		*eq = '=';
		if (r < 0)
			return -1;
	}
	if (bench.pcid && cpu_has_pcid()) {
		kprintf("bench: pcid=on: this CPU has PCID, but the kernel does "
			"not tag address spaces with PCIDs yet\n");
		return -1;
	}
	if (bench.scenario == SC_COW &&
	    (bench.variant == V_VFORK || bench.variant == V_CLONE)) {
		kprintf("bench: scenario cow needs variant copy or cow "
			"(vfork and clone share memory: nothing to copy)\n");
		return -1;
	}
	return 0;
}

/*
 * A COW fork leaves the parent's pages write-protected: write them again
 * so every repetition forks the same dirty, writable parent. The other
 * variants never write-protect the parent.
 */
static void redirty(uint64_t *parent, uint64_t pages)
{
	if (bench.variant != V_COW && bench.scenario != SC_COW)
		return;
	for (uint64_t p = 0; p < pages; p++)
		parent[p * WORDS_PER_PAGE] = p;
}

/* Time the shared calibration loop; the host compares it with its own. */
static void report_calibration(void)
{
	uint64_t best = ~0ull;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = tsc_start();
		fb_calib_loop(FB_CALIB_ITERATIONS);
		uint64_t c = tsc_cycles(t0, tsc_end());
		best = c < best ? c : best;
	}
	struct rec r;
	rec_begin(&r, "calib");
	rec_u64(&r, "iterations", FB_CALIB_ITERATIONS);
	rec_u64(&r, "cycles", best);
	rec_u64(&r, "tsc_overhead", tsc_overhead);
	rec_u64(&r, "rdtscp", (uint64_t)tsc_has_rdtscp);
	rec_str(&r, "pmu", pmu_missing_reason());
	rec_str(&r, "pmu_events", boot.pmu_events[0] ? boot.pmu_events : "-");
	rec_end(&r);
}

static unsigned nomem(uint64_t pages)
{
	kprintf("bench: guest RAM too small for a %lu MiB parent (%lu pages)\n",
		bench.size >> 20, pages);
	return FB_STATUS_NOMEM;
}

static int bench_init(long unused)
{
	(void)unused;
	uint64_t pages = bench.size / 4096;
	long base = pages ? sys_sbrk(pages, 1) : 0;
	if (base < 0)
		return (int)nomem(pages);
	sched_child_first = bench.child_first;
	pmu_init();
	report_calibration();
	fork_phases_on = bench.phases || bench.scenario == SC_PHASES;
	kprintf("bench: %s %s size %lu reps %u policy %s (tsc overhead %lu, "
		"rdtscp %d)\n", scenario_names[bench.scenario],
		variant_names[bench.variant], bench.size, bench.reps,
		bench.child_first ? "child" : "parent", tsc_overhead,
		tsc_has_rdtscp);
	for (unsigned rep = 0; rep < bench.reps; rep++) {
		redirty((uint64_t *)base, pages);
		int r = scenario_run(rep, (uint64_t *)base, pages);
		if (r)
			return r;
	}
	return FB_STATUS_PASS;
}

void proc_boot(int (*fn)(long), long arg);

unsigned cmd_bench(int argc, char **argv)
{
	if (parse_args(argc, argv) < 0)
		return FB_STATUS_BADCMD;
	proc_boot(bench_init, 0);
	return FB_STATUS_FAIL; /* not reached */
}
