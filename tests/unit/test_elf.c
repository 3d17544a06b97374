/*
 * Unit tests for the guest ELF loader (vmm/elf_load.c).
 *
 * Every image is built here in memory from a known-good layout and then
 * broken in exactly one way, so each rejection test pins one check. Images
 * are handed to the loader in a malloc'd buffer of exactly their length,
 * so ASan catches any read past the end, and guest RAM is pre-filled with
 * 0xAA so "RAM untouched" and "BSS zeroed" are both observable.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "elf_load.h"
#include "fb_abi.h"

#define RAM_SIZE (4u << 20)
#define RAM_FILL 0xAA

/*
 * The valid image:
 *   0x000  Elf64_Ehdr
 *   0x040  3 x Elf64_Phdr: PT_NOTE, PT_LOAD text (R+X), PT_LOAD data (R+W)
 *   0x0e8  Xen PVH note (20 bytes; 24 with an 8-byte desc)
 *   0x100  text: 64 bytes at TEXT_GPA
 *   0x140  data: 32 bytes at DATA_GPA, then BSS up to DATA_MEMSZ
 */
enum { PH_NOTE, PH_TEXT, PH_DATA, NPH };

#define PH_OFF sizeof(Elf64_Ehdr)
#define NOTE_OFF (PH_OFF + NPH * sizeof(Elf64_Phdr))
#define TEXT_OFF 0x100u
#define TEXT_LEN 0x40u
#define DATA_OFF (TEXT_OFF + TEXT_LEN)
#define DATA_LEN 0x20u
#define IMG_LEN (DATA_OFF + DATA_LEN)
#define TEXT_GPA 0x100000u
#define DATA_GPA 0x200000u
#define DATA_MEMSZ 0x1000u
#define ENTRY (TEXT_GPA + 0x10)

struct image {
	uint8_t buf[IMG_LEN];
	size_t len;
};

static uint8_t *ram;

static void ram_setup(void)
{
	ram = malloc(RAM_SIZE);
	cr_assert_not_null(ram);
	memset(ram, RAM_FILL, RAM_SIZE);
}

static void ram_teardown(void)
{
	free(ram);
}

TestSuite(elf, .init = ram_setup, .fini = ram_teardown);

/* By chunks with memcmp: the robustness tests check all of RAM often. */
static bool ram_is_fill(uint64_t from, uint64_t to)
{
	static uint8_t fill[4096];
	uint64_t n;

	if (fill[0] != RAM_FILL)
		memset(fill, RAM_FILL, sizeof(fill));
	for (; from < to; from += n) {
		n = to - from < sizeof(fill) ? to - from : sizeof(fill);
		if (memcmp(ram + from, fill, n) != 0)
			return false;
	}
	return true;
}

/* Memory is accessed via memcpy: the buffer holds bytes, not structs. */
static Elf64_Ehdr get_eh(const struct image *im)
{
	Elf64_Ehdr eh;

	memcpy(&eh, im->buf, sizeof(eh));
	return eh;
}

static void put_eh(struct image *im, const Elf64_Ehdr *eh)
{
	memcpy(im->buf, eh, sizeof(*eh));
}

static Elf64_Phdr get_ph(const struct image *im, unsigned i)
{
	Elf64_Phdr ph;

	memcpy(&ph, im->buf + PH_OFF + i * sizeof(ph), sizeof(ph));
	return ph;
}

static void put_ph(struct image *im, unsigned i, const Elf64_Phdr *ph)
{
	memcpy(im->buf + PH_OFF + i * sizeof(*ph), ph, sizeof(*ph));
}

static Elf64_Nhdr get_nh(const struct image *im)
{
	Elf64_Nhdr nh;

	memcpy(&nh, im->buf + NOTE_OFF, sizeof(nh));
	return nh;
}

static void put_nh(struct image *im, const Elf64_Nhdr *nh)
{
	memcpy(im->buf + NOTE_OFF, nh, sizeof(*nh));
}

static uint8_t text_byte(unsigned i)
{
	return (uint8_t)(0x10 + 3 * i);
}

static uint8_t data_byte(unsigned i)
{
	return (uint8_t)(0xC0 ^ i);
}

static Elf64_Phdr make_phdr(uint32_t type, uint32_t flags, uint64_t off,
			    uint64_t gpa, uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr ph = {
		.p_type = type,
		.p_flags = flags,
		.p_offset = off,
		.p_vaddr = gpa,
		.p_paddr = gpa,
		.p_filesz = filesz,
		.p_memsz = memsz,
		.p_align = type == PT_NOTE ? 4 : 0x1000,
	};
	return ph;
}

/* The Xen PVH note with a 4- or 8-byte little-endian entry. */
static size_t put_pvh_note(struct image *im, uint32_t descsz, uint64_t entry)
{
	Elf64_Nhdr nh = {
		.n_namesz = 4,
		.n_descsz = descsz,
		.n_type = XEN_ELFNOTE_PHYS32_ENTRY,
	};
	uint8_t *p = im->buf + NOTE_OFF;

	put_nh(im, &nh);
	memcpy(p + sizeof(nh), "Xen", 4);
	memcpy(p + sizeof(nh) + 4, &entry, descsz);
	return sizeof(nh) + 4 + descsz;
}

static void build_image(struct image *im, uint32_t descsz, uint64_t entry)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV },
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = entry,
		.e_phoff = PH_OFF,
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = NPH,
	};
	Elf64_Phdr ph;
	size_t notesz;

	memset(im, 0, sizeof(*im));
	im->len = IMG_LEN;
	put_eh(im, &eh);
	notesz = put_pvh_note(im, descsz, entry);
	cr_assert_leq(NOTE_OFF + notesz, TEXT_OFF);

	ph = make_phdr(PT_NOTE, PF_R, NOTE_OFF, 0, notesz, notesz);
	put_ph(im, PH_NOTE, &ph);
	ph = make_phdr(PT_LOAD, PF_R | PF_X, TEXT_OFF, TEXT_GPA, TEXT_LEN,
		       TEXT_LEN);
	put_ph(im, PH_TEXT, &ph);
	ph = make_phdr(PT_LOAD, PF_R | PF_W, DATA_OFF, DATA_GPA, DATA_LEN,
		       DATA_MEMSZ);
	put_ph(im, PH_DATA, &ph);

	for (unsigned i = 0; i < TEXT_LEN; i++)
		im->buf[TEXT_OFF + i] = text_byte(i);
	for (unsigned i = 0; i < DATA_LEN; i++)
		im->buf[DATA_OFF + i] = data_byte(i);
}

static void build_valid(struct image *im)
{
	build_image(im, 4, ENTRY);
}

/* Exactly len bytes on the heap, so any over-read trips ASan. */
static int load_n(const struct image *im, size_t len, struct elf_image *out,
		  char *err, size_t errlen)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	cr_assert_not_null(copy);
	memcpy(copy, im->buf, len);
	rc = elf_load(copy, len, ram, RAM_SIZE, out, err, errlen);
	free(copy);
	return rc;
}

static int load(const struct image *im, struct elf_image *out, char *err,
		size_t errlen)
{
	return load_n(im, im->len, out, err, errlen);
}

static void expect_reject_n(const struct image *im, size_t len,
			    const char *word)
{
	struct elf_image out;
	char err[256] = "";

	cr_assert_eq(load_n(im, len, &out, err, sizeof(err)), -1,
		     "image accepted, expected rejection with \"%s\"", word);
	cr_assert_neq(err[0], '\0', "rejected without a reason");
	cr_assert_null(strchr(err, '\n'), "reason has a newline: \"%s\"", err);
	cr_assert_not_null(strstr(err, word), "reason \"%s\" lacks \"%s\"",
			   err, word);
	cr_assert(ram_is_fill(0, RAM_SIZE), "RAM written on rejection (%s)",
		  err);
}

static void expect_reject(const struct image *im, const char *word)
{
	expect_reject_n(im, im->len, word);
}

static void expect_accept(const struct image *im, struct elf_image *out)
{
	char err[256] = "";

	cr_assert_eq(load(im, out, err, sizeof(err)), 0, "rejected: %s", err);
}

/* ---- valid images ------------------------------------------------------ */

Test(elf, valid_image_loads)
{
	struct image im;
	struct elf_image out;

	build_valid(&im);
	expect_accept(&im, &out);

	cr_assert_eq(out.pvh_entry, ENTRY);
	cr_assert_eq(out.load_start, TEXT_GPA);
	cr_assert_eq(out.load_end, DATA_GPA + DATA_MEMSZ);
	cr_assert_eq(out.nsegments, 2);
	for (unsigned i = 0; i < TEXT_LEN; i++)
		cr_assert_eq(ram[TEXT_GPA + i], text_byte(i), "text byte %u", i);
	for (unsigned i = 0; i < DATA_LEN; i++)
		cr_assert_eq(ram[DATA_GPA + i], data_byte(i), "data byte %u", i);
	for (unsigned i = DATA_LEN; i < DATA_MEMSZ; i++)
		cr_assert_eq(ram[DATA_GPA + i], 0, "BSS byte 0x%x not zeroed", i);
	/* Nothing outside the segments is written. */
	cr_assert(ram_is_fill(0, TEXT_GPA));
	cr_assert(ram_is_fill(TEXT_GPA + TEXT_LEN, DATA_GPA));
	cr_assert(ram_is_fill(DATA_GPA + DATA_MEMSZ, RAM_SIZE));
}

Test(elf, pvh_note_with_8_byte_desc_loads)
{
	struct image im;
	struct elf_image out;

	build_image(&im, 8, ENTRY);
	expect_accept(&im, &out);
	cr_assert_eq(out.pvh_entry, ENTRY);
}

Test(elf, unaligned_image_buffer_loads)
{
	struct image im;
	struct elf_image out;
	char err[256] = "";
	uint8_t *buf;

	build_valid(&im);
	buf = malloc(im.len + 1);
	cr_assert_not_null(buf);
	memcpy(buf + 1, im.buf, im.len);
	cr_assert_eq(elf_load(buf + 1, im.len, ram, RAM_SIZE, &out, err,
			      sizeof(err)), 0, "rejected: %s", err);
	free(buf);
	cr_assert_eq(out.pvh_entry, ENTRY);
}

Test(elf, adjacent_segments_do_not_overlap)
{
	struct image im;
	struct elf_image out;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_paddr = TEXT_GPA + TEXT_LEN;
	put_ph(&im, PH_DATA, &ph);
	expect_accept(&im, &out);
	cr_assert_eq(out.load_end, TEXT_GPA + TEXT_LEN + DATA_MEMSZ);
}

Test(elf, segment_ending_at_ram_size_loads)
{
	struct image im;
	struct elf_image out;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_paddr = RAM_SIZE - DATA_MEMSZ;
	put_ph(&im, PH_DATA, &ph);
	expect_accept(&im, &out);
	cr_assert_eq(out.load_end, RAM_SIZE);
	cr_assert_eq(ram[RAM_SIZE - 1], 0);
}

Test(elf, zero_size_load_segment_is_ignored)
{
	struct image im;
	struct elf_image out;
	Elf64_Phdr ph;

	/*
	 * Turn the text header into the note header and put an empty PT_LOAD
	 * in the note's slot that would fail every check if it were looked
	 * at: W+X, at address 0, file offset past the end.
	 */
	build_image(&im, 4, DATA_GPA);
	ph = get_ph(&im, PH_NOTE);
	put_ph(&im, PH_TEXT, &ph);
	ph = make_phdr(PT_LOAD, PF_R | PF_W | PF_X, UINT64_MAX, 0, 0, 0);
	put_ph(&im, PH_NOTE, &ph);
	expect_accept(&im, &out);
	cr_assert_eq(out.nsegments, 1);
	cr_assert_eq(out.load_start, DATA_GPA);
	cr_assert_eq(out.pvh_entry, DATA_GPA);
}

Test(elf, long_reason_is_cut_to_errlen)
{
	struct image im;
	struct elf_image out;
	char err[8];

	build_valid(&im);
	im.buf[0] = 0;
	memset(err, 'x', sizeof(err));
	cr_assert_eq(load(&im, &out, err, sizeof(err)), -1);
	cr_assert_eq(strlen(err), sizeof(err) - 1);
	cr_assert_eq(load(&im, &out, NULL, 0), -1);
}

/* ---- malformed ELF header ---------------------------------------------- */

Test(elf, rejects_bad_magic)
{
	struct image im;

	build_valid(&im);
	im.buf[EI_MAG1] = 'X';
	expect_reject(&im, "magic");
}

Test(elf, rejects_32_bit_class)
{
	struct image im;

	build_valid(&im);
	im.buf[EI_CLASS] = ELFCLASS32;
	expect_reject(&im, "ELF64");
}

Test(elf, rejects_big_endian)
{
	struct image im;

	build_valid(&im);
	im.buf[EI_DATA] = ELFDATA2MSB;
	expect_reject(&im, "little-endian");
}

Test(elf, rejects_bad_version)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_version = 2;
	put_eh(&im, &eh);
	expect_reject(&im, "EV_CURRENT");
}

Test(elf, rejects_wrong_machine)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_machine = EM_386;
	put_eh(&im, &eh);
	expect_reject(&im, "x86-64");
}

Test(elf, rejects_not_exec)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_type = ET_DYN;
	put_eh(&im, &eh);
	expect_reject(&im, "ET_EXEC");
}

Test(elf, rejects_file_shorter_than_header)
{
	struct image im;

	build_valid(&im);
	expect_reject_n(&im, sizeof(Elf64_Ehdr) - 1, "truncated");
}

Test(elf, rejects_phdrs_past_eof)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_phoff = IMG_LEN - NPH * sizeof(Elf64_Phdr) + 1;
	put_eh(&im, &eh);
	expect_reject(&im, "exceed");
}

Test(elf, rejects_phoff_that_wraps)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_phoff = UINT64_MAX - 8;
	put_eh(&im, &eh);
	expect_reject(&im, "exceed");
}

Test(elf, rejects_wrong_phentsize)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_phentsize = sizeof(Elf32_Phdr);
	put_eh(&im, &eh);
	expect_reject(&im, "e_phentsize");
}

Test(elf, rejects_zero_phnum)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_phnum = 0;
	put_eh(&im, &eh);
	expect_reject(&im, "e_phnum");
}

Test(elf, rejects_extended_phnum)
{
	struct image im;
	Elf64_Ehdr eh;

	build_valid(&im);
	eh = get_eh(&im);
	eh.e_phnum = PN_XNUM;
	put_eh(&im, &eh);
	expect_reject(&im, "extended");
}

/* ---- malformed PT_LOAD segments ---------------------------------------- */

Test(elf, rejects_segment_file_range_past_eof)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_offset = IMG_LEN - DATA_LEN + 1;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "beyond end of file");
}

Test(elf, rejects_segment_file_offset_that_wraps)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_offset = UINT64_MAX - 4;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "beyond end of file");
}

Test(elf, rejects_filesz_above_memsz)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_TEXT);
	ph.p_memsz = TEXT_LEN - 1;
	put_ph(&im, PH_TEXT, &ph);
	expect_reject(&im, "exceeds p_memsz");
}

Test(elf, rejects_segment_below_load_min)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_TEXT);
	ph.p_paddr = FB_GPA_LOAD_MIN - 1;
	put_ph(&im, PH_TEXT, &ph);
	expect_reject(&im, "outside RAM");
}

Test(elf, rejects_segment_beyond_ram)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_paddr = RAM_SIZE - DATA_MEMSZ + 1;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "outside RAM");
}

Test(elf, rejects_segment_larger_than_ram)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_memsz = UINT64_MAX - DATA_GPA;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "outside RAM");
}

Test(elf, rejects_guest_range_that_wraps)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_paddr = UINT64_MAX - 0xfff;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "wraps");
}

Test(elf, rejects_overlapping_segments)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_DATA);
	ph.p_paddr = TEXT_GPA + TEXT_LEN - 1;
	put_ph(&im, PH_DATA, &ph);
	expect_reject(&im, "overlap");
}

/* The other order: the earlier header starts on the later one's last byte. */
Test(elf, rejects_segment_overlapping_last_byte)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_TEXT);
	ph.p_paddr = DATA_GPA + DATA_MEMSZ - 1;
	put_ph(&im, PH_TEXT, &ph);
	expect_reject(&im, "overlap");
}

Test(elf, rejects_segment_containing_another)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_TEXT);
	ph.p_paddr = DATA_GPA + 0x100;
	put_ph(&im, PH_TEXT, &ph);
	expect_reject(&im, "overlap");
}

Test(elf, rejects_writable_executable_segment)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_TEXT);
	ph.p_flags |= PF_W;
	put_ph(&im, PH_TEXT, &ph);
	expect_reject(&im, "writable and executable");
}

Test(elf, rejects_no_load_segment)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	for (unsigned i = PH_TEXT; i <= PH_DATA; i++) {
		ph = get_ph(&im, i);
		ph.p_type = PT_NULL;
		put_ph(&im, i, &ph);
	}
	expect_reject(&im, "no loadable segment");
}

Test(elf, rejects_only_empty_load_segments)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	for (unsigned i = PH_TEXT; i <= PH_DATA; i++) {
		ph = get_ph(&im, i);
		ph.p_filesz = 0;
		ph.p_memsz = 0;
		put_ph(&im, i, &ph);
	}
	expect_reject(&im, "no loadable segment");
}

/* ---- PVH note ---------------------------------------------------------- */

Test(elf, rejects_missing_pvh_note)
{
	struct image im;
	Elf64_Nhdr nh;

	build_valid(&im);
	nh = get_nh(&im);
	nh.n_type = XEN_ELFNOTE_PHYS32_ENTRY - 1;
	put_nh(&im, &nh);
	expect_reject(&im, "no PVH entry note");
}

Test(elf, rejects_note_with_wrong_name)
{
	struct image im;

	build_valid(&im);
	im.buf[NOTE_OFF + sizeof(Elf64_Nhdr) + 2] = 'm';
	expect_reject(&im, "no PVH entry note");
}

Test(elf, rejects_no_note_segment)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_NOTE);
	ph.p_type = PT_NULL;
	put_ph(&im, PH_NOTE, &ph);
	expect_reject(&im, "no PVH entry note");
}

Test(elf, rejects_truncated_note)
{
	struct image im;
	Elf64_Nhdr nh;

	build_valid(&im);
	nh = get_nh(&im);
	nh.n_descsz = 0x100;
	put_nh(&im, &nh);
	expect_reject(&im, "truncated note");
}

Test(elf, rejects_note_namesz_that_would_wrap)
{
	struct image im;
	Elf64_Nhdr nh;

	build_valid(&im);
	nh = get_nh(&im);
	nh.n_namesz = UINT32_MAX;
	put_nh(&im, &nh);
	expect_reject(&im, "truncated note");
}

Test(elf, rejects_note_segment_past_eof)
{
	struct image im;
	Elf64_Phdr ph;

	build_valid(&im);
	ph = get_ph(&im, PH_NOTE);
	ph.p_filesz = IMG_LEN;
	put_ph(&im, PH_NOTE, &ph);
	expect_reject(&im, "beyond end of file");
}

Test(elf, rejects_bad_pvh_descsz)
{
	struct image im;
	Elf64_Nhdr nh;

	build_valid(&im);
	nh = get_nh(&im);
	nh.n_descsz = 2;
	put_nh(&im, &nh);
	expect_reject(&im, "descsz");
}

Test(elf, rejects_64_bit_pvh_entry)
{
	struct image im;

	build_image(&im, 8, (uint64_t)1 << 32 | ENTRY);
	expect_reject(&im, "32 bits");
}

Test(elf, rejects_entry_outside_segments)
{
	struct image im;

	/* In RAM, between the two segments, but not loaded. */
	build_image(&im, 4, TEXT_GPA + TEXT_LEN);
	expect_reject(&im, "outside every loaded segment");
}

Test(elf, rejects_entry_one_past_bss)
{
	struct image im;

	build_image(&im, 4, DATA_GPA + DATA_MEMSZ);
	expect_reject(&im, "outside every loaded segment");
}

/* ---- robustness -------------------------------------------------------- */

Test(elf, every_truncation_fails)
{
	struct image im;
	struct elf_image out;
	char err[256];

	build_valid(&im);
	for (size_t n = 0; n < im.len; n++) {
		err[0] = '\0';
		cr_assert_eq(load_n(&im, n, &out, err, sizeof(err)), -1,
			     "prefix of %zu bytes accepted", n);
		cr_assert_neq(err[0], '\0', "prefix %zu: no reason", n);
		cr_assert(ram_is_fill(0, RAM_SIZE), "prefix %zu wrote RAM", n);
	}
	expect_accept(&im, &out);
}

/*
 * Every byte of the headers and note set to a few hostile values: the
 * loader must never crash, and whatever it accepts must still lie in RAM.
 */
Test(elf, single_byte_mutations_are_safe)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct image im, good;
	struct elf_image out;
	char err[256];

	build_valid(&good);
	for (size_t pos = 0; pos < TEXT_OFF; pos++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			im = good;
			im.buf[pos] = vals[v];
			if (load(&im, &out, err, sizeof(err)) < 0) {
				cr_assert(ram_is_fill(0, RAM_SIZE),
					  "byte 0x%zx=0x%x: rejected (%s) "
					  "but RAM written", pos, vals[v], err);
				continue;
			}
			cr_assert_geq(out.load_start, FB_GPA_LOAD_MIN);
			cr_assert_leq(out.load_end, RAM_SIZE);
			cr_assert_geq(out.pvh_entry, out.load_start);
			cr_assert_lt(out.pvh_entry, out.load_end);
			memset(ram, RAM_FILL, RAM_SIZE);
		}
	}
}
