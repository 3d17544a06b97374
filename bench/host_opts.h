/*
 * forkbench host: the command line (which variants, scenarios, sizes,
 * how many repetitions, where the result set goes) and the table of which
 * scenario applies to which variant.
 */
#ifndef FB_HOST_OPTS_H
#define FB_HOST_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fb_vocab.h"

/* How the child is created; names are the `variant` column. */
enum host_variant {
	HV_FORK,           /* fork() */
	HV_VFORK,          /* vfork() */
	HV_CLONE_VM,       /* clone(CLONE_VM|SIGCHLD), own stack */
	HV_CLONE_VM_VFORK, /* clone(CLONE_VM|CLONE_VFORK|SIGCHLD) */
	HV_POSIX_SPAWN,    /* posix_spawn() of the exec program */
	HV_THREAD,         /* pthread_create() + pthread_join() */
	HV_FORK_THP,       /* fork() of a parent of transparent huge pages */
	HV_COUNT
};

/* What one repetition measures; names and metrics as in the guest. */
enum host_scenario {
	HS_CREATE = FB_SC_CREATE,       /* cycles_to_return, cycles_to_child */
	HS_EXIT_WAIT = FB_SC_EXIT_WAIT, /* cycles_create_exit_wait */
	HS_EXEC_WAIT = FB_SC_EXEC_WAIT, /* cycles_create_exec_wait */
	HS_COW = FB_SC_COW,             /* cycles_per_write, write_cycles_total,
					   pages_written */
	HS_TLB = FB_SC_TLB,             /* tlb_* (host_probes.h) */
	HS_CACHE = FB_SC_CACHE,         /* cache_* */
	HS_COUNT
};

extern const char *const host_variant_names[HV_COUNT];
/* Indexed by enum host_scenario: fb_vocab.h's names. */
extern const char *const *const host_scenario_names;

#define HOST_SIZES_MAX 64
#define HOST_REPS_MAX 1000 /* the guest's limit */
/*
 * 10 measured samples a configuration: two sets of 10 are what compare's
 * exact Mann-Whitney test needs to reach p = 2/C(20,10), about 1.1e-5.
 */
#define HOST_REPS_DEFAULT 10
#define HOST_CPU_MAX 1023 /* CPU_SETSIZE - 1 */
#define HOST_PAGE 4096u

struct host_opts {
	unsigned variants;  /* bit (1u << enum host_variant) per chosen one */
	unsigned scenarios; /* bit (1u << enum host_scenario) per chosen one */
	uint64_t sizes[HOST_SIZES_MAX]; /* parent bytes, in the order given */
	unsigned n_sizes;
	unsigned reps;
	uint64_t writes;    /* cow: pages the parent writes */
	int cpu;            /* the CPU to pin to; -1: the last allowed one */
	const char *out;    /* NULL: results/<UTC stamp>-linux */
};

enum host_parse { HOST_RUN, HOST_HELP, HOST_BAD };

/*
 * "0,1M,4K": sizes (parse.h's list rules, multiples of 4K) into
 * sizes[0..*n). -1 with "--sizes 'X': reason" in err.
 */
int host_parse_sizes(const char *list, uint64_t *sizes, unsigned max,
		     unsigned *n, char *err, size_t errlen);

/*
 * "a,b": names out of names[0..count) (parse.h's list rules) into a bit
 * mask; -1 with "OPT 'X': unknown NOUN (the choices)" or another reason
 * in err.
 */
int host_parse_names(const char *list, const char *const *names,
		     unsigned count, const char *opt, const char *noun,
		     unsigned *mask, char *err, size_t errlen);

/* argv[0] is "host". HOST_BAD leaves one line in err. */
enum host_parse host_opts_parse(int argc, char **argv, struct host_opts *o,
				char *err, size_t errlen);

void host_usage(FILE *f);

/* Does scenario s make sense for variant v? (see host_usage) */
int host_applies(enum host_variant v, enum host_scenario s);

/* Configurations the options select: applicable pairs times sizes. */
unsigned host_config_count(const struct host_opts *o);

#endif
