/*
 * The guest's console stream, as the host sees it: bytes (from COM1 or an
 * hcall, from our VMM or from QEMU) cut into lines; record lines are
 * validated and kept, other lines echoed as console text.
 */
#ifndef FB_STREAM_H
#define FB_STREAM_H

#include <stdio.h>

#include "records.h"

struct stream {
	char line[FB_REC_LINE_MAX + 1];
	size_t len;
	int passthrough;       /* inside an overlong console line */
	unsigned long lineno;  /* 1-based line being assembled */
	struct rec_stream rs;
	FILE *console;         /* NULL: quiet */
	FILE *records;         /* NULL: validate only */
	unsigned long nrecords;
	double first_record_at; /* now_seconds() of the first record, or 0 */
	int saw_end;
	char end_status[FB_REC_VALUE_MAX + 1];
	int has_exception;
	struct record exception; /* the guest's report of its exception */
	char error[320];         /* first protocol error, "" if none */
	char panic[160];         /* a Linux guest's "Kernel panic" line, or "" */
	void (*sink)(void *ctx, const struct record *r); /* or NULL */
	void *sink_ctx;
};

void stream_init(struct stream *s, FILE *console, FILE *records);
/* Hand every accepted record to sink as well. */
void stream_set_sink(struct stream *s,
		     void (*sink)(void *ctx, const struct record *r), void *ctx);
void stream_feed(struct stream *s, const char *buf, size_t n);
/* End of the run: a pending partial line is judged like a full one. */
void stream_finish(struct stream *s);

#endif
