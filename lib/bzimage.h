/*
 * A Linux bzImage, checked before any backend boots it: the x86 boot
 * protocol's setup header (Documentation/arch/x86/boot.rst): boot_flag
 * 0xAA55 at 0x1FE, "HdrS" at 0x202, protocol 2.06 or later at 0x206
 * (64-bit kernels have at least that), and the kernel version string
 * the header points at (kernel_version at 0x20E, relative to 0x200).
 */
#ifndef FB_BZIMAGE_H
#define FB_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * 0 with the version string (up to its first NUL, cut to len - 1) in
 * version; -1 with the reason in err ("not a bzImage: no HdrS
 * signature at 0x202").
 */
int bzimage_check(const uint8_t *img, size_t n, char *version, size_t len,
		  char *err, size_t errlen);
/* The same for a file: also reading it can fail. */
int bzimage_check_file(const char *path, char *version, size_t len, char *err,
		       size_t errlen);

#endif
