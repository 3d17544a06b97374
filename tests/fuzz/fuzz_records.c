/*
 * rec_parse (vmm/records.c) on arbitrary lines: records arrive from the
 * guest, which the host does not trust. Each input is parsed as it is and
 * again with its checksum made to match, since a fuzzer cannot forge an
 * FNV-1a checksum and would otherwise never reach the fields.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "records.h"

/*
 * rec_format must give back exactly an accepted line: the parser insists
 * on one spelling (single spaces, no leading zeros), so the only freedom
 * left is the case of the checksum's hex digits.
 */
static void check_round_trip(const char *line, size_t len,
			     const struct record *r)
{
	char again[FB_REC_LINE_MAX + 1];
	int n = rec_format(r, again, sizeof(again));

	if (n < 0)
		fuzz_fail("rec_format refused an accepted record: %.*s",
			  (int)len, line);
	if ((size_t)n != len || memcmp(again, line, len - 8) != 0 ||
	    strncasecmp(again + len - 8, line + len - 8, 8) != 0)
		fuzz_fail("rec_format changed the line:\n  %.*s\n  %s",
			  (int)len, line, again);
	for (unsigned i = 0; i < r->nfields; i++)
		if (rec_get(r, r->fields[i].key) != r->fields[i].value)
			fuzz_fail("rec_get(%s) does not find field %u",
				  r->fields[i].key, i);
}

/* One parse, in a heap block of exactly len bytes (no NUL after it). */
static void parse_one(const char *src, size_t len)
{
	char *line = malloc(len ? len : 1);
	struct record r;
	size_t col = (size_t)-1;
	char err[256] = "";

	if (!line)
		abort();
	memcpy(line, src, len);
	if (rec_parse(line, len, &r, &col, err, sizeof(err)) == 0) {
		if (!rec_is_record(line, len))
			fuzz_fail("accepted a line rec_is_record refuses");
		check_round_trip(line, len, &r);
	} else {
		if (col > len)
			fuzz_fail("error offset %zu beyond the %zu-byte line",
				  col, len);
		fuzz_check_message("rec_parse", err, (const uint8_t *)src,
				   len);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Longer lines fail at the length check whatever their checksum. */
	char fixed[FB_REC_LINE_MAX + 16];

	parse_one((const char *)data, size);
	if (size <= FB_REC_LINE_MAX)
		parse_one(fixed, fuzz_fix_checksum((const char *)data, size,
						   fixed));
	return 0;
}
