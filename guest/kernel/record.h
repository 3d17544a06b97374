/*
 * Building record lines for the host (format: include/fb_abi.h). A record
 * is assembled in a buffer and leaves as one console line.
 */
#ifndef GUEST_RECORD_H
#define GUEST_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "fb_abi.h"

struct rec {
	char buf[FB_REC_LINE_MAX + 2];
	size_t len;
	int overflow;
};

void rec_begin(struct rec *r, const char *type);
/* Values are sanitized: bytes outside 0x21..0x7e (and '=') become '_'. */
void rec_str(struct rec *r, const char *key, const char *value);
void rec_u64(struct rec *r, const char *key, uint64_t v);
void rec_hex(struct rec *r, const char *key, uint64_t v);
/* Append the checksum and send. A record that did not fit is not sent. */
void rec_end(struct rec *r);

/* Records sent so far (the next record's seq). */
uint64_t rec_count(void);
/* Non-zero once a record had to be dropped; the run must then fail. */
int rec_dropped(void);

/* One-line helper for the common "test" record. */
void rec_test(const char *name, int passed, const char *detail);

/*
 * A "sim" record: the fbsim region number (BEGIN markers so far, as the
 * plugin counts them) and tag of one probe pass (pass: 0 before, 1
 * after) of a configuration's repetition; fbvmm turns the plugin's
 * counts for it into that repetition's sim_* rows. Our guest's probes
 * and the Linux peer's send it alike.
 */
void rec_sim(const char *variant, const char *scenario, uint64_t size,
	     unsigned rep, unsigned pass, uint64_t region, unsigned tag);

#endif
