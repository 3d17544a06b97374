/*
 * fbvmm's command line (vmm/options.c): options_parse on an argv built
 * from the input (words split at NUL bytes), and parse_size and
 * backend_parse on every word. Each argv is parsed twice, from fresh
 * copies, and both parses must agree: forkbench's tests and tools parse
 * more than one command line per process.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "options.h"
#include "parse.h"

#define MAX_WORDS 24

/* parse_size as documented, written out plainly: digits, one suffix. */
static int reference_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned shift = 0;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (s[i]) {
		static const char suffixes[] = "kKmMgG";
		const char *suffix = strchr(suffixes, s[i]);
		if (!suffix || s[i + 1])
			return -1;
		shift = 10 * (unsigned)(1 + (suffix - suffixes) / 2);
	}
	if (v > UINT64_MAX >> shift)
		return -1;
	*out = v << shift;
	return 0;
}

static void check_word(const char *w)
{
	uint64_t got = 0, want = 0;
	int rc = parse_size(w, &got), ref = reference_size(w, &want);
	enum backend b;

	if (rc != ref || (rc == 0 && got != want))
		fuzz_fail("parse_size(\"%s\"): %d %llu, expected %d %llu", w,
			  rc, (unsigned long long)got, ref,
			  (unsigned long long)want);
	if (backend_parse(w, &b) == 0 && strcmp(backend_name(b), w) != 0)
		fuzz_fail("backend '%s' is named '%s'", w, backend_name(b));
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_options(const struct options *a, const struct options *b)
{
	return a->backend == b->backend && a->mem_bytes == b->mem_bytes &&
	       a->timeout_s == b->timeout_s &&
	       strcmp(a->cmdline, b->cmdline) == 0 &&
	       same_str(a->elf_path, b->elf_path) &&
	       same_str(a->records_path, b->records_path) &&
	       same_str(a->csv_path, b->csv_path) &&
	       same_str(a->meta_path, b->meta_path) &&
	       same_str(a->qemu_path, b->qemu_path) && a->quiet == b->quiet &&
	       a->strict == b->strict && a->stats == b->stats;
}

static void check_run(const struct options *o)
{
	if (!o->elf_path)
		fuzz_fail("OPT_RUN without an ELF path");
	if (o->mem_bytes < MEM_MIN || o->mem_bytes > MEM_MAX ||
	    o->mem_bytes % 4096)
		fuzz_fail("guest RAM %llu accepted",
			  (unsigned long long)o->mem_bytes);
	if (o->timeout_s > 86400)
		fuzz_fail("timeout %u accepted", o->timeout_s);
	if (strnlen(o->cmdline, sizeof(o->cmdline)) == sizeof(o->cmdline))
		fuzz_fail("guest command line not terminated");
}

/* Parse a fresh copy of the argv the input makes (freed by the caller). */
static enum opt_result parse(const uint8_t *data, size_t size,
			     struct options *o, char *err, size_t errlen,
			     struct fuzz_argv *a)
{
	fuzz_argv_build(a, "fbvmm", data, size, MAX_WORDS);
	err[0] = '\0';
	return options_parse(a->argc, a->argv, o, err, errlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a1, a2;
	struct options o1, o2;
	char e1[256], e2[256];
	enum opt_result r1 = parse(data, size, &o1, e1, sizeof(e1), &a1);
	enum opt_result r2 = parse(data, size, &o2, e2, sizeof(e2), &a2);

	if (r1 != r2 || (r1 == OPT_ERROR && strcmp(e1, e2) != 0) ||
	    (r1 == OPT_RUN && !same_options(&o1, &o2)))
		fuzz_fail("the same argv parsed twice: %d '%s', then %d '%s'",
			  r1, r1 == OPT_ERROR ? e1 : "", r2,
			  r2 == OPT_ERROR ? e2 : "");
	if (r1 == OPT_RUN)
		check_run(&o1);
	if (r1 == OPT_ERROR)
		fuzz_check_message("options_parse", e1, data, size);
	for (int i = 1; i < a2.argc; i++)
		check_word(a2.argv[i]);
	fuzz_argv_free(&a1);
	fuzz_argv_free(&a2);
	return 0;
}
