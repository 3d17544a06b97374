/* Scalar look-ups in our own JSON metadata files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

#define META_MAX (256 * 1024)

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = malloc(META_MAX + 1);
	size_t n = buf ? fread(buf, 1, META_MAX, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* Copy the scalar starting at p: a quoted string or a bare token. */
static int scalar(const char *p, char *out, size_t len)
{
	size_t n = 0;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++; /* keep the escaped character itself */
			if (n + 1 < len)
				out[n++] = *p;
		}
		if (*p != '"')
			return -1;
	} else {
		while (*p && !strchr(",}] \n\t", *p))
			if (n + 1 < len)
				out[n++] = *p++;
			else
				p++;
		if (n == 0)
			return -1;
	}
	out[n] = '\0';
	return 0;
}

int meta_get(const char *path, const char *key, char *out, size_t len)
{
	char needle[128];
	if (len == 0 || snprintf(needle, sizeof(needle), "\"%s\":", key) >=
				(int)sizeof(needle))
		return -1;
	char *buf = slurp(path);
	if (!buf)
		return -1;
	const char *p = strstr(buf, needle);
	int rc = -1;
	if (p) {
		p += strlen(needle);
		while (*p == ' ')
			p++;
		rc = scalar(p, out, len);
	}
	free(buf);
	return rc;
}
