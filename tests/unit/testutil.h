/* Helpers the unit test files share. */
#ifndef FB_TESTUTIL_H
#define FB_TESTUTIL_H

#include <criterion/criterion.h>
#include <stdio.h>

/* The whole of a small file (at most 16 KiB), NUL-terminated; the test
 * fails if it is missing. The buffer is reused by the next call. */
static inline char *test_slurp(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s missing", path);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#endif
