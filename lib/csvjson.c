/* CSV quoting and JSON escaping. */
#include <string.h>

#include "csvjson.h"

void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void csv_row(FILE *f, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_field(f, cols[i] ? cols[i] : "");
	}
	fputc('\n', f);
}

/* One input byte as JSON string text in out; returns its length. */
static size_t escape_byte(unsigned char c, char out[6])
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (c < 0x20) {
		memcpy(out, "\\u00", 4);
		out[4] = hex[c >> 4];
		out[5] = hex[c & 0xf];
		return 6;
	}
	out[0] = (char)c;
	return 1;
}

size_t json_escape_n(char *dst, size_t cap, const char *s, size_t n)
{
	size_t need = 0, used = 0;
	int full = 0;
	char piece[6];

	for (size_t i = 0; i < n && s[i]; i++) {
		size_t len = escape_byte((unsigned char)s[i], piece);

		/* Once a piece did not fit, later ones must not either. */
		if (!full && used + len < cap) {
			memcpy(dst + used, piece, len);
			used += len;
		} else {
			full = 1;
		}
		need += len;
	}
	if (cap)
		dst[used] = '\0';
	return need;
}

size_t json_escape(char *dst, size_t cap, const char *s)
{
	return json_escape_n(dst, cap, s, strlen(s));
}

void json_member_string(FILE *f, const char *key, const char *s)
{
	char buf[8192];
	json_escape(buf, sizeof(buf), s ? s : "");
	fprintf(f, "  \"%s\": \"%s\",\n", key, buf);
}

void json_member_command(FILE *f, const char *prefix, int argc, char **argv)
{
	char line[8192] = "";
	size_t n = prefix ? (size_t)snprintf(line, sizeof(line), "%s", prefix)
			  : 0;
	for (int i = 0; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
				      prefix || i ? " " : "", argv[i]);
	json_member_string(f, "command", line);
}
