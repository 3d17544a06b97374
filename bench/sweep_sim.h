/*
 * Whether a sweep runs the fbsim TLB/cache model (plugin/README.md) for
 * its tlb and cache configurations: --sim on, off, or auto (the default:
 * on where it can run, i.e. on QEMU TCG with the plugin built).
 */
#ifndef FB_SWEEP_SIM_H
#define FB_SWEEP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "sweep.h"

/*
 * Decide p->sim_on once the backend is known; why says what was decided
 * and why. -1 when --sim on cannot be honoured (why says why).
 */
int sweep_sim_resolve(struct sweep_params *p, char *why, size_t len);

/*
 * The model costs 5 to 20 times the run (plugin/README.md), in proportion
 * to the memory the guest touches: auto leaves it out beyond this parent
 * size, so that a default sweep and make bench keep their time; --sim on
 * runs it at every size.
 */
#define SWEEP_SIM_AUTO_MAX (64ull << 20)
#define SWEEP_SIM_AUTO_MAX_NAME "64M"

/* Whether a configuration (scenario, parent size) runs under the model. */
int sweep_sim_applies(const struct sweep_params *p, const char *scenario,
		      uint64_t size);

/*
 * Append fbvmm's model options to argv at *n ("--sim" and the preset),
 * for configurations the model applies to.
 */
void sweep_sim_fbvmm_args(const struct sweep_params *p, char **argv,
			  size_t *n);

/*
 * The guest's (or the peer's) words for a configuration under the model:
 * sim=on, and passes sized by the model's own geometry (its STLB's 4K
 * entries, half its L2), so that they stay within its reach whatever the
 * guest's CPUID says.
 */
void sweep_sim_guest_words(char **words, size_t *n);

/* The plugin next to the sweep's fbvmm (plugin/fbsim.so). */
void sweep_sim_plugin(const struct sweep_params *p, char *buf, size_t len);

#endif
