/*
 * The CI profile: what forkbench ci sweeps on both sides. Under
 * qemu-tcg-det two runs of one build give the same CSV byte for byte, so
 * one measured repetition (after the guest's warm-up, rep 0) is all a
 * comparison needs: any change in instructions is the code's.
 */
#ifndef FB_CI_PROFILE_H
#define FB_CI_PROFILE_H

#include <stddef.h>

#define CI_BACKEND "qemu-tcg-det"
#define CI_SCENARIOS "create,exit_wait,exec_wait,cow"
#define CI_SIZES "0,1M,16M,64M"
#define CI_REPS 1u
/* per configuration; a 64M fork takes about a second under TCG */
#define CI_CONFIG_TIMEOUT "120"

#define CI_MAX_ITEMS 16 /* as many as forkbench run takes per list */

struct ci_profile {
	/* comma lists as forkbench run takes them; sizes spelled as 1M */
	char variants[256], scenarios[256], sizes[256];
	/* the same, parsed: vocabulary indexes and bytes */
	unsigned variant[CI_MAX_ITEMS], scenario[CI_MAX_ITEMS], nv, ns, nz;
	unsigned long long size[CI_MAX_ITEMS];
	unsigned reps;
	int narrowed; /* --variants, --scenarios or --sizes changed it */
};

/* Every variant the guest's sweep takes, CI_SCENARIOS, CI_SIZES, CI_REPS. */
void ci_profile_default(struct ci_profile *p);

/* The lists' options: which list an option replaces. */
enum ci_list { CI_VARIANTS, CI_SCENARIOS_LIST, CI_SIZES_LIST };

/*
 * Replace one list with arg, checked as forkbench run checks it (the same
 * messages). -1 with err.
 */
int ci_profile_set(struct ci_profile *p, enum ci_list which, const char *arg,
		   char *err, size_t errlen);

/* The profile in one line: what ci.json records and the cache keys on. */
void ci_profile_text(const struct ci_profile *p, char *buf, size_t len);

/* How many configurations one side's sweep runs. */
unsigned ci_profile_configs(const struct ci_profile *p);

#endif
