/*
 * Parsing and validation of guest records (format: include/fb_abi.h).
 *
 * The host trusts nothing that arrives on the console stream: every record
 * line is checked for syntax, checksum, sequence, type and the fields its
 * type requires, and rejected with the offset and reason.
 */
#ifndef FB_RECORDS_H
#define FB_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "fb_abi.h"

struct rec_field {
	char key[FB_REC_KEY_MAX + 1];
	char value[FB_REC_VALUE_MAX + 1];
};

struct record {
	uint64_t seq;
	char type[FB_REC_KEY_MAX + 1];
	unsigned nfields; /* fields after seq and type */
	struct rec_field fields[FB_REC_FIELDS_MAX - 2];
};

/* True when the line (without its newline) is meant as a record. */
int rec_is_record(const char *line, size_t len);

/*
 * Parse one record line (no newline). On error returns -1, sets *col to the
 * 0-based byte offset in the line where the problem is, and writes the
 * reason to err. Checks: prefix/version, length, printable ASCII, key and
 * value syntax and lengths, duplicate keys, field count, checksum, seq and
 * type present and first, seq a decimal number, type known, required fields
 * of the type present (see records.c for the schema).
 */
int rec_parse(const char *line, size_t len, struct record *out, size_t *col,
	      char *err, size_t errlen);

/* Value of field key, or NULL. seq and type are not fields. */
const char *rec_get(const struct record *r, const char *key);

/*
 * Write r as a canonical record line with checksum (no newline) into buf.
 * Returns the length, or -1 if it does not fit or r is not valid.
 */
int rec_format(const struct record *r, char *buf, size_t buflen);

/*
 * A stream of records from one guest run: enforces seq 0, 1, 2, ... and
 * that nothing follows an "end" record, whose "records" field must equal
 * the number of records before it.
 */
struct rec_stream {
	uint64_t next_seq;
	int ended;
};

void rec_stream_init(struct rec_stream *s);

/* Feed one parsed record. -1 with reason in err if it breaks the order. */
int rec_stream_accept(struct rec_stream *s, const struct record *r, char *err,
		      size_t errlen);

#endif
