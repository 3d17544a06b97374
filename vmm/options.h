/* fbvmm's command line. */
#ifndef FB_OPTIONS_H
#define FB_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend.h"
#include "fb_abi.h"

struct options {
	enum backend backend;
	uint64_t mem_bytes;
	unsigned timeout_s; /* 0: no watchdog */
	char cmdline[FB_CMDLINE_MAX];
	const char *elf_path;     /* the PVH ELF, or a Linux bzImage */
	const char *initrd_path;  /* a Linux guest's initramfs */
	int linux_kernel;         /* elf_path is a bzImage (set by main) */
	const char *records_path; /* NULL: records are validated, not kept */
	const char *csv_path;     /* metric records as long-form CSV */
	const char *meta_path;    /* provenance of the run as JSON */
	const char *qemu_path;
	const char *kvm_device;   /* /dev/kvm unless told otherwise */
	int which_backend;        /* print the backend choice and stop */
	int quiet;  /* do not echo the guest console */
	int strict; /* unknown ports / MMIO end the run */
	int stats;  /* print exit statistics */
	/* the fbsim TLB/cache model (vmm/simrun.h): QEMU TCG backends only */
	int sim;
	const char *sim_plugin; /* NULL: plugin/fbsim.so next to fbvmm */
	const char *sim_preset; /* NULL: the plugin's default (cpuid) */
	const char *sim_out;    /* keep the plugin's own output here */
};

#define TIMEOUT_DEFAULT 60

enum opt_result { OPT_RUN, OPT_HELP, OPT_VERSION, OPT_ERROR };

/*
 * Parse argv into o. OPT_ERROR leaves a one-line reason in err. The guest
 * command line comes from --cmdline and/or the words after the ELF path.
 */
enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen);
void options_usage(FILE *out);

#endif
