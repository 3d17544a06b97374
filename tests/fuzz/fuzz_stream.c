/*
 * The console stream (vmm/stream.c) cut into chunks where the fuzzer says:
 * the guest's bytes reach the host in pieces of any size (a COM1 byte, an
 * hcall buffer, a QEMU read), so the outcome must not depend on where the
 * cuts fall. Every input runs twice, in one piece and in chunks, and both
 * runs must agree on everything; what lands in the records file must be a
 * well-formed record stream.
 *
 * Input: byte 0 flags (FIX_SUMS, CONSOLE, RECORDS, SINK), byte 1 the
 * number of chunk sizes k (1..8), then k sizes (1..256, used in turn),
 * then the stream itself.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream.h"

enum { FIX_SUMS = 1, CONSOLE = 2, RECORDS = 4, SINK = 8 };

struct run {
	struct stream s;
	char *console, *records; /* what was written, NUL-terminated */
	size_t console_len, records_len;
	unsigned long sunk;
};

static void count(void *ctx, const struct record *r)
{
	(void)r;
	(*(unsigned long *)ctx)++;
}

static FILE *memstream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	if (!f)
		abort();
	return f;
}

/* Feed text in chunks of cuts[0], cuts[1], ... (cyclic); ncuts 0: whole. */
static void run_stream(struct run *r, unsigned flags, const char *text,
		       size_t len, const uint8_t *cuts, unsigned ncuts)
{
	FILE *con = NULL, *rec = NULL;

	memset(r, 0, sizeof(*r));
	if (flags & CONSOLE)
		con = memstream(&r->console, &r->console_len);
	if (flags & RECORDS)
		rec = memstream(&r->records, &r->records_len);
	stream_init(&r->s, con, rec);
	if (flags & SINK)
		stream_set_sink(&r->s, count, &r->sunk);
	for (size_t pos = 0, i = 0; pos < len; i++) {
		size_t n = ncuts ? (size_t)cuts[i % ncuts] + 1 : len;
		if (n > len - pos)
			n = len - pos;
		stream_feed(&r->s, text + pos, n);
		pos += n;
	}
	stream_finish(&r->s);
	if (con)
		fclose(con);
	if (rec)
		fclose(rec);
}

static int same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static int same_record(const struct record *a, const struct record *b)
{
	if (a->seq != b->seq || strcmp(a->type, b->type) != 0 ||
	    a->nfields != b->nfields)
		return 0;
	for (unsigned i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i].key, b->fields[i].key) != 0 ||
		    strcmp(a->fields[i].value, b->fields[i].value) != 0)
			return 0;
	return 1;
}

static void compare(const struct run *a, const struct run *b)
{
	const struct stream *x = &a->s, *y = &b->s;

	if (strcmp(x->error, y->error) != 0)
		fuzz_fail("error differs:\n  whole:   %s\n  chunked: %s",
			  x->error, y->error);
	if (x->nrecords != y->nrecords || x->saw_end != y->saw_end ||
	    x->lineno != y->lineno || a->sunk != b->sunk ||
	    x->rs.next_seq != y->rs.next_seq || x->rs.ended != y->rs.ended)
		fuzz_fail("counts differ: records %lu/%lu end %d/%d lines "
			  "%lu/%lu", x->nrecords, y->nrecords, x->saw_end,
			  y->saw_end, x->lineno, y->lineno);
	if (strcmp(x->end_status, y->end_status) != 0 ||
	    x->has_exception != y->has_exception ||
	    (x->has_exception && !same_record(&x->exception, &y->exception)))
		fuzz_fail("end status or exception differs");
	if (!same_text(a->console, a->console_len, b->console, b->console_len))
		fuzz_fail("console output differs");
	if (!same_text(a->records, a->records_len, b->records, b->records_len))
		fuzz_fail("records output differs");
}

/* What the records file keeps must read back as a valid record stream. */
static void check_records_file(const struct run *r)
{
	struct rec_stream rs;
	unsigned long n = 0;
	char err[256];

	rec_stream_init(&rs);
	for (size_t pos = 0; pos < r->records_len; n++) {
		const char *nl = memchr(r->records + pos, '\n',
					r->records_len - pos);
		size_t len = nl ? (size_t)(nl - r->records) - pos
				: r->records_len - pos;
		struct record rec;
		if (!nl)
			fuzz_fail("records file ends without a newline");
		if (rec_parse(r->records + pos, len, &rec, NULL, err,
			      sizeof(err)) < 0 ||
		    rec_stream_accept(&rs, &rec, err, sizeof(err)) < 0)
			fuzz_fail("records file line %lu: %s", n + 1, err);
		pos += len + 1;
	}
	if (n != r->s.nrecords)
		fuzz_fail("records file has %lu lines, stream accepted %lu", n,
			  r->s.nrecords);
}

/*
 * Give every record-looking line a matching checksum. A line of n >= 3
 * bytes and its newline grow to at most n + 11, so out needs no more than
 * 4 * len + 16 bytes.
 */
static size_t fix_sums(const char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t pos = 0; pos <= len;) {
		const char *nl = memchr(in + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - in) - pos : len - pos;
		if (n >= 3 && memcmp(in + pos, "@FB", 3) == 0 &&
		    n <= FB_REC_LINE_MAX) {
			o += fuzz_fix_checksum(in + pos, n, out + o);
		}
		else {
			memcpy(out + o, in + pos, n);
			o += n;
		}
		if (nl)
			out[o++] = '\n';
		pos += n + 1;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags = size > 0 ? data[0] : 0;
	unsigned ncuts = size > 1 ? data[1] % 8 + 1 : 1;
	static const uint8_t one = 0;
	const uint8_t *cuts = size > 2 + ncuts ? data + 2 : &one;
	size_t skip = size > 2 + ncuts ? 2 + ncuts : size;
	const char *text = (const char *)data + skip;
	size_t len = size - skip;
	char *fixed = NULL;
	struct run whole, chunked;

	if (cuts == &one)
		ncuts = 1;
	if (flags & FIX_SUMS) {
		fixed = malloc(4 * len + 16);
		if (!fixed)
			abort();
		len = fix_sums(text, len, fixed);
		text = fixed;
	}
	run_stream(&whole, flags, text, len, NULL, 0);
	run_stream(&chunked, flags, text, len, cuts, ncuts);
	compare(&whole, &chunked);
	if (flags & RECORDS)
		check_records_file(&whole);
	free(whole.console);
	free(whole.records);
	free(chunked.console);
	free(chunked.records);
	free(fixed);
	return 0;
}
