/* Helpers shared by the fuzz targets (see fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fb_abi.h"
#include "fuzz.h"

void fuzz_argv_build(struct fuzz_argv *a, const char *prog,
		     const uint8_t *data, size_t size, int max)
{
	a->argv = calloc((size_t)max + 2, sizeof(*a->argv));
	if (!a->argv)
		abort();
	a->argv[0] = strdup(prog);
	a->argc = 1;
	size_t pos = 0;
	/* An input ending in NUL has no empty word after it; "" in the
	 * middle ("a\0\0b") is a real empty argument. */
	while (pos < size && a->argc <= max) {
		const uint8_t *nul = memchr(data + pos, 0, size - pos);
		size_t len = nul ? (size_t)(nul - data) - pos : size - pos;
		char *w = malloc(len + 1);
		if (!w)
			abort();
		memcpy(w, data + pos, len);
		w[len] = '\0';
		a->argv[a->argc++] = w;
		pos += len + 1;
	}
	a->argv[a->argc] = NULL;
	if (!a->argv[0])
		abort();
}

void fuzz_argv_free(struct fuzz_argv *a)
{
	/* Free by what was built: getopt may have permuted the array. */
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	a->argv = NULL;
	a->argc = 0;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("fuzz-input", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		/* Opening this reopens the memfd with its own offset. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz input file");
		abort();
	}
	return path;
}

size_t fuzz_fix_checksum(const char *line, size_t len, char *out)
{
	size_t body = len;
	char hex[9];

	if (len >= 10 && line[len - 10] == ' ' && line[len - 9] == '#')
		body = len - 10;
	memcpy(out, line, body);
	snprintf(hex, sizeof(hex), "%08x", (unsigned)fb_fnv1a32(line, body));
	memcpy(out + body, " #", 2);
	memcpy(out + body + 2, hex, 8);
	return body + 10;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz invariant broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void fuzz_check_message(const char *where, const char *err,
			const uint8_t *data, size_t size)
{
	if (!err[0])
		fuzz_fail("%s: failed without a reason", where);
	for (const char *p = err; *p; p++)
		if (((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) &&
		    !(size && memchr(data, *p, size)))
			fuzz_fail("%s: byte 0x%02x at %zu in message \"%s\"",
				  where, (unsigned char)*p, (size_t)(p - err),
				  err);
}
