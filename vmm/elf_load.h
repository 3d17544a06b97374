/*
 * Defensive loader for the guest kernel ELF (PVH boot).
 *
 * Solo5-style: every offset and size from the file is checked before use,
 * and an image is rejected with one line naming what is wrong rather than
 * loaded partly.
 */
#ifndef FB_ELF_LOAD_H
#define FB_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct elf_image {
	uint64_t pvh_entry;  /* 32-bit PVH entry from XEN_ELFNOTE_PHYS32_ENTRY */
	uint64_t load_start; /* lowest p_paddr of any PT_LOAD */
	uint64_t load_end;   /* highest p_paddr + p_memsz of any PT_LOAD */
	unsigned nsegments;  /* PT_LOAD segments loaded */
};

/*
 * Check the ELF image img[0..len) and, only if all of it is acceptable,
 * copy every PT_LOAD segment to ram + p_paddr and zero-fill its BSS
 * (p_memsz beyond p_filesz). ram is ram_size bytes of guest memory at
 * guest-physical 0; segments must lie within [FB_GPA_LOAD_MIN, ram_size).
 *
 * Returns 0 and fills *out, or -1 with a one-line reason in err (no
 * trailing newline) and guest RAM untouched.
 */
int elf_load(const uint8_t *img, size_t len, uint8_t *ram, uint64_t ram_size,
	     struct elf_image *out, char *err, size_t errlen);

/*
 * Would elf_load accept img for ram_size bytes of guest RAM? Loads into
 * scratch memory, so every backend judges an image alike, before it
 * touches KVM or starts QEMU. 0, or -1 with the reason in err.
 */
int elf_check(const uint8_t *img, size_t len, uint64_t ram_size, char *err,
	      size_t errlen);

#endif
