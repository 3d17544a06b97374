/*
 * mkinitramfs OUT NAME=FILE...: the Linux peer's initramfs, a newc cpio
 * (lib/cpio.h) holding each FILE as NAME with FILE's permission bits, and
 * the directories above each NAME. Written whole or not at all.
 * Exit 0, 1 a file could not be read or written, 2 bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_write.h"
#include "cpio.h"

#define MAX_ENTRIES 64

struct archive {
	struct cpio_entry e[MAX_ENTRIES];
	char *owned[MAX_ENTRIES]; /* names and data to free */
	size_t n, nowned;
};

static int add(struct archive *a, const char *name, unsigned mode,
	       void *data, size_t size)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->e[i].name, name) == 0)
			return 0; /* a directory named twice */
	if (a->n == MAX_ENTRIES) {
		fprintf(stderr, "mkinitramfs: more than %d entries\n", MAX_ENTRIES);
		return -1;
	}
	a->e[a->n++] = (struct cpio_entry){ name, mode, data, size };
	return 0;
}

/* "bin/x/true": the directories "bin" and "bin/x", parents first. */
static int add_parents(struct archive *a, const char *name)
{
	for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		char *dir = strndup(name, (size_t)(s - name));
		if (!dir)
			return -1;
		a->owned[a->nowned++] = dir;
		if (add(a, dir, 040755, NULL, 0) < 0)
			return -1;
	}
	return 0;
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	*len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	int bad = !buf || ferror(f) || *len != (size_t)st.st_size;
	fclose(f);
	if (bad) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	return buf;
}

static int add_file(struct archive *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || arg[0] == '/' || !eq[1]) {
		fprintf(stderr, "mkinitramfs: '%s': expected NAME=FILE, NAME "
			"relative\n", arg);
		return -2;
	}
	struct stat st;
	size_t len;
	char *name = strndup(arg, (size_t)(eq - arg));
	void *data = stat(eq + 1, &st) == 0 ? slurp(eq + 1, &len) : NULL;
	if (!name || !data) {
		fprintf(stderr, "mkinitramfs: %s: %s\n", eq + 1, strerror(errno));
		free(name);
		return -1;
	}
	a->owned[a->nowned++] = name;
	a->owned[a->nowned++] = data;
	if (add_parents(a, name) < 0)
		return -1;
	return add(a, name, 0100000 | (st.st_mode & 0777), data, len);
}

int main(int argc, char **argv)
{
	static struct archive a;
	char err[512];
	if (argc < 3) {
		fprintf(stderr, "usage: mkinitramfs OUT NAME=FILE...\n");
		return 2;
	}
	int rc = 0;
	for (int i = 2; i < argc && rc == 0 && a.nowned < MAX_ENTRIES - 3; i++)
		rc = add_file(&a, argv[i]);
	struct atomic_file out;
	if (rc == 0 && atomic_open(&out, argv[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "mkinitramfs: %s\n", err);
		rc = -1;
	}
	if (rc == 0) {
		cpio_write(out.f, a.e, a.n);
		if (atomic_close(&out, 1, err, sizeof(err)) < 0) {
			fprintf(stderr, "mkinitramfs: %s\n", err);
			rc = -1;
		}
	}
	for (size_t i = 0; i < a.nowned; i++)
		free(a.owned[i]);
	return rc == 0 ? 0 : rc == -2 ? 2 : 1;
}
