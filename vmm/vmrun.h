/* One guest run: what every backend gets and what it reports back. */
#ifndef FB_VMRUN_H
#define FB_VMRUN_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "pmu_events.h"
#include "outcome.h"
#include "stream.h"

#define EXIT_REASONS 64

struct exit_stats {
	unsigned long reasons[EXIT_REASONS]; /* KVM exits by reason */
	unsigned long serial_bytes;
	unsigned long hcalls;
	unsigned long unknown_io;   /* accesses to ports nobody claims */
	unsigned first_unknown_port;
	unsigned long mmio;
	double setup_s, guest_s;    /* wall time before / inside the guest */
};

struct run {
	const struct options *opt;
	const uint8_t *image; /* the guest ELF file */
	size_t image_len;
	struct stream *stream;
	struct guest_end end;
	struct exit_stats stats;
	uint64_t tsc_khz; /* what the backend told the guest */
	const char *tsc_source; /* where tsc_khz came from (tsc_freq.h) */
};

/* Each fills r->end; the exit code is decided by outcome_decide. */
void run_kvm(struct run *r);
void run_qemu(struct run *r);

/* The kernel parameters the host prepends to the guest command line. */
int guest_cmdline(char *buf, size_t len, uint64_t tsc_khz, const char *user);

#endif
