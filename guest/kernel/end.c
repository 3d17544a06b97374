/*
 * Ending the run: the end record with the status (and, for a refusal,
 * what was refused), then the exit port.
 */
#include <stdarg.h>

#include "kernel/end.h"
#include "fb_vocab.h"
#include "kernel/console.h"
#include "kernel/lib.h"
#include "kernel/record.h"
#include "kernel/x86.h"

const char *status_name(unsigned status)
{
	const char *name = fb_status_name(status);
	return name ? name : "unknown";
}

/* Why refuse() ended the run; cut to what one record value can carry. */
static char refusal[FB_REC_VALUE_MAX + 1];

void fb_exit(unsigned status)
{
	if (status == FB_STATUS_PASS && rec_dropped())
		status = FB_STATUS_FAIL; /* the host did not get everything */
	struct rec r;
	rec_begin(&r, "end");
	rec_str(&r, "status", status_name(status));
	rec_u64(&r, "records", rec_count());
	if (refusal[0])
		rec_str(&r, "what", refusal);
	rec_end(&r);
	outl(FB_PORT_EXIT, status);
	halt_forever();
}

void refuse(unsigned status, const char *fmt, ...)
{
	char msg[FB_REC_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("%s\n", msg);
	/* The end record is sent whole or not at all: never overfill it. */
	if (snprintf(refusal, sizeof(refusal), "%s", msg) >= (int)sizeof(refusal))
		memcpy(refusal + sizeof(refusal) - 4, "...", 3);
	fb_exit(status);
}
