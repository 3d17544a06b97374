/* Kernel-wide entry points: boot information and ending the run. */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "fb_abi.h"

#define MAX_ARGS 32
/*
 * Longest word of the command line, so messages quoting one stay short;
 * the host's pmu= (about 40 bytes) is the longest legitimate word.
 */
#define ARG_LEN_MAX 80

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
/*
 * Split boot.cmdline into kernel parameters and the command; anything
 * malformed ends the run as a bad command (cmdline.c).
 */
void cmdline_parse(void);

/* Send the end record and the status to the exit port; never returns. */
__attribute__((noreturn)) void fb_exit(unsigned status);
const char *status_name(unsigned status);

/*
 * End the run refusing what the command line asked for: the reason goes
 * to the console and, as what=, into the end record, so a script that
 * reads only the records learns it too. Never returns.
 */
__attribute__((noreturn, format(printf, 2, 3))) void
refuse(unsigned status, const char *fmt, ...);
/* The usual refusal: a command line the guest does not understand. */
#define badcmd(...) refuse(FB_STATUS_BADCMD, __VA_ARGS__)

/* Run the command in boot.argv; returns an FB_STATUS_* value. */
unsigned command_run(void);

#endif
