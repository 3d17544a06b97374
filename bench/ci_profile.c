/* The CI profile (ci_profile.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ci_profile.h"
#include "fb_vocab.h"
#include "parse.h"
#include "sweep.h"

/* A list of names out of names[0..n), parsed into idx; -1 with err. */
static int set_names(const char *arg, const char *opt, const char *noun,
		     const char *const *names, unsigned n, char *text,
		     unsigned *idx, unsigned *count, char *err, size_t errlen)
{
	const struct list_spec spec = { opt, noun, CI_MAX_ITEMS };
	if (strlen(arg) >= 256) {
		snprintf(err, errlen, "%s: longer than 255 characters", opt);
		return -1;
	}
	if (parse_name_list(arg, &spec, names, n, idx, count, err, errlen) < 0)
		return -1;
	snprintf(text, 256, "%s", arg);
	return 0;
}

/*
 * Sizes as forkbench run takes them (whole pages, at most SWEEP_SIZE_MAX),
 * written back as 0,1M,... so that 1048576 and 1M make one profile (one
 * cache key).
 */
static int set_sizes(struct ci_profile *p, const char *arg, char *err,
		     size_t errlen)
{
	static const struct list_spec spec = { "--sizes", "size",
					       CI_MAX_ITEMS };
	uint64_t bytes[CI_MAX_ITEMS];
	if (parse_size_list(arg, &spec, 4096, SWEEP_SIZE_MAX, bytes, &p->nz,
			    err, errlen) < 0)
		return -1;
	size_t used = 0;
	for (unsigned i = 0; i < p->nz; i++) {
		char one[32];
		size_text(bytes[i], one, sizeof(one));
		used += (size_t)snprintf(p->sizes + used, sizeof(p->sizes) - used,
					 "%s%s", i ? "," : "", one);
		p->size[i] = bytes[i];
	}
	return 0;
}

int ci_profile_set(struct ci_profile *p, enum ci_list which, const char *arg,
		   char *err, size_t errlen)
{
	const char *bench[FB_V_COUNT];
	unsigned nbench = fb_bench_variants(bench);
	int rc = -1;
	switch (which) {
	case CI_VARIANTS:
		rc = set_names(arg, "--variants", "variant", bench, nbench,
			       p->variants, p->variant, &p->nv, err, errlen);
		break;
	case CI_SCENARIOS_LIST:
		rc = set_names(arg, "--scenarios", "scenario",
			       fb_scenario_names, FB_SC_COUNT, p->scenarios,
			       p->scenario, &p->ns, err, errlen);
		break;
	case CI_SIZES_LIST:
		rc = set_sizes(p, arg, err, errlen);
		break;
	}
	return rc;
}

void ci_profile_default(struct ci_profile *p)
{
	const char *bench[FB_V_COUNT];
	unsigned n = fb_bench_variants(bench);
	char all[256] = "", err[256];
	size_t used = 0;
	for (unsigned i = 0; i < n; i++)
		used += (size_t)snprintf(all + used, sizeof(all) - used, "%s%s",
					 i ? "," : "", bench[i]);
	memset(p, 0, sizeof(*p));
	p->reps = CI_REPS;
	/* the built-in lists are valid: these cannot fail */
	ci_profile_set(p, CI_VARIANTS, all, err, sizeof(err));
	ci_profile_set(p, CI_SCENARIOS_LIST, CI_SCENARIOS, err, sizeof(err));
	ci_profile_set(p, CI_SIZES_LIST, CI_SIZES, err, sizeof(err));
}

void ci_profile_text(const struct ci_profile *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s; variants %s; scenarios %s; sizes %s; reps %u",
		 CI_BACKEND, p->variants, p->scenarios, p->sizes, p->reps);
}

unsigned ci_profile_configs(const struct ci_profile *p)
{
	unsigned pairs = 0;
	const char *bench[FB_V_COUNT];
	fb_bench_variants(bench);
	for (unsigned v = 0; v < p->nv; v++)
		for (unsigned s = 0; s < p->ns; s++)
			pairs += fb_variant_applies(
				fb_variant_find(bench[p->variant[v]]),
				(int)p->scenario[s]);
	return pairs * p->nz;
}
