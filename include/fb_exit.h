/*
 * Exit codes of fbvmm, the same on every backend (kvm, qemu-tcg,
 * qemu-tcg-det, qemu-kvm). Scripts and the bench tool branch on these.
 */
#ifndef FB_EXIT_H
#define FB_EXIT_H

enum fb_exit {
	FB_EXIT_OK = 0,            /* guest reported PASS */
	FB_EXIT_GUEST_FAIL = 1,    /* guest reported FAIL or NOMEM */
	FB_EXIT_USAGE = 2,         /* bad option, or guest rejected the command */
	FB_EXIT_EXCEPTION = 3,     /* unexpected exception inside the guest */
	FB_EXIT_TRIPLE_FAULT = 4,  /* guest reset itself (triple fault) */
	FB_EXIT_TIMEOUT = 5,       /* --timeout watchdog stopped the guest */
	FB_EXIT_BAD_IMAGE = 6,     /* guest ELF rejected by the loader */
	FB_EXIT_HOST_ERROR = 7,    /* KVM/QEMU unusable, emulation failure */
	FB_EXIT_PROTOCOL = 8,      /* malformed record, strict-mode unknown
				      port/MMIO, halt without status */
	FB_EXIT_INTERRUPTED = 9,   /* SIGINT/SIGTERM */
};

#endif
