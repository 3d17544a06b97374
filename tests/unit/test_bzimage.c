/*
 * Unit tests for the bzImage check (lib/bzimage.c). A setup header is
 * built here from the boot protocol's offsets, then broken one way at a
 * time; each image is a malloc'd buffer of exactly its length, so ASan
 * sees any read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bzimage.h"

#define IMG_SIZE 8192
#define VERSION "6.1.0-test (builder@example) #1 SMP"
#define VERSION_AT 0x800 /* inside the 4 setup sectors + boot sector */

static uint8_t img[IMG_SIZE];
static char version[256], err[512];

static void put16(size_t at, unsigned v)
{
	img[at] = (uint8_t)v;
	img[at + 1] = (uint8_t)(v >> 8);
}

/* Boot protocol 2.15: boot_flag, HdrS, loaded high, the version string. */
static void good(void)
{
	memset(img, 0, sizeof(img));
	img[0x1F1] = 4;                 /* setup_sects */
	put16(0x1FE, 0xAA55);           /* boot_flag */
	memcpy(img + 0x202, "HdrS", 4); /* header */
	put16(0x206, 0x020F);           /* version */
	put16(0x20E, VERSION_AT - 0x200); /* kernel_version */
	img[0x211] = 1;                 /* loadflags: LOADED_HIGH */
	memcpy(img + VERSION_AT, VERSION, sizeof(VERSION));
}

static int check(size_t n)
{
	uint8_t *copy = malloc(n);
	memcpy(copy, img, n);
	int rc = bzimage_check(copy, n, version, sizeof(version), err,
			       sizeof(err));
	free(copy);
	return rc;
}

static void refused(size_t n, const char *why)
{
	cr_assert_eq(check(n), -1, "accepted");
	cr_assert_not_null(strstr(err, why), "'%s' lacks '%s'", err, why);
	cr_assert_eq(strncmp(err, "not a bzImage: ", 15), 0, "%s", err);
}

Test(bzimage, good_header_gives_its_version)
{
	good();
	cr_assert_eq(check(IMG_SIZE), 0, "%s", err);
	cr_assert_str_eq(version, VERSION);
}

Test(bzimage, each_broken_field_is_named)
{
	good();
	refused(0x100, "shorter than a setup header");
	good();
	put16(0x1FE, 0);
	refused(IMG_SIZE, "0xAA55 at 0x1FE");
	good();
	memcpy(img + 0x202, "HdrX", 4);
	refused(IMG_SIZE, "HdrS signature at 0x202");
	good();
	put16(0x206, 0x0204);
	refused(IMG_SIZE, "older than 2.06");
	good();
	img[0x211] = 0;
	refused(IMG_SIZE, "zImage");
}

Test(bzimage, version_pointer_and_string_checked)
{
	good();
	put16(0x20E, 0);
	refused(IMG_SIZE, "0x20E");
	good();
	put16(0x20E, 0x3000); /* beyond the 5 setup sectors */
	refused(IMG_SIZE, "outside the setup code");
	good();
	memset(img + VERSION_AT, 'x', 5 * 512 - VERSION_AT); /* no NUL */
	refused(IMG_SIZE, "terminated");
	good();
	img[VERSION_AT] = 0x01; /* not printable */
	refused(IMG_SIZE, "printable");
	good();
	refused(VERSION_AT + 4, "terminated"); /* cut inside the string */
}

Test(bzimage, an_elf_is_not_a_bzimage)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	refused(IMG_SIZE, "0xAA55");
}

Test(bzimage, a_missing_file_is_named)
{
	cr_assert_eq(bzimage_check_file("/nonexistent/bz", version,
					sizeof(version), err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "/nonexistent/bz: No such file"), "%s", err);
}
