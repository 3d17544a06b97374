/* From "how the run ended" to an exit code, the same for every backend. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fb_abi.h"
#include "fb_vocab.h"
#include "outcome.h"

void guest_end_set(struct guest_end *e, enum end_kind kind, const char *fmt,
		   ...)
{
	va_list ap;
	e->kind = kind;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
}

static void where(const struct guest_end *e, char *buf, size_t len)
{
	if (e->have_regs)
		snprintf(buf, len, " at rip 0x%llx (cr2 0x%llx, cr3 0x%llx)",
			 (unsigned long long)e->rip, (unsigned long long)e->cr2,
			 (unsigned long long)e->cr3);
	else
		snprintf(buf, len, " (registers not available on this backend)");
}

static enum fb_exit exception_message(const struct stream *s, char *msg,
				      size_t len)
{
	const struct record *r = &s->exception;
	if (!s->has_exception) {
		snprintf(msg, len, "guest exception (the guest sent no report)");
	} else {
		snprintf(msg, len,
			 "guest exception %s (vector %s) error %s at rip %s, cr2 %s, cr3 %s",
			 rec_get(r, "name") ? rec_get(r, "name") : "?",
			 rec_get(r, "vector"), rec_get(r, "error"),
			 rec_get(r, "rip"), rec_get(r, "cr2"), rec_get(r, "cr3"));
	}
	return FB_EXIT_EXCEPTION;
}

/* The guest wrote a status: check it against its own end record. */
static enum fb_exit status_outcome(const struct guest_end *e,
				   const struct stream *s, char *msg,
				   size_t len)
{
	const char *word = fb_status_name(e->status);
	if (!word) {
		snprintf(msg, len, "guest wrote unknown status 0x%x to the exit port",
			 e->status);
		return FB_EXIT_PROTOCOL;
	}
	if (s->nrecords && !s->saw_end) {
		snprintf(msg, len, "guest ended (%s) without an end record", word);
		return FB_EXIT_PROTOCOL;
	}
	if (s->saw_end && strcmp(s->end_status, word) != 0) {
		snprintf(msg, len, "exit port says %s but the end record says %s",
			 word, s->end_status);
		return FB_EXIT_PROTOCOL;
	}
	switch (e->status) {
	case FB_STATUS_PASS:
		snprintf(msg, len, "guest passed (%lu records)", s->nrecords);
		return FB_EXIT_OK;
	case FB_STATUS_EXCEPTION:
		return exception_message(s, msg, len);
	case FB_STATUS_BADCMD:
		snprintf(msg, len, "guest rejected its command line (see its console)");
		return FB_EXIT_USAGE;
	default:
		snprintf(msg, len, "guest reported %s", word);
		return FB_EXIT_GUEST_FAIL;
	}
}

enum fb_exit outcome_decide(const struct guest_end *e, const struct stream *s,
			    char *msg, size_t len)
{
	char regs[128];
	where(e, regs, sizeof(regs));
	switch (e->kind) {
	case END_STATUS:
		if (s->error[0]) { /* data we cannot trust beats any status */
			snprintf(msg, len, "malformed guest output: %s", s->error);
			return FB_EXIT_PROTOCOL;
		}
		return status_outcome(e, s, msg, len);
	case END_TRIPLE:
		if (s->panic[0]) /* a Linux guest: panic=-1 reboots it */
			snprintf(msg, len, "the Linux guest panicked: %s", s->panic);
		else
			snprintf(msg, len, "guest triple fault: %s%s", e->detail,
				 regs);
		return FB_EXIT_TRIPLE_FAULT;
	case END_TIMEOUT:
		snprintf(msg, len, "guest timed out: %s%s", e->detail, regs);
		return FB_EXIT_TIMEOUT;
	case END_INTERRUPTED:
		snprintf(msg, len, "interrupted: %s", e->detail);
		return FB_EXIT_INTERRUPTED;
	case END_BAD_IMAGE:
		snprintf(msg, len, "bad guest image: %s", e->detail);
		return FB_EXIT_BAD_IMAGE;
	case END_HOST:
		snprintf(msg, len, "host error: %s%s", e->detail,
			 e->have_regs ? regs : "");
		return FB_EXIT_HOST_ERROR;
	case END_PROTOCOL:
		snprintf(msg, len, "guest protocol error: %s%s", e->detail, regs);
		return FB_EXIT_PROTOCOL;
	}
	snprintf(msg, len, "internal: unknown end kind %d", (int)e->kind);
	return FB_EXIT_HOST_ERROR;
}
