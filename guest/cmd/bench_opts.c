/*
 * "bench key=value...": reading the configuration. Each argument is
 * checked on its own (known key, given once, well-formed value), then
 * the arguments together; the first problem ends the run as a bad
 * command naming it, before any memory is touched.
 */
#include "cmd/bench_opts.h"
#include "cmd/args.h"
#include "kernel/bootinfo.h"
#include "kernel/end.h"
#include "kernel/lib.h"
#include "kernel/x86.h"

#define REPS_MAX 1000

struct bench_cfg bench;

/* Indexed by the flag each sets (child_first, writer_child, ...). */
static const char *const sides[] = { "parent", "child" };
static const char *const zero_one[] = { "0", "1" };
static const char *const off_on[] = { "off", "on" };
static const char *const page_sizes[] = { "4K", "2M" };

/* The value of each option as given, NULL while not given. */
static const char *given[13];

/* One of names; anything else is refused with the choices. */
static unsigned choose(const char *key, const char *val,
		       const char *const *names, unsigned n)
{
	int i = choice_index(val, names, n);
	if (i < 0) {
		char list[96];
		choice_list(list, sizeof(list), names, n);
		badcmd("bench: unknown %s '%s' (one of: %s)", key, val, list);
	}
	return (unsigned)i;
}

/* A whole number in [min, max]. */
static uint64_t count(const char *key, const char *val, uint64_t min,
		      uint64_t max)
{
	uint64_t v;
	if (parse_u64(val, strlen(val), &v) < 0)
		badcmd("bench: %s '%s' is not a number", key, val);
	if (v < min)
		badcmd("bench: %s %lu is too small (at least %lu)", key, v, min);
	if (v > max)
		badcmd("bench: %s %lu is too large (at most %lu)", key, v, max);
	return v;
}

static void set_scenario(const char *v)
{
	bench.scenario = (enum fb_scenario)choose("scenario", v, fb_scenario_names,
					       FB_SC_COUNT);
}

/* Only the variants the bench command runs (fb_vocab.h). */
static void set_variant(const char *v)
{
	const char *names[FB_V_COUNT];
	unsigned n = fb_bench_variants(names);
	int i = fb_variant_find(names[choose("variant", v, names, n)]);
	bench.variant = (enum fb_variant)i;
}

/* The size as spelled, for the message when guest RAM cannot hold it. */
static const char *size_arg;

static void set_size(const char *v)
{
	const char *why = size_problem(v, &bench.size);
	if (why)
		badcmd("bench: size '%s' %s", v, why);
	size_arg = v;
}

static void set_reps(const char *v)
{
	bench.reps = (unsigned)count("reps", v, 1, REPS_MAX);
}

static void set_policy(const char *v)
{
	bench.child_first = (int)choose("policy", v, sides, 2);
}

static void set_writes(const char *v)
{
	bench.writes = count("writes", v, 1, UINT64_MAX);
}

static void set_writer(const char *v)
{
	bench.writer_child = (int)choose("writer", v, sides, 2);
}

static void set_phases(const char *v)
{
	bench.phases = (int)choose("phases", v, zero_one, 2);
}

/* Bounded by guest RAM, which also keeps hot_kb * 1024 from overflowing. */
static void set_hot_kb(const char *v)
{
	bench.hot_kb = count("hot_kb", v, 1, boot.ram_bytes >> 10);
}

static void set_pcid(const char *v)
{
	bench.pcid = (int)choose("pcid", v, off_on, 2);
}

/* The model's STLB, not the CPU's (forkbench run --sim passes it). */
static void set_stlb(const char *v)
{
	bench.stlb = count("stlb", v, 1, 1u << 20);
}

static void set_sim(const char *v)
{
	bench.sim = (int)choose("sim", v, off_on, 2);
}

static void set_parent_pages(const char *v)
{
	bench.huge_parent = (int)choose("parent_pages", v, page_sizes, 2);
}

static const struct option {
	const char *key;
	void (*set)(const char *val); /* refuses a bad value itself */
	int required;                 /* no default makes sense */
} options[] = {
	{ "scenario", set_scenario, 1 }, { "variant", set_variant, 1 },
	{ "size", set_size, 1 },	 { "reps", set_reps, 0 },
	{ "policy", set_policy, 0 },	 { "writes", set_writes, 0 },
	{ "writer", set_writer, 0 },	 { "phases", set_phases, 0 },
	{ "hot_kb", set_hot_kb, 0 },	 { "pcid", set_pcid, 0 },
	{ "sim", set_sim, 0 },		 { "stlb", set_stlb, 0 },
	{ "parent_pages", set_parent_pages, 0 },
};
_Static_assert(ARRAY_SIZE(options) == ARRAY_SIZE(given), "one per option");

/* "a b c": the keys (all, or only the required ones), for a message. */
static void key_list(char *buf, size_t len, int required_only)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(options) && n < len; i++)
		if (options[i].required || !required_only)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? " " : "", options[i].key);
}

/* The option named by arg[0..klen), refusing an unknown key. */
static unsigned find_option(const char *arg, size_t klen)
{
	for (unsigned i = 0; i < ARRAY_SIZE(options); i++)
		if (strlen(options[i].key) == klen &&
		    strncmp(arg, options[i].key, klen) == 0)
			return i;
	char key[ARG_LEN_MAX + 1], keys[96];
	memcpy(key, arg, klen); /* cmdline_parse bounded every word */
	key[klen] = '\0';
	key_list(keys, sizeof(keys), 0);
	badcmd("bench: unknown key '%s' (keys: %s)", key, keys);
}

static void take_arg(const char *arg)
{
	const char *eq = arg;
	while (*eq && *eq != '=')
		eq++;
	if (!*eq)
		badcmd("bench: '%s' is not key=value", arg);
	if (eq == arg)
		badcmd("bench: '%s' has no key", arg);
	unsigned i = find_option(arg, (size_t)(eq - arg));
	const char *key = options[i].key, *val = eq + 1;
	if (given[i])
		badcmd("bench: key '%s' given twice (%s=%s, then %s)", key, key,
		       given[i], arg);
	if (!*val)
		badcmd("bench: '%s' has no value", arg);
	options[i].set(val);
	given[i] = val;
}

static int cpu_has_pcid(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	return (r[2] >> 17) & 1;
}

/* What each argument is fine alone but not with the others. */
static void check_together(void)
{
	if (bench.pcid && cpu_has_pcid())
		badcmd("bench: pcid=on: this CPU has PCID, but the kernel does "
		       "not tag address spaces with PCIDs yet");
	if (!fb_variant_applies(bench.variant, bench.scenario)) {
		char list[96];
		size_t n = 0;
		for (int v = 0, k = 0; v < FB_V_COUNT && n < sizeof(list); v++)
			if (fb_variant_applies(v, bench.scenario))
				n += (size_t)snprintf(list + n, sizeof(list) - n,
						      "%s%s", k++ ? " or " : "",
						      fb_variant_names[v]);
		int shares = (fb_variant_flags[bench.variant] & FB_CLONE_VM) != 0;
		badcmd("bench: scenario %s needs variant %s (%s %s: nothing to "
		       "copy)", fb_scenario_names[bench.scenario], list,
		       fb_variant_names[bench.variant],
		       shares ? "shares memory" : "starts an empty address space");
	}
}

static const char *given_value(const char *key)
{
	for (unsigned i = 0; i < ARRAY_SIZE(options); i++)
		if (strcmp(options[i].key, key) == 0)
			return given[i];
	return 0;
}

/*
 * huge_copy and huge_split fork a parent of 2 MiB pages. Where the
 * parent has them, the child writes in the write scenarios: the parent's
 * own write would split or copy its 2 MiB pages, and every later
 * repetition would fork another parent. In first_write the child writes
 * for every variant, so that all of them pay the same price.
 */
static void huge_defaults(void)
{
	int huge = bench.variant == FB_V_HUGE_COPY ||
		   bench.variant == FB_V_HUGE_SPLIT;
	bench.huge_parent |= huge;
	if (!(FB_WRITES & (1u << bench.scenario)))
		return;
	if (!given_value("writer") &&
	    (bench.huge_parent || bench.scenario == FB_SC_FIRST_WRITE))
		bench.writer_child = 1;
	if (bench.huge_parent && !bench.writer_child)
		badcmd("bench: writer=parent with a parent of 2 MiB pages: its "
		       "writes would change the parent every repetition forks");
}

static void check_required(void)
{
	char keys[64];
	key_list(keys, sizeof(keys), 1);
	for (unsigned i = 0; i < ARRAY_SIZE(options); i++)
		if (options[i].required && !given[i])
			badcmd("bench: missing %s= (required: %s)",
			       options[i].key, keys);
}

void bench_parse(int argc, char **argv)
{
	bench = (struct bench_cfg){ .reps = 10, .writes = 64, .hot_kb = 0 };
	memset(given, 0, sizeof(given));
	for (int i = 1; i < argc; i++)
		take_arg(argv[i]);
	/* What is given and wrong first, then what is missing. */
	check_together();
	check_required();
	huge_defaults();
	parent_must_fit("bench", size_arg, bench.size);
}
