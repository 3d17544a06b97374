/*
 * Unit tests for vmm/records.c: record lines as the guest writes them, as
 * transport might mangle them, and as a buggy guest might order them.
 */
#include <criterion/criterion.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

/* ---- helpers ------------------------------------------------------------ */

struct outcome {
	int rc;
	size_t col;
	char err[256];
	struct record r;
};

/*
 * Parse from a heap copy of exactly len bytes, so that ASan catches any
 * read past the end of the line.
 */
static struct outcome parse_exact(const char *line, size_t len)
{
	struct outcome o = { .col = (size_t)-1 };
	char *copy = malloc(len ? len : 1);

	cr_assert_not_null(copy);
	memcpy(copy, line, len);
	o.rc = rec_parse(copy, len, &o.r, &o.col, o.err, sizeof o.err);
	free(copy);
	return o;
}

/* Append " #<checksum>" the way the guest does. Returns the line length. */
static size_t seal(char *buf, size_t cap, const char *body)
{
	size_t n = strlen(body);
	int w = snprintf(buf, cap, "%s #%08" PRIx32, body, fb_fnv1a32(body, n));

	cr_assert(w > 0 && (size_t)w < cap, "seal: buffer too small");
	return (size_t)w;
}

/* Offset of the first occurrence of needle in line. */
static size_t at(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);

	cr_assert_not_null(p, "'%s' not in '%s'", needle, line);
	return (size_t)(p - line);
}

#define NO_COL ((size_t)-1)

static void expect_reject_n(const char *line, size_t len, const char *word,
			    size_t col)
{
	struct outcome o = parse_exact(line, len);

	cr_assert_eq(o.rc, -1, "accepted: '%.*s'", (int)len, line);
	cr_assert_not_null(strstr(o.err, word), "error '%s' lacks '%s' for '%.*s'",
			   o.err, word, (int)len, line);
	cr_assert_leq(o.col, len, "col %zu beyond line of %zu", o.col, len);
	if (col != NO_COL)
		cr_assert_eq(o.col, col, "col %zu, want %zu (error '%s')", o.col,
			     col, o.err);
}

static void expect_reject(const char *line, const char *word, size_t col)
{
	expect_reject_n(line, strlen(line), word, col);
}

/* Seal body with a correct checksum, then expect the fields to be refused. */
static void expect_sealed_reject(const char *body, const char *word,
				 size_t col)
{
	char line[2048];

	expect_reject_n(line, seal(line, sizeof line, body), word, col);
}

static struct record expect_sealed_accept(const char *body)
{
	char line[2048];
	size_t n = seal(line, sizeof line, body);
	struct outcome o = parse_exact(line, n);

	cr_assert_eq(o.rc, 0, "rejected '%s': %s (col %zu)", line, o.err, o.col);
	return o.r;
}

static void add(struct record *r, const char *key, const char *value)
{
	cr_assert_lt(r->nfields, FB_REC_FIELDS_MAX - 2);
	struct rec_field *f = &r->fields[r->nfields++];
	snprintf(f->key, sizeof f->key, "%s", key);
	snprintf(f->value, sizeof f->value, "%s", value);
}

static struct record make(uint64_t seq, const char *type)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.seq = seq;
	snprintf(r.type, sizeof r.type, "%s", type);
	return r;
}

static struct record make_test(uint64_t seq, const char *name,
			       const char *result)
{
	struct record r = make(seq, "test");
	add(&r, "name", name);
	add(&r, "result", result);
	return r;
}

static struct record make_end(uint64_t seq, const char *records)
{
	struct record r = make(seq, "end");
	add(&r, "status", "pass");
	add(&r, "records", records);
	return r;
}

/* One valid record of every type, with an optional field thrown in. */
static void make_all(struct record rs[5])
{
	rs[0] = make(0, "hello");
	add(&rs[0], "abi", "1");
	add(&rs[0], "tsc_khz", "2995200");
	add(&rs[0], "mem_kib", "262144");
	add(&rs[0], "backend", "kvm");

	rs[1] = make_test(1, "page_fault_cow", "pass");
	add(&rs[1], "detail", "a#b:c/d,e!~");

	rs[2] = make(2, "metric");
	add(&rs[2], "variant", "vfork");
	add(&rs[2], "scenario", "touch_all");
	add(&rs[2], "size", "1048576");
	add(&rs[2], "rep", "17");
	add(&rs[2], "metric", "cycles");
	add(&rs[2], "value", "123456789");
	add(&rs[2], "unit", "tsc");

	rs[3] = make(3, "exception");
	add(&rs[3], "vector", "14");
	add(&rs[3], "error", "0x2");
	add(&rs[3], "rip", "0xffffffff81000123");
	add(&rs[3], "cr2", "0x0");
	add(&rs[3], "cr3", "0x1000");

	rs[4] = make_end(4, "4");
}

static void assert_same(const struct record *a, const struct record *b)
{
	cr_assert_eq(a->seq, b->seq);
	cr_assert_str_eq(a->type, b->type);
	cr_assert_eq(a->nfields, b->nfields);
	for (unsigned i = 0; i < a->nfields; i++) {
		cr_assert_str_eq(a->fields[i].key, b->fields[i].key);
		cr_assert_str_eq(a->fields[i].value, b->fields[i].value);
	}
}

#define HELLO "@FB1 seq=0 type=hello abi=1 tsc_khz=3000000 mem_kib=65536"
#define TEST "@FB1 seq=1 type=test name=boot result=pass"

/* ---- round trip --------------------------------------------------------- */

Test(round_trip, every_type)
{
	struct record rs[5];
	char line[FB_REC_LINE_MAX + 1];

	make_all(rs);
	for (int i = 0; i < 5; i++) {
		int n = rec_format(&rs[i], line, sizeof line);
		cr_assert_gt(n, 0, "rec_format refused a %s record", rs[i].type);
		cr_assert_eq(strlen(line), (size_t)n, "not NUL-terminated");
		struct outcome o = parse_exact(line, (size_t)n);
		cr_assert_eq(o.rc, 0, "'%s': %s", line, o.err);
		assert_same(&rs[i], &o.r);
	}
}

Test(round_trip, canonical_text)
{
	struct record r = make_test(3, "boot", "pass");
	char want[128], got[128];

	seal(want, sizeof want, "@FB1 seq=3 type=test name=boot result=pass");
	cr_assert_eq(rec_format(&r, got, sizeof got), (int)strlen(want));
	cr_assert_str_eq(got, want);
}

Test(round_trip, hand_written_line)
{
	const char *body = TEST " note=x";
	char line[128];

	snprintf(line, sizeof line, "%s #%08" PRIx32, body,
		 fb_fnv1a32(body, strlen(body)));
	struct outcome o = parse_exact(line, strlen(line));
	cr_assert_eq(o.rc, 0, "%s", o.err);
	cr_assert_eq(o.r.seq, 1);
	cr_assert_str_eq(o.r.type, "test");
	cr_assert_eq(o.r.nfields, 3);
	cr_assert_str_eq(rec_get(&o.r, "name"), "boot");
	cr_assert_str_eq(rec_get(&o.r, "result"), "pass");
	cr_assert_str_eq(rec_get(&o.r, "note"), "x");
	cr_assert_null(rec_get(&o.r, "absent"));
	cr_assert_null(rec_get(&o.r, "seq"), "seq is not a field");
	cr_assert_null(rec_get(&o.r, "type"), "type is not a field");
}

Test(round_trip, uppercase_checksum_accepted)
{
	char line[128];
	size_t n = seal(line, sizeof line, HELLO);

	for (size_t i = n - 8; i < n; i++)
		if (line[i] >= 'a' && line[i] <= 'f')
			line[i] = (char)(line[i] - 'a' + 'A');
	cr_assert_eq(parse_exact(line, n).rc, 0);
}

Test(round_trip, limits_exactly)
{
	char body[1024], key[FB_REC_KEY_MAX + 1], value[FB_REC_VALUE_MAX + 1];

	memset(key, 'k', FB_REC_KEY_MAX);
	key[FB_REC_KEY_MAX] = '\0';
	memset(value, 'v', FB_REC_VALUE_MAX);
	value[FB_REC_VALUE_MAX] = '\0';
	snprintf(body, sizeof body, TEST " %s=%s", key, value);
	struct record r = expect_sealed_accept(body);
	cr_assert_str_eq(rec_get(&r, key), value);

	expect_sealed_accept("@FB1 seq=18446744073709551615 type=test name=a "
			     "result=skip");
}

/* Fill a body with fields up to exactly FB_REC_LINE_MAX once sealed. */
Test(round_trip, longest_line)
{
	char body[FB_REC_LINE_MAX + 1] = TEST;
	size_t room = FB_REC_LINE_MAX - 10 - strlen(body);

	for (int i = 0; room > 0; i++) {
		size_t vlen = room - 4 < 100 ? room - 4 : 100; /* " xN=" */
		cr_assert_lt(i, 10);
		size_t n = strlen(body);
		snprintf(body + n, sizeof body - n, " x%d=%0*d", i, (int)vlen, 0);
		room -= strlen(body + n);
	}
	char line[FB_REC_LINE_MAX + 1];
	cr_assert_eq(seal(line, sizeof line, body), FB_REC_LINE_MAX);
	struct outcome o = parse_exact(line, FB_REC_LINE_MAX);
	cr_assert_eq(o.rc, 0, "%s", o.err);

	char out[FB_REC_LINE_MAX + 1];
	cr_assert_eq(rec_format(&o.r, out, sizeof out), FB_REC_LINE_MAX);
	cr_assert_str_eq(out, line);
}

Test(round_trip, most_fields)
{
	char body[FB_REC_LINE_MAX] = TEST;

	for (int i = 4; i < FB_REC_FIELDS_MAX; i++) /* seq..result are 4 */
		snprintf(body + strlen(body), sizeof body - strlen(body),
			 " f%d=%d", i, i);
	struct record r = expect_sealed_accept(body);
	cr_assert_eq(r.nfields, FB_REC_FIELDS_MAX - 2);
}

Test(is_record, prefixes)
{
	cr_assert(rec_is_record("@FB1 seq=0", 10));
	cr_assert(rec_is_record("@FB2 anything", 13));
	cr_assert(rec_is_record("@FB", 3));
	cr_assert(!rec_is_record("@FB", 2), "len is respected");
	cr_assert(!rec_is_record("@F", 2));
	cr_assert(!rec_is_record("", 0));
	cr_assert(!rec_is_record("Linux version 6.1", 17));
	cr_assert(!rec_is_record(" @FB1", 5));
}

/* ---- malformed: the line as bytes --------------------------------------- */

Test(malformed, wrong_version)
{
	char line[128];

	seal(line, sizeof line, "@FB2 seq=0 type=hello abi=2");
	expect_reject(line, "unsupported record version 2", 3);
	expect_reject("@FB10 seq=0", "version 10", 3);
	expect_reject("@FBx seq=0", "missing record version", 3);
	expect_reject("@FB", "missing record version", 3);
	expect_reject("@FB1", "space after", 4);
	expect_reject("@FB1seq=0", "space after", 4);
	expect_reject("hello", "@FB", 0);
	expect_reject_n("", 0, "@FB", 0);
}

Test(malformed, missing_trailer)
{
	expect_reject(TEST, "missing checksum trailer", strlen(TEST));
	expect_reject(TEST "#01234567", "missing checksum trailer", NO_COL);
	expect_reject(TEST " #0123456", "8 hex digits", at(TEST " #", " #") + 1);
	expect_reject(TEST " #012345678", "8 hex digits", NO_COL);
	expect_reject(TEST " #", "8 hex digits", NO_COL);
	expect_reject(TEST " 01234567", "missing checksum trailer", NO_COL);
}

Test(malformed, bad_checksum)
{
	char line[128], want[64];
	size_t n = seal(line, sizeof line, TEST);

	line[at(line, "boot")] = 'B'; /* still printable, still a valid value */
	snprintf(want, sizeof want, "line says %.8s, computed", line + n - 8);
	expect_reject(line, want, n - 8);
}

Test(malformed, checksum_before_fields)
{
	char line[128];
	size_t n = seal(line, sizeof line, TEST);

	/* Garbling that also breaks the syntax is still a checksum failure. */
	line[at(line, "name")] = 'N';
	expect_reject(line, "bad checksum", n - 8);
	line[at(line, "Name")] = ' ';
	expect_reject(line, "bad checksum", n - 8);
}

Test(malformed, bad_hex)
{
	char line[128];
	size_t n = seal(line, sizeof line, TEST);

	line[n - 3] = 'g';
	expect_reject(line, "non-hex character 'g'", n - 3);
	line[n - 3] = ' ';
	expect_reject(line, "non-hex", n - 3);
}

Test(malformed, too_long)
{
	char body[1024] = TEST, line[1100];

	while (strlen(body) < FB_REC_LINE_MAX)
		strcat(body, " pad=0123456789");
	expect_reject_n(line, seal(line, sizeof line, body), "longer than 512 bytes",
			FB_REC_LINE_MAX);
}

Test(malformed, non_printable)
{
	char line[128];
	size_t n = seal(line, sizeof line, TEST);
	size_t pos = at(line, "boot") + 1;

	line[pos] = '\a';
	expect_reject(line, "non-printable byte 0x07", pos);
	line[pos] = (char)0xc3;
	expect_reject(line, "non-printable byte 0xc3", pos);
	line[pos] = '\0';
	expect_reject_n(line, n, "non-printable byte 0x00", pos);
	line[pos] = '\t';
	expect_reject(line, "0x09", pos);
}

Test(malformed, trailing_cr)
{
	char line[128];
	size_t n = seal(line, sizeof line, TEST);

	line[n] = '\r';
	expect_reject_n(line, n + 1, "non-printable byte 0x0d", n);
	line[n] = '\n';
	expect_reject_n(line, n + 1, "non-printable byte 0x0a", n);
}

/* ---- malformed: the fields ---------------------------------------------- */

Test(malformed, empty_value)
{
	const char *b = TEST " note=";
	expect_sealed_reject(b, "empty value for key 'note'", strlen(b));
	expect_sealed_reject("@FB1 seq= type=test", "empty value", 9);
}

Test(malformed, missing_equals)
{
	const char *b = TEST " note";
	expect_sealed_reject(b, "field 5: missing '=' in 'note'", at(b, "note"));
}

Test(malformed, empty_key)
{
	const char *b = TEST " =x";
	expect_sealed_reject(b, "field 5: empty key", at(b, "=x"));
}

Test(malformed, double_space)
{
	const char *b = "@FB1 seq=1 type=test  name=boot result=pass";
	expect_sealed_reject(b, "empty", at(b, "  ") + 1);
	expect_sealed_reject("@FB1  seq=1 type=test name=boot result=pass",
			     "field 1 is empty", NO_COL);
	b = TEST " ";
	expect_sealed_reject(b, "empty", strlen(b) - 1);
	expect_sealed_reject("@FB1 ", "empty", NO_COL);
}

Test(malformed, no_fields)
{
	char line[32];
	seal(line, sizeof line, "@FB1");
	expect_reject(line, "missing seq", 4);
}

Test(malformed, key_uppercase)
{
	const char *b = TEST " eXtra=1";
	expect_sealed_reject(b, "field 5: key has invalid character 'X'",
			     at(b, "X"));
	expect_sealed_reject(TEST " a-b=1", "invalid character '-'", NO_COL);
}

Test(malformed, key_too_long)
{
	char body[256], key[FB_REC_KEY_MAX + 2];

	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	snprintf(body, sizeof body, TEST " %s=1", key);
	expect_sealed_reject(body, "key longer than 31 bytes",
			     at(body, key) + FB_REC_KEY_MAX);
}

Test(malformed, value_too_long)
{
	char body[512], value[FB_REC_VALUE_MAX + 2];

	memset(value, 'v', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	snprintf(body, sizeof body, TEST " note=%s", value);
	expect_sealed_reject(body, "value longer than 127 bytes",
			     at(body, value) + FB_REC_VALUE_MAX);
}

Test(malformed, value_with_equals)
{
	const char *b = TEST " note=a=b";
	expect_sealed_reject(b, "value has invalid character '='", at(b, "a=b") + 1);
}

Test(malformed, duplicate_key)
{
	const char *b = TEST " name=again";
	expect_sealed_reject(b, "duplicate key 'name'", at(b, "name=again"));
	b = TEST " seq=2";
	expect_sealed_reject(b, "duplicate key 'seq'", at(b, "seq=2"));
	expect_sealed_reject(TEST " type=test", "duplicate key 'type'", NO_COL);
}

Test(malformed, seq_not_first)
{
	expect_sealed_reject("@FB1 type=test seq=1 name=boot result=pass",
			     "first field must be seq", 5);
	expect_sealed_reject("@FB1 sequence=1 type=test", "first field must be seq",
			     5);
}

Test(malformed, seq_not_a_number)
{
	expect_sealed_reject("@FB1 seq=1x type=test name=a result=pass",
			     "seq is not a decimal number", 10);
	expect_sealed_reject("@FB1 seq=-1 type=test name=a result=pass",
			     "not a decimal", 9);
	expect_sealed_reject("@FB1 seq=01 type=test name=a result=pass",
			     "seq has a leading zero", 9);
	expect_sealed_reject("@FB1 seq=00 type=test name=a result=pass",
			     "leading zero", NO_COL);
	expect_sealed_reject("@FB1 seq=18446744073709551616 type=test name=a "
			     "result=pass",
			     "64 bits", NO_COL);
	expect_sealed_reject("@FB1 seq=99999999999999999999999 type=test name=a "
			     "result=pass",
			     "64 bits", NO_COL);
}

Test(malformed, type_missing)
{
	const char *b = "@FB1 seq=0";
	expect_sealed_reject(b, "missing type", strlen(b));
	expect_sealed_reject("@FB1 seq=0 name=boot type=test",
			     "second field must be type", 11);
}

Test(malformed, unknown_type)
{
	const char *b = "@FB1 seq=0 type=xyz name=boot";
	expect_sealed_reject(b, "unknown record type 'xyz'", at(b, "xyz"));
	expect_sealed_reject("@FB1 seq=0 type=Test name=boot result=pass",
			     "unknown record type", NO_COL);
	expect_sealed_reject("@FB1 seq=0 type=testtesttesttesttesttesttesttesttest",
			     "unknown record type", NO_COL);
}

Test(malformed, missing_required_field)
{
	const char *b = "@FB1 seq=1 type=test name=boot";
	expect_sealed_reject(b, "record type 'test' lacks required field 'result'",
			     strlen(b));
	expect_sealed_reject("@FB1 seq=0 type=hello abi=1 mem_kib=1",
			     "lacks required field 'tsc_khz'", NO_COL);
	expect_sealed_reject("@FB1 seq=0 type=exception vector=14 error=0 rip=0 "
			     "cr2=0",
			     "lacks required field 'cr3'", NO_COL);
	expect_sealed_reject("@FB1 seq=0 type=metric variant=a scenario=b size=1 "
			     "rep=0 metric=c value=1",
			     "lacks required field 'unit'", NO_COL);
	expect_sealed_reject("@FB1 seq=0 type=end status=pass",
			     "lacks required field 'records'", NO_COL);
}

Test(malformed, bad_result)
{
	const char *b = "@FB1 seq=1 type=test name=boot result=maybe";
	expect_sealed_reject(b, "pass, fail or skip, not 'maybe'", at(b, "maybe"));
	expect_sealed_reject("@FB1 seq=1 type=test name=boot result=PASS",
			     "pass, fail or skip", NO_COL);
}

Test(malformed, end_records_not_decimal)
{
	const char *b = "@FB1 seq=3 type=end status=pass records=three";
	expect_sealed_reject(b, "records must be a decimal number", at(b, "three"));
	expect_sealed_reject("@FB1 seq=3 type=end status=pass records=03",
			     "decimal", NO_COL);
}

Test(malformed, too_many_fields)
{
	char body[FB_REC_LINE_MAX] = TEST;
	size_t col = 0;

	for (int i = 4; i <= FB_REC_FIELDS_MAX; i++) {
		col = strlen(body) + 1;
		snprintf(body + strlen(body), sizeof body - strlen(body),
			 " f%d=%d", i, i);
	}
	expect_sealed_reject(body, "too many fields", col);
}

/* ---- truncation and mutation -------------------------------------------- */

Test(truncation, every_proper_prefix)
{
	struct record rs[5];
	char line[FB_REC_LINE_MAX + 1];

	make_all(rs);
	for (int i = 0; i < 5; i++) {
		int n = rec_format(&rs[i], line, sizeof line);
		cr_assert_gt(n, 0);
		for (size_t len = 0; len < (size_t)n; len++) {
			struct outcome o = parse_exact(line, len);
			cr_assert_eq(o.rc, -1, "prefix of %zu accepted", len);
			cr_assert_neq(o.err[0], '\0', "no reason for %zu", len);
			cr_assert_leq(o.col, len);
		}
	}
}

/* Case of a hex letter in the checksum is the one harmless change. */
static bool harmless(const char *line, size_t n, size_t pos, int c)
{
	return pos >= n - 8 && line[pos] >= 'a' && line[pos] <= 'f' &&
	       c == line[pos] - 'a' + 'A';
}

Test(truncation, every_single_byte_change)
{
	char line[128], copy[128];
	size_t n = seal(line, sizeof line, TEST " note=x");

	for (size_t pos = 0; pos < n; pos++) {
		for (int c = 0; c < 256; c++) {
			if (c == (unsigned char)line[pos] || harmless(line, n, pos, c))
				continue;
			memcpy(copy, line, n);
			copy[pos] = (char)c;
			struct outcome o = parse_exact(copy, n);
			cr_assert_eq(o.rc, -1, "byte %zu = 0x%02x accepted", pos, c);
		}
	}
}

/* ---- rec_format refusals ------------------------------------------------ */

Test(format, refuses_invalid_records)
{
	char buf[FB_REC_LINE_MAX + 1];
	struct record r;

	r = make_test(0, "boot", "pass");
	snprintf(r.fields[0].key, sizeof r.fields[0].key, "Name");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "uppercase key");
	cr_assert_str_eq(buf, "", "output cleared on failure");

	r = make_test(0, "boot up", "pass");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "space in value");

	r = make_test(0, "boot", "pass");
	snprintf(r.fields[0].value, sizeof r.fields[0].value, "x result=pass");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "smuggled field");

	r = make_test(0, "a=b", "pass");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "'=' in value");

	r = make_test(0, "", "pass");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "empty value");

	r = make_test(0, "boot", "pass");
	snprintf(r.type, sizeof r.type, "test name=x");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "space in type");

	r = make_test(0, "boot", "pass");
	snprintf(r.type, sizeof r.type, "xyz");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "unknown type");

	r = make(0, "test");
	add(&r, "name", "boot");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "missing result");

	r = make_test(0, "boot", "maybe");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "bad result");

	r = make_test(0, "boot", "pass");
	add(&r, "name", "again");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "duplicate key");

	r = make_test(0, "boot", "pass");
	add(&r, "seq", "1");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "seq as a field");

	r = make_end(0, "zero");
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "bad records count");
}

Test(format, refuses_unterminated_and_oversized)
{
	char buf[FB_REC_LINE_MAX + 1];
	struct record r = make_test(0, "boot", "pass");

	memset(r.fields[0].key, 'k', sizeof r.fields[0].key);
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "unterminated key");

	r = make_test(0, "boot", "pass");
	memset(r.fields[0].value, 'v', sizeof r.fields[0].value);
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "unterminated value");

	r = make_test(0, "boot", "pass");
	memset(r.type, 't', sizeof r.type);
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "unterminated type");

	r = make_test(0, "boot", "pass");
	r.nfields = FB_REC_FIELDS_MAX - 1;
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "nfields too big");

	r = make_test(0, "boot", "pass");
	for (int i = 0; i < 5; i++) {
		char key[16], value[FB_REC_VALUE_MAX + 1];
		snprintf(key, sizeof key, "pad%d", i);
		memset(value, 'v', FB_REC_VALUE_MAX);
		value[FB_REC_VALUE_MAX] = '\0';
		add(&r, key, value);
	}
	cr_assert_eq(rec_format(&r, buf, sizeof buf), -1, "line over 512");
}

Test(format, buffer_size)
{
	struct record r = make_test(7, "boot", "pass");
	char buf[128];
	int n = rec_format(&r, buf, sizeof buf);

	cr_assert_gt(n, 0);
	memset(buf, 'X', sizeof buf);
	cr_assert_eq(rec_format(&r, buf, (size_t)n), -1, "no room for NUL");
	cr_assert_eq(buf[n - 1], 'X', "wrote past a too-small buffer");
	cr_assert_eq(rec_format(&r, buf, (size_t)n + 1), n);
	cr_assert_eq(buf[n], '\0');
	cr_assert_eq(rec_format(&r, NULL, 0), -1);
}

/* ---- stream ------------------------------------------------------------- */

static int feed(struct rec_stream *s, const struct record *r, char *err,
		size_t errlen)
{
	err[0] = '\0';
	return rec_stream_accept(s, r, err, errlen);
}

Test(stream, happy_path)
{
	struct rec_stream s;
	struct record rs[5];
	char err[128];

	rec_stream_init(&s);
	make_all(rs);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(feed(&s, &rs[i], err, sizeof err), 0, "%d: %s", i,
			     err);
	cr_assert_eq(s.next_seq, 5);
	cr_assert(s.ended);
}

Test(stream, empty_run_ends_with_zero)
{
	struct rec_stream s;
	struct record end = make_end(0, "0");
	char err[128];

	rec_stream_init(&s);
	cr_assert_eq(feed(&s, &end, err, sizeof err), 0, "%s", err);
}

Test(stream, gap)
{
	struct rec_stream s;
	struct record a = make_test(0, "a", "pass"), c = make_test(2, "c", "pass");
	char err[128];

	rec_stream_init(&s);
	cr_assert_eq(feed(&s, &a, err, sizeof err), 0);
	cr_assert_eq(feed(&s, &c, err, sizeof err), -1);
	cr_assert_str_eq(err, "record seq 2, expected 1 (record lost or repeated)");
	cr_assert_eq(s.next_seq, 1, "a refused record leaves the stream alone");
}

Test(stream, must_start_at_zero)
{
	struct rec_stream s;
	struct record b = make_test(1, "b", "pass");
	char err[128];

	rec_stream_init(&s);
	cr_assert_eq(feed(&s, &b, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "expected 0"), "%s", err);
}

Test(stream, repeat)
{
	struct rec_stream s;
	struct record a = make_test(0, "a", "pass");
	char err[128];

	rec_stream_init(&s);
	cr_assert_eq(feed(&s, &a, err, sizeof err), 0);
	cr_assert_eq(feed(&s, &a, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "repeated"), "%s", err);
}

Test(stream, record_after_end)
{
	struct rec_stream s;
	struct record a = make_test(0, "a", "pass"), end = make_end(1, "1");
	struct record late = make_test(2, "late", "pass");
	char err[128];

	rec_stream_init(&s);
	cr_assert_eq(feed(&s, &a, err, sizeof err), 0);
	cr_assert_eq(feed(&s, &end, err, sizeof err), 0, "%s", err);
	cr_assert_eq(feed(&s, &late, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "after end"), "%s", err);
	struct record end2 = make_end(2, "2");
	cr_assert_eq(feed(&s, &end2, err, sizeof err), -1, "second end");
	cr_assert_not_null(strstr(err, "after end"), "%s", err);
}

Test(stream, end_count_mismatch)
{
	struct rec_stream s;
	struct record rs[6];
	char err[128];

	rec_stream_init(&s);
	for (int i = 0; i < 6; i++) {
		rs[i] = make_test((uint64_t)i, "t", "pass");
		cr_assert_eq(feed(&s, &rs[i], err, sizeof err), 0);
	}
	struct record end = make_end(6, "7");
	cr_assert_eq(feed(&s, &end, err, sizeof err), -1);
	cr_assert_str_eq(err, "end says 7 records, stream had 6");
	cr_assert(!s.ended, "a refused end does not end the stream");

	struct record bad = make_end(6, "six");
	cr_assert_eq(feed(&s, &bad, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "records"), "%s", err);
}

Test(stream, parsed_lines_end_to_end)
{
	const char *bodies[] = {
		HELLO,
		TEST,
		"@FB1 seq=2 type=end status=pass records=2",
	};
	struct rec_stream s;
	char err[128];

	rec_stream_init(&s);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct record r = expect_sealed_accept(bodies[i]);
		cr_assert_eq(feed(&s, &r, err, sizeof err), 0, "%s", err);
	}
	cr_assert(s.ended);
}

Test(stream, tiny_error_buffer)
{
	struct rec_stream s;
	struct record b = make_test(5, "b", "pass");
	char err[4];

	rec_stream_init(&s);
	cr_assert_eq(rec_stream_accept(&s, &b, err, sizeof err), -1);
	cr_assert_str_eq(err, "rec");
	cr_assert_eq(rec_stream_accept(&s, &b, NULL, 0), -1);
}
