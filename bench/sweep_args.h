/* A sweep's parameters as forkbench run parses them, and as it saves them. */
#ifndef FB_SWEEP_ARGS_H
#define FB_SWEEP_ARGS_H

#include "sweep.h"

struct run_options {
	struct sweep_params p;
	const char *out;
	const char *resume;
	const char *kernel; /* --kernel, NULL: the default one */
	char variants[256], scenarios[256], sizes[256];
};

#define SWEEP_ARGS_MAX 64

/* The parameters saved in DIR/sweep.args; p's strings point into it. */
struct sweep_args {
	struct run_options o;
	char buf[8192];
	char *argv[SWEEP_ARGS_MAX];
	int argc;
};

/* Load and parse DIR's saved arguments. -1 after saying why on stderr. */
int sweep_args_load(const char *dir, struct sweep_args *a);

#endif
