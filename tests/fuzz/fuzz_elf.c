/*
 * elf_load (vmm/elf_load.c) on arbitrary images: the guest kernel file is
 * outside input. The image sits in a heap block of exactly its size and
 * guest RAM in one of exactly ram_size bytes, so ASan sees any access past
 * either; an accepted image must describe itself consistently.
 */
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "fb_abi.h"
#include "fuzz.h"

/* Small enough to keep BSS zeroing cheap, large enough for two segments
 * above FB_GPA_LOAD_MIN like the unit tests' image. */
#define RAM_SIZE (4u << 20)

static uint8_t *ram;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ram = malloc(RAM_SIZE);
	if (!ram)
		abort();
	return 0;
}

static void check_accepted(const struct elf_image *im)
{
	if (im->nsegments == 0)
		fuzz_fail("accepted with no segment");
	if (im->load_start < FB_GPA_LOAD_MIN || im->load_end > RAM_SIZE ||
	    im->load_start >= im->load_end)
		fuzz_fail("load range 0x%llx-0x%llx outside RAM",
			  (unsigned long long)im->load_start,
			  (unsigned long long)im->load_end);
	if (im->pvh_entry < im->load_start || im->pvh_entry >= im->load_end)
		fuzz_fail("entry 0x%llx outside the loaded range",
			  (unsigned long long)im->pvh_entry);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img = malloc(size ? size : 1);
	struct elf_image im;
	char err[256] = "";

	if (!img)
		abort();
	if (size)
		memcpy(img, data, size);
	if (elf_load(img, size, ram, RAM_SIZE, &im, err, sizeof(err)) == 0)
		check_accepted(&im);
	else
		fuzz_check_message("elf_load", err, NULL, 0);
	free(img);
	return 0;
}
