/* The bzImage setup-header check (bzimage.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bzimage.h"

#define HDR_END 0x268 /* setup header fields up to protocol 2.12 */
#define MAX_FILE (256u << 20)

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "not a bzImage: %s", why);
	return -1;
}

/* The version string: printable up to its NUL, inside the setup code. */
static int read_version(const uint8_t *img, size_t n, char *version,
			size_t len, char *err, size_t errlen)
{
	size_t setup_end = ((size_t)(img[0x1F1] ? img[0x1F1] : 4) + 1) * 512;
	size_t at = 0x200 + get16(img + 0x20E), i = at;
	if (get16(img + 0x20E) == 0 || at >= n || at >= setup_end)
		return fail(err, errlen, "its kernel_version pointer (0x20E) "
					 "is outside the setup code");
	while (i < n && i < setup_end && img[i] >= 0x20 && img[i] < 0x7f)
		i++;
	if (i == at || i >= n || i >= setup_end || img[i] != 0)
		return fail(err, errlen, "no printable, terminated kernel "
					 "version string where 0x20E points");
	snprintf(version, len, "%.*s", (int)(i - at), (const char *)img + at);
	return 0;
}

int bzimage_check(const uint8_t *img, size_t n, char *version, size_t len,
		  char *err, size_t errlen)
{
	if (n < HDR_END)
		return fail(err, errlen, "shorter than a setup header");
	if (get16(img + 0x1FE) != 0xAA55)
		return fail(err, errlen, "no boot flag 0xAA55 at 0x1FE");
	if (memcmp(img + 0x202, "HdrS", 4) != 0)
		return fail(err, errlen, "no HdrS signature at 0x202");
	if (get16(img + 0x206) < 0x0206)
		return fail(err, errlen, "boot protocol older than 2.06 (not a "
					 "64-bit kernel)");
	if (!(img[0x211] & 1))
		return fail(err, errlen, "loadflags say it is not loaded high "
					 "(a zImage, not a bzImage)");
	return read_version(img, n, version, len, err, errlen);
}

int bzimage_check_file(const char *path, char *version, size_t len, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	uint8_t *buf = malloc(MAX_FILE);
	size_t n = buf ? fread(buf, 1, MAX_FILE, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	int rc = -1;
	if (bad)
		snprintf(err, errlen, "%s: cannot read it", path);
	else if (bzimage_check(buf, n, version, len, err, errlen) == 0)
		rc = 0;
	else { /* name the file before the reason */
		char why[256];
		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", path, why);
	}
	free(buf);
	return rc;
}
