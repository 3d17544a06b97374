/* Driving a sweep into its result set (forkbench run). */
#ifndef FB_RUNOUT_H
#define FB_RUNOUT_H

#include <signal.h>

#include "sweep.h"

#define SWEEP_ARGS "sweep.args"      /* the arguments, one per line */
#define SWEEP_BACKEND "sweep.backend" /* the backend chosen, and why */

/*
 * Run (or with resuming, finish) the sweep in dir (NULL: a new
 * results/<run id>). argv is what the sweep was started with. Returns the
 * exit code: 0, 1 (configurations failed), 2, or 130 (interrupted).
 */
int run_sweep(struct sweep_params *p, const char *dir, int resuming,
	      int argc, char **argv, volatile sig_atomic_t *interrupted,
	      void (*on_interrupt)(int));

#endif
