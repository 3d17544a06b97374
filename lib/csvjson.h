/*
 * Writing CSV fields and JSON text: the quoting rules every result file
 * follows, in one place so fbvmm's files and forkbench's agree.
 */
#ifndef FB_CSVJSON_H
#define FB_CSVJSON_H

#include <stddef.h>
#include <stdio.h>

/* One CSV field (RFC 4180), quoted when it holds a comma, quote or newline. */
void csv_field(FILE *f, const char *s);

/*
 * One CSV row: cols[0..n) as fields (NULL: empty), comma-separated, then
 * a newline. Every row of every result CSV is written by it.
 */
void csv_row(FILE *f, const char *const *cols, size_t n);

/*
 * JSON-escape s into dst (without surrounding quotes): '"' and '\\' get a
 * backslash, bytes below 0x20 become \u00XX, everything else (including
 * UTF-8) is copied. Like snprintf: returns the length the full escape
 * needs; dst is always terminated when cap > 0 and never ends in half an
 * escape sequence.
 */
size_t json_escape(char *dst, size_t cap, const char *s);
/* The same for at most the first n bytes of s (n bounds the read). */
size_t json_escape_n(char *dst, size_t cap, const char *s, size_t n);

/* A meta.json member line: `  "key": "escaped s",` (NULL s: ""). */
void json_member_string(FILE *f, const char *key, const char *s);

/*
 * The member `  "command": "...",`: prefix (unless NULL) and argv[0..argc)
 * joined by spaces, the command as typed.
 */
void json_member_command(FILE *f, const char *prefix, int argc, char **argv);

#endif
