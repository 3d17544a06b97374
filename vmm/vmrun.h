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
	double first_record_s;      /* guest start to its first record; <0 none */
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
	const char *plugin_arg; /* QEMU -plugin's value (--sim), or NULL */
};

/* Each fills r->end; the exit code is decided by outcome_decide. */
void run_kvm(struct run *r);
void run_qemu(struct run *r);

/* How long after t_start (now_seconds) the first record came; -1 none. */
void note_first_record(struct run *r, double t_start);

/* The kernel parameters the host prepends to the guest command line. */
int guest_cmdline(char *buf, size_t len, uint64_t tsc_khz, const char *user);

#endif
