/*
 * Writing an initramfs: the "newc" cpio format the Linux kernel unpacks
 * (Documentation/driver-api/early-userspace/buffer-format.rst): per file
 * a 110-byte ASCII header ("070701" and 13 8-digit hex fields), the name
 * with its NUL, padding to 4 bytes, the data, padding to 4 bytes; then a
 * "TRAILER!!!" entry. Uncompressed: the kernel takes it as it is.
 */
#ifndef FB_CPIO_H
#define FB_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cpio_entry {
	const char *name;  /* relative, no leading '/': "init", "bin/true" */
	uint32_t mode;     /* with the type bits: 0100755, 040755 */
	const void *data;  /* NULL for a directory */
	size_t size;
};

/* Write the entries and the trailer to f. 0, or -1 (ferror(f) says). */
int cpio_write(FILE *f, const struct cpio_entry *e, size_t n);

#endif
