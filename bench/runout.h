/* Driving a sweep into its result set (forkbench run). */
#ifndef FB_RUNOUT_H
#define FB_RUNOUT_H

#include <signal.h>

#include "sweep.h"

#define SWEEP_ARGS "sweep.args"      /* the arguments, one per line */
#define SWEEP_BACKEND "sweep.backend" /* the backend chosen, and why */

/* forkbench run's exit codes (its --help and README.md say the same). */
enum run_exit {
	RUN_EXIT_OK = 0,           /* every configuration ok */
	RUN_EXIT_FAILED = 1,       /* some configurations failed */
	RUN_EXIT_USAGE = 2,        /* bad arguments */
	RUN_EXIT_WRITE = 3,        /* results could not be written: stopped */
	RUN_EXIT_INTERRUPTED = 130,
};

/*
 * Run (or with resuming, finish) the sweep in dir (NULL: a new
 * results/<run id>). argv is what the sweep was started with. Returns
 * the exit code (enum run_exit).
 */
int run_sweep(struct sweep_params *p, const char *dir, int resuming,
	      int argc, char **argv, volatile sig_atomic_t *interrupted,
	      void (*on_interrupt)(int));

/*
 * Build dir's result set (metrics.csv, configs.csv, meta.json) from the
 * files of configurations cs[0..n) in dir/raw/, in that order; argv is
 * the command meta.json names. The number of failed configurations, or
 * -1 when the set could not be built or written (said why on stderr).
 */
int runout_assemble(const struct sweep_params *p, const char *dir,
		    const char *why, const struct config *cs, size_t n,
		    int argc, char **argv);

#endif
