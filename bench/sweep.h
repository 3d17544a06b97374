/*
 * A sweep: variants x scenarios x parent sizes, each configuration run in
 * its own guest boot by fbvmm. Every configuration leaves its own files
 * in DIR/raw/ (written atomically by fbvmm and here), so an interrupted
 * sweep keeps every finished configuration and --resume skips them.
 */
#ifndef FB_SWEEP_H
#define FB_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_ITEMS 16

struct sweep_params {
	const char *variants[SWEEP_MAX_ITEMS];
	unsigned nvariants;
	const char *scenarios[SWEEP_MAX_ITEMS];
	unsigned nscenarios;
	uint64_t sizes[SWEEP_MAX_ITEMS];
	unsigned nsizes;
	unsigned reps;
	const char *backend;
	unsigned timeout_s;
	const char *fbvmm, *guest;
};

struct config {
	const char *variant, *scenario;
	uint64_t size;
	char key[96]; /* variant_scenario_size: names its raw files */
};

struct config_result {
	int ok;
	int exit_code;
	char reason[256];
	double wall_s, guest_s;
};

/* The configurations of a sweep that make sense (no cow with vfork). */
size_t sweep_configs(const struct sweep_params *p, struct config *out,
		     size_t max);
/* Guest RAM for a configuration: room for parent, child copy, tables. */
uint64_t sweep_guest_mem(const struct config *c);
/* Run one configuration with fbvmm into dir/raw/. */
void sweep_run_one(const struct sweep_params *p, const struct config *c,
		   const char *dir, struct config_result *res);
/* Has this configuration finished (ok or failed) in an earlier run? */
int sweep_done(const char *dir, const struct config *c);
/* Record how a configuration went (atomically, in dir/raw/KEY.status). */
int sweep_write_status(const char *dir, const struct config *c,
		       const struct config_result *res);

#endif
