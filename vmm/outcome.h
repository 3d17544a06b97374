/*
 * How a guest run ended, as observed by a backend, and the one mapping
 * from that to fbvmm's exit code and message. Every backend fills a
 * guest_end; none decides exit codes itself, so they cannot drift apart.
 */
#ifndef FB_OUTCOME_H
#define FB_OUTCOME_H

#include <stdint.h>

#include "fb_exit.h"
#include "stream.h"

enum end_kind {
	END_STATUS,      /* the guest wrote the exit port */
	END_TRIPLE,      /* shutdown / reset */
	END_TIMEOUT,     /* the watchdog fired */
	END_INTERRUPTED, /* SIGINT / SIGTERM */
	END_BAD_IMAGE,   /* the loader refused the ELF */
	END_HOST,        /* KVM/QEMU could not run the guest */
	END_PROTOCOL,    /* the guest broke the host/guest protocol */
};

struct guest_end {
	enum end_kind kind;
	uint32_t status;   /* END_STATUS: value written to the exit port */
	int have_regs;     /* rip/cr2/cr3 below are valid */
	uint64_t rip, cr2, cr3;
	char detail[320];  /* what the backend saw, for the message */
};

/* Record a backend-side ending with a printf-style detail. */
void guest_end_set(struct guest_end *e, enum end_kind kind, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

/* Decide the exit code; msg gets one line for people (no newline). */
enum fb_exit outcome_decide(const struct guest_end *e, const struct stream *s,
			    char *msg, size_t msglen);

#endif
