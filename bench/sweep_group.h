/*
 * The Linux peer boots once per parent size: one fbvmm run for all the
 * pending configurations of that size (/init's "bench pairs=v:s,..."),
 * then its CSV and records are split into each configuration's raw files,
 * as if it had run alone (sweep_run_one): the same result set, a boot
 * (about 2.3 s under qemu-tcg-det) per size instead of per configuration.
 */
#ifndef FB_SWEEP_GROUP_H
#define FB_SWEEP_GROUP_H

#include <stddef.h>

#include "sweep.h"

#define SWEEP_GROUP_MAX 32 /* /init's PAIRS_MAX */

/* How many configurations from cs[0] share its size (at most the max). */
size_t sweep_group_len(const struct config *cs, size_t n);

/* Run cs[0..n) (one size) in one boot; a result per configuration. */
void sweep_run_group(const struct sweep_params *p, const struct config *cs,
		     size_t n, const char *dir, struct config_result *res);

#endif
