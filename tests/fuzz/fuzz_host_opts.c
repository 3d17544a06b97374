/*
 * forkbench host's command line (bench/host_opts.c): host_opts_parse on an
 * argv built from the input (words split at NUL bytes), and the list
 * parsers on the first word as a list. What is accepted must be within
 * the documented limits, and every size must print as a label that means
 * the same size.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host_opts.h"
#include "parse.h"

#define MAX_WORDS 24

/* size_text's label, read back: digits and one of K, M, G, T. */
static void check_label(uint64_t v)
{
	static const char units[] = "KMGT";
	char text[32];
	char *end;

	size_text(v, text, sizeof(text));
	uint64_t n = strtoull(text, &end, 10);
	const char *u = *end ? strchr(units, *end) : NULL;
	unsigned shift = u ? 10 * (unsigned)(1 + (u - units)) : 0;

	if ((*end && (!u || end[1])) || n > UINT64_MAX >> shift ||
	    n << shift != v)
		fuzz_fail("size %llu printed as '%s'", (unsigned long long)v,
			  text);
}

static void check_sizes(const uint64_t *sizes, unsigned n)
{
	if (n > HOST_SIZES_MAX)
		fuzz_fail("%u sizes accepted", n);
	for (unsigned i = 0; i < n; i++) {
		if (sizes[i] % HOST_PAGE)
			fuzz_fail("size %llu is not a multiple of 4K",
				  (unsigned long long)sizes[i]);
		for (unsigned j = 0; j < i; j++)
			if (sizes[i] == sizes[j])
				fuzz_fail("size %llu accepted twice",
					  (unsigned long long)sizes[i]);
		check_label(sizes[i]);
	}
}

static void check_run(const struct host_opts *o)
{
	check_sizes(o->sizes, o->n_sizes);
	if (o->reps < 1 || o->reps > HOST_REPS_MAX)
		fuzz_fail("%u repetitions accepted", o->reps);
	if (o->writes < 1 || o->writes > (1ull << 30))
		fuzz_fail("%llu writes accepted",
			  (unsigned long long)o->writes);
	if (o->variants >> HV_COUNT || o->scenarios >> HS_COUNT)
		fuzz_fail("mask bits beyond the known names");
	if (host_config_count(o) == 0)
		fuzz_fail("accepted options that select nothing");
	if (o->out && !o->out[0])
		fuzz_fail("empty --out accepted");
	if (o->cpu < -1 || o->cpu > HOST_CPU_MAX)
		fuzz_fail("--cpu %d accepted", o->cpu);
}

/* The first word as a --sizes and a --variants list. */
static void check_lists(const char *list, const uint8_t *data, size_t size)
{
	uint64_t sizes[HOST_SIZES_MAX];
	unsigned n = 0, mask = 0;
	char err[512];

	if (host_parse_sizes(list, sizes, HOST_SIZES_MAX, &n, err,
			     sizeof(err)) == 0)
		check_sizes(sizes, n);
	else
		fuzz_check_message("host_parse_sizes", err, data, size);
	if (host_parse_names(list, host_variant_names, HV_COUNT, "--variants",
			     "variant", &mask, err, sizeof(err)) == 0) {
		if (mask >> HV_COUNT)
			fuzz_fail("variant mask 0x%x", mask);
	} else {
		fuzz_check_message("host_parse_names", err, data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a;
	struct host_opts o;
	char err[512] = "";

	fuzz_argv_build(&a, "host", data, size, MAX_WORDS);
	switch (host_opts_parse(a.argc, a.argv, &o, err, sizeof(err))) {
	case HOST_RUN:
		check_run(&o);
		break;
	case HOST_BAD:
		fuzz_check_message("host_opts_parse", err, data, size);
		break;
	case HOST_HELP:
		break;
	}
	if (a.argc > 1)
		check_lists(a.argv[1], data, size);
	fuzz_argv_free(&a);
	return 0;
}
