/* The newc cpio writer (cpio.h). */
#include <string.h>

#include "cpio.h"

static void pad4(FILE *f, size_t written)
{
	static const char zero[4];
	fwrite(zero, 1, (4 - written % 4) % 4, f);
}

/* One header, name and data; ino counts from 1 so no two files alias. */
static void entry(FILE *f, uint32_t ino, const struct cpio_entry *e)
{
	size_t namesize = strlen(e->name) + 1;
	uint32_t nlink = (e->mode & 0170000) == 0040000 ? 2 : 1;
	fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		ino, e->mode, 0u, 0u, nlink, 0u, e->size, 0u, 0u, 0u, 0u,
		namesize, 0u);
	fwrite(e->name, 1, namesize, f);
	pad4(f, 110 + namesize);
	if (e->size)
		fwrite(e->data, 1, e->size, f);
	pad4(f, e->size);
}

int cpio_write(FILE *f, const struct cpio_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		entry(f, (uint32_t)i + 1, &e[i]);
	const struct cpio_entry trailer = { "TRAILER!!!", 0, NULL, 0 };
	entry(f, 0, &trailer);
	return ferror(f) ? -1 : 0;
}
