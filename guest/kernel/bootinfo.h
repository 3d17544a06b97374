/*
 * What the loader passed (the PVH start info): the memory map, the command
 * line, and what cmdline.c reads out of it (kernel parameters, the
 * command and its arguments).
 */
#ifndef GUEST_BOOTINFO_H
#define GUEST_BOOTINFO_H

#include <stdint.h>

#include "fb_abi.h"

#define MAX_ARGS 32
/*
 * Longest word of the command line, so messages quoting one stay short;
 * the host's pmu= (about 40 bytes) is the longest legitimate word.
 */
#define ARG_LEN_MAX 80
/* The boot page tables' identity map (pvh.S): all of RAM must lie below. */
#define DIRECT_MAP_END ((uint64_t)FB_DIRECT_MAP_GIB << 30)

struct boot_info {
	char cmdline[FB_CMDLINE_MAX];
	struct hvm_memmap_table_entry memmap[FB_MEMMAP_MAX];
	unsigned memmap_entries;
	uint64_t ram_bytes; /* sum of RAM entries */
	uint64_t tsc_khz;   /* from the command line; 0 when not given */
	char pmu_events[64]; /* the host's event codes, "pmu=" parameter */
	int argc;           /* the command and its arguments */
	char *argv[MAX_ARGS];
};

extern struct boot_info boot;

/*
 * Read and validate the PVH start info into boot. Returns 0, or -1 after
 * printing why.
 */
int bootinfo_parse(uint64_t start_info_pa);

#endif
