/*
 * forkbench run's command line (bench/run.c). Its parsers are static, so
 * this target compiles run.c itself and calls parse_options directly on an
 * argv built from the input (words split at NUL bytes); the sweep that
 * cmd_run would start is a stub that must never be reached. Each argv is
 * parsed twice from fresh copies and both parses must agree.
 */
#include "../../bench/run.c"

#include "fuzz.h"

#define MAX_WORDS 24

int run_sweep(struct sweep_params *p, const char *dir, int resuming,
	      int argc, char **argv, volatile sig_atomic_t *intr,
	      void (*handler)(int))
{
	(void)p, (void)dir, (void)resuming, (void)argc, (void)argv;
	(void)intr, (void)handler;
	fuzz_fail("run_sweep reached: only parse_options is fuzzed");
}

static FILE *quiet; /* parse_options reports to stderr: not per input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	quiet = fopen("/dev/null", "w");
	if (!quiet)
		abort();
	return 0;
}

static int parse(const uint8_t *data, size_t size, struct run_options *o,
		 struct fuzz_argv *a)
{
	FILE *keep = stderr;

	fuzz_argv_build(a, "run", data, size, MAX_WORDS);
	stderr = quiet; /* sanitizer reports write to fd 2 directly */
	int rc = parse_options(a->argc, a->argv, o);
	stderr = keep;
	return rc;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Names point into run.c's tables, so equal names are equal pointers. */
static int same_params(const struct run_options *a,
		       const struct run_options *b)
{
	const struct sweep_params *x = &a->p, *y = &b->p;

	return x->nvariants == y->nvariants &&
	       !memcmp(x->variants, y->variants,
		       x->nvariants * sizeof(*x->variants)) &&
	       x->nscenarios == y->nscenarios &&
	       !memcmp(x->scenarios, y->scenarios,
		       x->nscenarios * sizeof(*x->scenarios)) &&
	       x->nsizes == y->nsizes &&
	       !memcmp(x->sizes, y->sizes, x->nsizes * sizeof(*x->sizes)) &&
	       x->reps == y->reps && x->timeout_s == y->timeout_s &&
	       x->mem == y->mem &&
	       same_str(x->backend, y->backend) &&
	       same_str(x->fbvmm, y->fbvmm) && same_str(x->guest, y->guest) &&
	       same_str(sweep_parent_pages(x), sweep_parent_pages(y)) &&
	       same_str(a->out, b->out) && same_str(a->resume, b->resume);
}

static void check_run(const struct sweep_params *p)
{
	if (p->nvariants < 1 || p->nvariants > SWEEP_MAX_ITEMS ||
	    p->nscenarios < 1 || p->nscenarios > SWEEP_MAX_ITEMS ||
	    p->nsizes < 1 || p->nsizes > SWEEP_MAX_ITEMS)
		fuzz_fail("list counts %u %u %u", p->nvariants, p->nscenarios,
			  p->nsizes);
	for (unsigned i = 0; i < p->nsizes; i++)
		if (p->sizes[i] % 4096 || p->sizes[i] > (8ull << 30))
			fuzz_fail("size %llu accepted",
				  (unsigned long long)p->sizes[i]);
	if (p->mem && (p->mem % 4096 || p->mem < MEM_MIN || p->mem > MEM_MAX))
		fuzz_fail("guest RAM %llu accepted",
			  (unsigned long long)p->mem);
	if (p->reps < 1 || p->reps > 1000)
		fuzz_fail("%u repetitions accepted", p->reps);
	if (strcmp(sweep_parent_pages(p), SWEEP_PAGES_4K) != 0 &&
	    (strcmp(sweep_parent_pages(p), SWEEP_PAGES_2M) != 0 ||
	     sweep_is_linux(p)))
		fuzz_fail("--parent-pages %s accepted%s", sweep_parent_pages(p),
			  sweep_is_linux(p) ? " with --os linux" : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_argv a1, a2;
	struct run_options o1, o2;
	int r1 = parse(data, size, &o1, &a1);
	int r2 = parse(data, size, &o2, &a2);

	if (r1 != r2 || (r1 == 0 && !same_params(&o1, &o2)))
		fuzz_fail("the same argv parsed twice: %d, then %d", r1, r2);
	if (r1 == 0)
		check_run(&o1.p);
	fuzz_argv_free(&a1);
	fuzz_argv_free(&a2);
	return 0;
}
