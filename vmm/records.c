/*
 * Guest records: parse, validate, format, and check their order.
 *
 * A line is checked from the outside in: its bytes first (prefix, length,
 * printable), then the checksum, and only then the fields. That way a line
 * garbled in transit is reported as a checksum failure, not as whatever
 * syntax error the garbling happens to look like.
 */
#include "records.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define EXTRA_MAX (FB_REC_FIELDS_MAX - 2) /* fields after seq and type */
#define TRAILER_LEN 10                     /* " #" and 8 hex digits */

/* ---- schema ------------------------------------------------------------- */

static bool is_decimal(const char *v);
static bool is_result(const char *v);
static bool is_pass(const char *v);

/* A field a type requires, and optionally what its value must look like. */
struct field_rule {
	const char *key;
	bool (*valid)(const char *value); /* NULL: any value will do */
	const char *expect;               /* what valid() accepts, for errors */
};

#define ANY(k) { .key = (k) }
#define MUST(k, fn, what) { .key = (k), .valid = (fn), .expect = (what) }
#define RULES_MAX 8

struct type_rule {
	const char *type;
	struct field_rule required[RULES_MAX]; /* ends at the first NULL key */
};

/* New record types are one more row here; fields not listed are allowed. */
static const struct type_rule schema[] = {
	{ "hello", { ANY("abi"), ANY("tsc_khz"), ANY("mem_kib") } },
	{ "test", { ANY("name"), MUST("result", is_result, "pass, fail or skip") } },
	{ "exception",
	  { ANY("vector"), ANY("error"), ANY("rip"), ANY("cr2"), ANY("cr3") } },
	{ "end", { ANY("status"), MUST("records", is_decimal, "a decimal number") } },
	/* the privileged operations (fb_calib.h) only from our own guest:
	 * the Linux peer's user mode cannot time them (calibrec.c) */
	{ "calib", { MUST("iterations", is_decimal, "a decimal number"),
		     MUST("cycles", is_decimal, "a decimal number") } },
	/* the Linux peer: how each configuration of a boot went */
	{ "config", { ANY("variant"), ANY("scenario"), ANY("status") } },
	{ "metric",
	  { ANY("variant"), ANY("scenario"), ANY("size"), ANY("rep"),
	    ANY("metric"), ANY("value"), ANY("unit") } },
	/* a probe pass that was an fbsim region (vmm/simrun.c) */
	{ "sim",
	  { ANY("variant"), ANY("scenario"), ANY("size"),
	    MUST("rep", is_decimal, "a decimal number"),
	    MUST("pass", is_pass, "before or after"),
	    MUST("region", is_decimal, "a decimal number"),
	    MUST("tag", is_decimal, "a decimal number") } },
};

static bool span_is(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

static const struct type_rule *find_type(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof schema / sizeof schema[0]; i++)
		if (span_is(name, n, schema[i].type))
			return &schema[i];
	return NULL;
}

/* ---- small syntax helpers ----------------------------------------------- */

enum u64_status { U64_OK, U64_NOT_DECIMAL, U64_LEADING_ZERO, U64_OVERFLOW };

/*
 * One spelling per number ("7", never "07" or "+7"), so that seq and counts
 * compare as text and as numbers alike. *bad gets the offending offset.
 */
static enum u64_status parse_u64(const char *s, size_t n, uint64_t *v,
				 size_t *bad)
{
	*v = 0;
	*bad = 0;
	if (n == 0)
		return U64_NOT_DECIMAL;
	if (s[0] == '0' && n > 1)
		return U64_LEADING_ZERO;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		*bad = i;
		if (d > 9)
			return U64_NOT_DECIMAL;
		if (*v > (UINT64_MAX - d) / 10)
			return U64_OVERFLOW;
		*v = *v * 10 + d;
	}
	return U64_OK;
}

static const char *u64_problem(enum u64_status st)
{
	switch (st) {
	case U64_OK:
		break;
	case U64_NOT_DECIMAL:
		return "is not a decimal number";
	case U64_LEADING_ZERO:
		return "has a leading zero";
	case U64_OVERFLOW:
		return "does not fit in 64 bits";
	}
	return "is fine";
}

static bool is_decimal(const char *v)
{
	uint64_t n;
	size_t bad;
	return parse_u64(v, strlen(v), &n, &bad) == U64_OK;
}

static bool is_result(const char *v)
{
	return !strcmp(v, "pass") || !strcmp(v, "fail") || !strcmp(v, "skip");
}

static bool is_pass(const char *v)
{
	return !strcmp(v, "before") || !strcmp(v, "after");
}

/* Offset of the first byte not allowed in a key, or n if there is none. */
static size_t key_bad_char(const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return i;
	}
	return n;
}

/* Offset of the first byte not allowed in a value, or n if there is none. */
static size_t value_bad_char(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7e || v[i] == '=')
			return i;
	return n;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Index of field key in r->fields, or -1. Tolerates unterminated keys. */
static int field_index(const struct record *r, const char *key, size_t n)
{
	unsigned count = r->nfields < EXTRA_MAX ? r->nfields : EXTRA_MAX;
	for (unsigned i = 0; i < count; i++) {
		const char *k = r->fields[i].key;
		if (strnlen(k, sizeof r->fields[i].key) == n &&
		    memcmp(k, key, n) == 0)
			return (int)i;
	}
	return -1;
}

const char *rec_get(const struct record *r, const char *key)
{
	int i = field_index(r, key, strlen(key));
	return i < 0 ? NULL : r->fields[i].value;
}

/* ---- error reporting ---------------------------------------------------- */

/* Where errors go; any part may be absent when the caller only wants -1. */
struct report {
	size_t *col;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int
fail(const struct report *rp, size_t col, const char *fmt, ...)
{
	if (rp->col)
		*rp->col = col;
	if (rp->err && rp->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(rp->err, rp->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- rec_parse: the line as bytes --------------------------------------- */

int rec_is_record(const char *line, size_t len)
{
	/* Any version: "@FB2" must reach rec_parse to be refused as such. */
	return len >= 3 && memcmp(line, "@FB", 3) == 0;
}

/* On success *fields is where the first field starts. */
static int check_prefix(const struct report *rp, const char *line, size_t len,
			size_t *fields)
{
	static const char want[] = FB_REC_PREFIX;
	const size_t vlen = sizeof want - 1 - 3 - 1; /* between "@FB" and ' ' */
	size_t end = 3;

	if (!rec_is_record(line, len))
		return fail(rp, 0, "line does not start with '@FB'");
	while (end < len && line[end] >= '0' && line[end] <= '9')
		end++;
	if (end == 3)
		return fail(rp, 3, "missing record version after '@FB'");
	if (end - 3 != vlen || memcmp(line + 3, want + 3, vlen) != 0)
		return fail(rp, 3, "unsupported record version %.*s",
			    (int)(end - 3 < 10 ? end - 3 : 10), line + 3);
	if (end == len || line[end] != ' ')
		return fail(rp, end, "expected a space after '%.*s'", (int)end,
			    line);
	*fields = end + 1;
	return 0;
}

static int check_bytes(const struct report *rp, const char *line, size_t len)
{
	if (len > FB_REC_LINE_MAX)
		return fail(rp, FB_REC_LINE_MAX, "line longer than %d bytes",
			    FB_REC_LINE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c < 0x20 || c > 0x7e)
			return fail(rp, i, "non-printable byte 0x%02x", c);
	}
	return 0;
}

/* Explain a trailer that is not " #" + 8 characters at the very end. */
static int bad_trailer(const struct report *rp, const char *line, size_t len)
{
	for (size_t i = len; i-- > 1;)
		if (line[i - 1] == ' ' && line[i] == '#')
			return fail(rp, i,
				    "checksum trailer needs exactly 8 hex digits "
				    "after ' #', found %zu characters",
				    len - i - 1);
	return fail(rp, len, "missing checksum trailer");
}

/* On success *body_end is the length of what the checksum covers. */
static int check_checksum(const struct report *rp, const char *line,
			  size_t len, size_t *body_end)
{
	uint32_t said = 0;

	if (len < TRAILER_LEN || line[len - 10] != ' ' || line[len - 9] != '#')
		return bad_trailer(rp, line, len);
	size_t hex = len - 8;
	for (size_t i = hex; i < len; i++) {
		int d = hex_digit(line[i]);
		if (d < 0)
			return fail(rp, i, "checksum has non-hex character '%c'",
				    line[i]);
		said = said << 4 | (uint32_t)d;
	}
	*body_end = len - TRAILER_LEN;
	uint32_t computed = fb_fnv1a32(line, *body_end);
	if (said != computed)
		return fail(rp, hex,
			    "bad checksum: line says %08" PRIx32
			    ", computed %08" PRIx32,
			    said, computed);
	return 0;
}

/* ---- rec_parse: the fields ---------------------------------------------- */

struct parser {
	const char *line;
	struct record *out;
	const struct type_rule *rule;
	size_t value_col[EXTRA_MAX]; /* where each field's value starts */
	struct report rp;
};

/* One key=value token, already split at its '=' and checked for syntax. */
struct token {
	unsigned n; /* 1-based field number: seq is field 1 */
	size_t key, klen, value, vlen;
};

static int take_seq(struct parser *p, const struct token *t)
{
	const char *line = p->line;
	size_t bad;

	if (t->n != 1 || !span_is(line + t->key, t->klen, "seq"))
		return fail(&p->rp, t->key, "first field must be seq, not '%.*s'",
			    (int)t->klen, line + t->key);
	enum u64_status st =
		parse_u64(line + t->value, t->vlen, &p->out->seq, &bad);
	if (st != U64_OK)
		return fail(&p->rp, t->value + bad, "seq %s", u64_problem(st));
	return 0;
}

static int take_type(struct parser *p, const struct token *t)
{
	const char *line = p->line;

	if (!span_is(line + t->key, t->klen, "type"))
		return fail(&p->rp, t->key, "second field must be type, not '%.*s'",
			    (int)t->klen, line + t->key);
	p->rule = find_type(line + t->value, t->vlen);
	if (!p->rule)
		return fail(&p->rp, t->value, "unknown record type '%.*s'",
			    (int)t->vlen, line + t->value);
	memcpy(p->out->type, line + t->value, t->vlen);
	p->out->type[t->vlen] = '\0';
	return 0;
}

static int take_extra(struct parser *p, const struct token *t)
{
	const char *key = p->line + t->key;
	struct record *r = p->out;

	if (span_is(key, t->klen, "seq") || span_is(key, t->klen, "type") ||
	    field_index(r, key, t->klen) >= 0)
		return fail(&p->rp, t->key, "field %u: duplicate key '%.*s'",
			    t->n, (int)t->klen, key);
	struct rec_field *f = &r->fields[r->nfields];
	memcpy(f->key, key, t->klen);
	f->key[t->klen] = '\0';
	memcpy(f->value, p->line + t->value, t->vlen);
	f->value[t->vlen] = '\0';
	p->value_col[r->nfields++] = t->value;
	return 0;
}

/* Split the token line[a, b) at its '=' and check key and value syntax. */
static int split_field(struct parser *p, unsigned n, size_t a, size_t b,
		       struct token *t)
{
	const char *line = p->line;
	const char *eq = memchr(line + a, '=', b - a);
	size_t bad;

	if (!eq)
		return fail(&p->rp, a, "field %u: missing '=' in '%.*s'", n,
			    (int)(b - a < 32 ? b - a : 32), line + a);
	*t = (struct token){ .n = n, .key = a, .klen = (size_t)(eq - line) - a };
	t->value = t->key + t->klen + 1;
	t->vlen = b - t->value;
	if (t->klen == 0)
		return fail(&p->rp, a, "field %u: empty key", n);
	if (t->klen > FB_REC_KEY_MAX)
		return fail(&p->rp, a + FB_REC_KEY_MAX,
			    "field %u: key longer than %d bytes", n,
			    FB_REC_KEY_MAX);
	bad = key_bad_char(line + a, t->klen);
	if (bad < t->klen)
		return fail(&p->rp, a + bad,
			    "field %u: key has invalid character '%c'", n,
			    line[a + bad]);
	if (t->vlen == 0)
		return fail(&p->rp, t->value, "field %u: empty value for key '%.*s'",
			    n, (int)t->klen, line + a);
	if (t->vlen > FB_REC_VALUE_MAX)
		return fail(&p->rp, t->value + FB_REC_VALUE_MAX,
			    "field %u: value longer than %d bytes", n,
			    FB_REC_VALUE_MAX);
	bad = value_bad_char(line + t->value, t->vlen);
	if (bad < t->vlen)
		return fail(&p->rp, t->value + bad,
			    "field %u: value has invalid character '%c'", n,
			    line[t->value + bad]);
	return 0;
}

static int parse_field(struct parser *p, unsigned n, size_t a, size_t b,
		       size_t end)
{
	struct token t = { 0 };

	/* Point at the surplus space: the second of two, or a trailing one. */
	if (a == b)
		return fail(&p->rp, a < end ? a : a - 1,
			    "field %u is empty (extra space?)", n);
	if (n > FB_REC_FIELDS_MAX)
		return fail(&p->rp, a, "too many fields (at most %d)",
			    FB_REC_FIELDS_MAX);
	if (split_field(p, n, a, b, &t) < 0)
		return -1;
	if (n == 1)
		return take_seq(p, &t);
	if (n == 2)
		return take_type(p, &t);
	return take_extra(p, &t);
}

/* Fields are line[start, end) separated by single spaces. */
static int parse_fields(struct parser *p, size_t start, size_t end)
{
	unsigned n = 0;

	/* start > end only for "@FB1 #...", whose prefix space is the
	 * trailer's: there are no fields at all. */
	for (size_t a = start; a <= end;) {
		const char *sp = memchr(p->line + a, ' ', end - a);
		size_t b = sp ? (size_t)(sp - p->line) : end;
		if (parse_field(p, ++n, a, b, end) < 0)
			return -1;
		a = b + 1;
	}
	if (n < 1)
		return fail(&p->rp, end, "missing seq field");
	if (n < 2)
		return fail(&p->rp, end, "missing type field");
	return 0;
}

static int check_required(struct parser *p, size_t end)
{
	const struct record *r = p->out;

	for (const struct field_rule *f = p->rule->required; f->key; f++) {
		int i = field_index(r, f->key, strlen(f->key));
		if (i < 0)
			return fail(&p->rp, end,
				    "record type '%s' lacks required field '%s'",
				    r->type, f->key);
		if (f->valid && !f->valid(r->fields[i].value))
			return fail(&p->rp, p->value_col[i],
				    "field %d: %s must be %s, not '%s'", i + 3,
				    f->key, f->expect, r->fields[i].value);
	}
	return 0;
}

int rec_parse(const char *line, size_t len, struct record *out, size_t *col,
	      char *err, size_t errlen)
{
	struct parser p = { .line = line, .out = out,
			    .rp = { .col = col, .err = err, .errlen = errlen } };
	size_t start = 0, end = 0;

	memset(out, 0, sizeof *out);
	if (check_prefix(&p.rp, line, len, &start) < 0 ||
	    check_bytes(&p.rp, line, len) < 0 ||
	    check_checksum(&p.rp, line, len, &end) < 0 ||
	    parse_fields(&p, start, end) < 0 || check_required(&p, end) < 0)
		return -1;
	return 0;
}

/* ---- rec_format --------------------------------------------------------- */

/* A string in a fixed array: terminated inside it, non-empty, allowed bytes. */
static bool good_text(const char *s, size_t size,
		      size_t (*bad_char)(const char *, size_t))
{
	size_t n = strnlen(s, size);
	return n > 0 && n < size && bad_char(s, n) == n;
}

/*
 * Only what could change how the line splits into fields is checked here;
 * everything else is left to rec_parse.
 */
static bool good_syntax(const struct record *r)
{
	if (r->nfields > EXTRA_MAX ||
	    !good_text(r->type, sizeof r->type, value_bad_char))
		return false;
	for (unsigned i = 0; i < r->nfields; i++) {
		const struct rec_field *f = &r->fields[i];
		if (!good_text(f->key, sizeof f->key, key_bad_char) ||
		    !good_text(f->value, sizeof f->value, value_bad_char))
			return false;
	}
	return true;
}

struct sink {
	char *buf;
	size_t cap, len; /* len may pass cap: then the output did not fit */
};

__attribute__((format(printf, 2, 3))) static void put(struct sink *s,
						      const char *fmt, ...)
{
	size_t room = s->len < s->cap ? s->cap - s->len : 0;
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
	va_end(ap);
	s->len += n > 0 ? (size_t)n : 0;
}

int rec_format(const struct record *r, char *buf, size_t buflen)
{
	char line[FB_REC_LINE_MAX + 1];
	struct sink s = { .buf = line, .cap = sizeof line };
	struct record check;

	if (buflen)
		buf[0] = '\0';
	if (!good_syntax(r))
		return -1;
	put(&s, "%sseq=%" PRIu64 " type=%s", FB_REC_PREFIX, r->seq, r->type);
	for (unsigned i = 0; i < r->nfields; i++)
		put(&s, " %s=%s", r->fields[i].key, r->fields[i].value);
	if (s.len >= s.cap)
		return -1;
	put(&s, " #%08" PRIx32, fb_fnv1a32(line, s.len));
	/*
	 * The host's parser is the one definition of a valid record: asking
	 * it keeps rec_format from ever writing a line the host would refuse.
	 */
	if (s.len >= s.cap || rec_parse(line, s.len, &check, NULL, NULL, 0) < 0 ||
	    s.len >= buflen)
		return -1;
	memcpy(buf, line, s.len + 1);
	return (int)s.len;
}

/* ---- rec_stream --------------------------------------------------------- */

void rec_stream_init(struct rec_stream *s)
{
	s->next_seq = 0;
	s->ended = 0;
}

static int check_end_count(const struct report *rp, const struct record *r)
{
	const char *v = rec_get(r, "records");
	uint64_t n;
	size_t bad;

	if (!v || parse_u64(v, strlen(v), &n, &bad) != U64_OK)
		return fail(rp, 0, "end record has no decimal records field");
	if (n != r->seq)
		return fail(rp, 0, "end says %" PRIu64 " records, stream had %" PRIu64,
			    n, r->seq);
	return 0;
}

int rec_stream_accept(struct rec_stream *s, const struct record *r, char *err,
		      size_t errlen)
{
	const struct report rp = { .err = err, .errlen = errlen };
	bool is_end = strncmp(r->type, "end", sizeof r->type) == 0;

	if (s->ended)
		return fail(&rp, 0, "record seq %" PRIu64 " after end", r->seq);
	if (r->seq != s->next_seq)
		return fail(&rp, 0,
			    "record seq %" PRIu64 ", expected %" PRIu64
			    " (record lost or repeated)",
			    r->seq, s->next_seq);
	/* The seq check above makes r->seq the count of records before it. */
	if (is_end && check_end_count(&rp, r) < 0)
		return -1;
	s->ended = is_end;
	s->next_seq++;
	return 0;
}
