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
#include <string.h>

#define SWEEP_MAX_ITEMS 16
/* The biggest parent: it and a full copy of it fit MEM_MAX (backend.h). */
#define SWEEP_SIZE_MAX (8ull << 30)

struct sweep_params {
	const char *variants[SWEEP_MAX_ITEMS];
	unsigned nvariants;
	const char *scenarios[SWEEP_MAX_ITEMS];
	unsigned nscenarios;
	uint64_t sizes[SWEEP_MAX_ITEMS];
	unsigned nsizes;
	unsigned reps;
	uint64_t mem; /* --mem: guest RAM of every configuration; 0: sized */
	const char *backend;
	unsigned timeout_s;
	const char *fbvmm, *guest; /* guest: our PVH ELF, or a bzImage */
	/*
	 * SWEEP_OS_GUEST, or SWEEP_OS_LINUX: the Linux peer, booted from
	 * guest with initrd, running forkbench host's variants and scenarios.
	 */
	const char *os, *initrd;
	unsigned shard_k, shard_n; /* --shard K/N; shard_n 0: the whole sweep */
	/*
	 * --sim auto|on|off and --sim-preset: the fbsim model for the tlb
	 * and cache configurations (sweep_sim.h); sim_on once resolved.
	 */
	const char *sim, *sim_preset;
	int sim_on, sim_all; /* sim_all: at every size (--sim on) */
	/*
	 * --parent-pages: the page size the guest maps every variant's
	 * parent heap with (huge_copy and huge_split always use 2M). NULL:
	 * the default, 4K; read it through sweep_parent_pages.
	 */
	const char *parent_pages;
};

#define SWEEP_PAGES_4K "4K"
#define SWEEP_PAGES_2M "2M"

static inline const char *sweep_parent_pages(const struct sweep_params *p)
{
	return p->parent_pages ? p->parent_pages : SWEEP_PAGES_4K;
}

/*
 * --parent-pages ARG into p: 4K or 2M. -1 after saying why (stderr);
 * sweep_pages_check then refuses 2M with the Linux peer.
 */
int sweep_pages_parse(const char *arg, struct sweep_params *p);
int sweep_pages_check(const struct sweep_params *p);

#define SWEEP_OS_GUEST "guest"
#define SWEEP_OS_LINUX "linux"

/* The sweep boots the Linux peer. */
static inline int sweep_is_linux(const struct sweep_params *p)
{
	return p->os && strcmp(p->os, SWEEP_OS_LINUX) == 0;
}

struct config {
	const char *variant, *scenario;
	uint64_t size;
	char key[96]; /* variant_scenario_size: names its raw files */
};

struct config_result {
	int ok;
	/*
	 * The host could not write this configuration's results (fbvmm's
	 * exit 7 saying "cannot write", or its log): not a result at all,
	 * so it gets no status and --resume runs it again. reason says
	 * which file and why.
	 */
	int write_fault;
	int exit_code;
	char reason[1024];
	double wall_s, guest_s;
	double first_record_s; /* guest start to its first record; <0 unknown */
};

/* The configurations of a sweep that make sense (no cow with vfork). */
size_t sweep_configs(const struct sweep_params *p, struct config *out,
		     size_t max);
/*
 * Keep shard k (1-based) of n: every n-th configuration from the k-th, so
 * each shard gets its share of small and big parents. Returns the count.
 */
size_t sweep_shard(struct config *cs, size_t count, unsigned k, unsigned n);
/*
 * Guest RAM for a configuration: --mem, else room for parent, child copy
 * and tables.
 */
uint64_t sweep_guest_mem(const struct sweep_params *p, const struct config *c);
/* dir/raw/KEY.ext: a configuration's own files. */
void sweep_raw_path(char *buf, size_t len, const char *dir,
		    const struct config *c, const char *ext);
/* Run one configuration with fbvmm into dir/raw/. */
void sweep_run_one(const struct sweep_params *p, const struct config *c,
		   const char *dir, struct config_result *res);
/*
 * What fbvmm's --backend auto chooses on this host for p->guest (the one
 * implementation of that choice): its name and the reason. -1 with why.
 */
int sweep_which_backend(const struct sweep_params *p, char *name,
			size_t namelen, char *why, size_t whylen);
/* Has this configuration finished (ok or failed) in an earlier run? */
int sweep_done(const char *dir, const struct config *c);
/*
 * Record how a configuration went (atomically, in dir/raw/KEY.status).
 * -1 with "cannot write PATH: reason" in err.
 */
int sweep_write_status(const char *dir, const struct config *c,
		       const struct config_result *res, char *err,
		       size_t errlen);

#endif
