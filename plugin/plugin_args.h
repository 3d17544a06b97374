/*
 * The plugin's arguments (-plugin fbsim.so,KEY=VALUE,...):
 *   out=PATH          the output file (required)
 *   preset=NAME       skylake, zen3 or cpuid (the default: the host's)
 *   huge=LO-HI        [LO, HI) is mapped with 2 MiB pages (repeatable)
 *   global=LO-HI      [LO, HI)'s TLB entries are global (repeatable)
 * LO and HI are hexadecimal with 0x; huge ranges are 2 MiB aligned,
 * global ones 4 KiB aligned. Everything else is 4 KiB and non-global.
 */
#ifndef FBSIM_PLUGIN_ARGS_H
#define FBSIM_PLUGIN_ARGS_H

#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_RANGES 16

struct sim_range {
	uint64_t lo, hi; /* [lo, hi) */
};

struct sim_ranges {
	unsigned n;
	struct sim_range r[SIM_MAX_RANGES];
};

struct sim_args {
	const char *out; /* points into argv */
	const char *preset;
	struct sim_ranges huge, global;
};

/* 0, or -1 with a one-line reason in err. */
int sim_args_parse(int argc, char **argv, struct sim_args *a, char *err,
		   size_t errlen);

/* "0xLO-0xHI" with both ends multiples of align: 0, or -1 and err. */
int sim_range_parse(const char *s, uint64_t align, struct sim_range *r,
		    char *err, size_t errlen);

int sim_ranges_contain(const struct sim_ranges *rs, uint64_t va);

#endif
