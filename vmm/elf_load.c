/*
 * Defensive loader for the guest kernel ELF (PVH boot); see elf_load.h.
 *
 * The image is untrusted input: every header is copied out of it with
 * memcpy (the buffer need not be aligned), and every offset and size is
 * checked in a form that cannot wrap (off > len || size > len - off)
 * before anything is read through it. Guest RAM is written only after the
 * whole image has been accepted, so a rejected image leaves it untouched.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "elf_load.h"
#include "fb_abi.h"

/* What every check needs: the image and where to report a rejection. */
struct loader {
	const uint8_t *img;
	uint64_t len;
	uint64_t ram_size;
	uint16_t phnum;
	uint64_t phoff;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int reject(const struct loader *ld, const char *fmt, ...)
{
	va_list ap;

	if (ld->err && ld->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(ld->err, ld->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* True when [off, off + size) lies inside [0, len); cannot overflow. */
static bool range_in(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static int check_ident(const struct loader *ld, const Elf64_Ehdr *eh)
{
	const unsigned char *id = eh->e_ident;

	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return reject(ld, "not an ELF file (bad magic)");
	if (id[EI_CLASS] != ELFCLASS64)
		return reject(ld, "ELF class %u is not ELF64", id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return reject(ld, "ELF data encoding %u is not little-endian",
			      id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return reject(ld, "ELF ident version %u is not EV_CURRENT",
			      id[EI_VERSION]);
	return 0;
}

static int check_ehdr(struct loader *ld)
{
	Elf64_Ehdr eh;
	uint64_t phsize;

	if (ld->len < sizeof(eh))
		return reject(ld, "file truncated: %" PRIu64 " bytes is shorter "
			      "than the %zu-byte ELF header", ld->len, sizeof(eh));
	memcpy(&eh, ld->img, sizeof(eh));

	if (check_ident(ld, &eh) < 0)
		return -1;
	if (eh.e_version != EV_CURRENT)
		return reject(ld, "ELF version %" PRIu32 " is not EV_CURRENT",
			      eh.e_version);
	if (eh.e_machine != EM_X86_64)
		return reject(ld, "e_machine %u is not x86-64", eh.e_machine);
	/* PVH boots a kernel linked at fixed physical addresses: no PIE. */
	if (eh.e_type != ET_EXEC)
		return reject(ld, "e_type %u is not ET_EXEC", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf64_Phdr))
		return reject(ld, "e_phentsize %u is not %zu", eh.e_phentsize,
			      sizeof(Elf64_Phdr));
	if (eh.e_phnum == 0)
		return reject(ld, "no program headers (e_phnum is 0)");
	/* The real count would live in section 0; a kernel never needs it. */
	if (eh.e_phnum == PN_XNUM)
		return reject(ld, "e_phnum 0x%x (extended numbering) is not "
			      "supported", eh.e_phnum);

	/* At most 0xfffe * 56 bytes: the product cannot overflow. */
	phsize = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
	if (!range_in(eh.e_phoff, phsize, ld->len))
		return reject(ld, "program headers at offset 0x%" PRIx64
			      " size 0x%" PRIx64 " exceed file size 0x%" PRIx64,
			      eh.e_phoff, phsize, ld->len);
	ld->phnum = eh.e_phnum;
	ld->phoff = eh.e_phoff;
	return 0;
}

/* Only valid after check_ehdr() has bounds-checked the whole table. */
static Elf64_Phdr get_phdr(const struct loader *ld, unsigned i)
{
	Elf64_Phdr ph;

	memcpy(&ph, ld->img + ld->phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

/* A PT_LOAD with nothing in memory has nothing to place or overlap. */
static bool is_loaded(const Elf64_Phdr *ph)
{
	return ph->p_type == PT_LOAD && ph->p_memsz != 0;
}

static int check_file_range(const struct loader *ld, unsigned i,
			    const Elf64_Phdr *ph)
{
	if (!range_in(ph->p_offset, ph->p_filesz, ld->len))
		return reject(ld, "segment %u: file range 0x%" PRIx64 "+0x%"
			      PRIx64 " beyond end of file (0x%" PRIx64
			      " bytes)", i, ph->p_offset, ph->p_filesz,
			      ld->len);
	return 0;
}

static int check_guest_range(const struct loader *ld, unsigned i,
			     const Elf64_Phdr *ph)
{
	uint64_t start = ph->p_paddr;

	if (ph->p_memsz > UINT64_MAX - start)
		return reject(ld, "segment %u: guest range 0x%" PRIx64 "+0x%"
			      PRIx64 " wraps around 2^64", i, start,
			      ph->p_memsz);
	/* Below FB_GPA_LOAD_MIN sit the start info, memmap and cmdline. */
	if (start < FB_GPA_LOAD_MIN ||
	    !range_in(start, ph->p_memsz, ld->ram_size))
		return reject(ld, "segment %u: guest range 0x%" PRIx64 "-0x%"
			      PRIx64 " outside RAM [0x%x, 0x%" PRIx64 ")", i,
			      start, start + ph->p_memsz, FB_GPA_LOAD_MIN,
			      ld->ram_size);
	return 0;
}

static int check_segment(const struct loader *ld, unsigned i,
			 const Elf64_Phdr *ph)
{
	if (ph->p_type == PT_NOTE)
		return check_file_range(ld, i, ph);
	if (ph->p_type != PT_LOAD)
		return 0;

	/* Checked even for p_memsz == 0: such a header is self-inconsistent. */
	if (ph->p_filesz > ph->p_memsz)
		return reject(ld, "segment %u: p_filesz 0x%" PRIx64
			      " exceeds p_memsz 0x%" PRIx64, i, ph->p_filesz,
			      ph->p_memsz);
	if (!is_loaded(ph))
		return 0;
	if (check_file_range(ld, i, ph) < 0 || check_guest_range(ld, i, ph) < 0)
		return -1;
	/* W^X as in Solo5: no guest page may start out writable and code. */
	if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return reject(ld, "segment %u is writable and executable", i);
	return 0;
}

/*
 * Pairwise, so quadratic in e_phnum; kernels have a handful of segments
 * and e_phnum is capped below PN_XNUM.
 */
static int check_overlaps(const struct loader *ld)
{
	for (unsigned i = 0; i < ld->phnum; i++) {
		Elf64_Phdr a = get_phdr(ld, i);

		if (!is_loaded(&a))
			continue;
		for (unsigned j = i + 1; j < ld->phnum; j++) {
			Elf64_Phdr b = get_phdr(ld, j);

			if (!is_loaded(&b))
				continue;
			/* Ends cannot wrap: check_guest_range() ran first. */
			if (a.p_paddr < b.p_paddr + b.p_memsz &&
			    b.p_paddr < a.p_paddr + a.p_memsz)
				return reject(ld, "segments %u and %u overlap "
					      "at 0x%" PRIx64, i, j,
					      a.p_paddr > b.p_paddr ?
					      a.p_paddr : b.p_paddr);
		}
	}
	return 0;
}

static int check_segments(const struct loader *ld)
{
	unsigned nloaded = 0;

	for (unsigned i = 0; i < ld->phnum; i++) {
		Elf64_Phdr ph = get_phdr(ld, i);

		if (check_segment(ld, i, &ph) < 0)
			return -1;
		if (is_loaded(&ph))
			nloaded++;
	}
	if (nloaded == 0)
		return reject(ld, "no loadable segment (PT_LOAD with p_memsz > 0)");
	return check_overlaps(ld);
}

/* Note fields are padded to 4 bytes; as uint64_t this cannot overflow. */
static uint64_t note_pad(uint32_t n)
{
	return ((uint64_t)n + 3) & ~(uint64_t)3;
}

static bool is_pvh_note(const Elf64_Nhdr *nh, const uint8_t *name)
{
	return nh->n_namesz == 4 && memcmp(name, "Xen", 4) == 0 &&
	       nh->n_type == XEN_ELFNOTE_PHYS32_ENTRY;
}

/* desc is 4 bytes, or 8 (a 64-bit value) as some toolchains emit it. */
static int read_pvh_desc(const struct loader *ld, unsigned i,
			 const Elf64_Nhdr *nh, const uint8_t *desc,
			 uint64_t *entry)
{
	uint32_t e32;
	uint64_t e64;

	if (nh->n_descsz == 4) {
		memcpy(&e32, desc, sizeof(e32));
		*entry = e32;
		return 0;
	}
	if (nh->n_descsz != 8)
		return reject(ld, "segment %u: PVH entry note has descsz %"
			      PRIu32 ", not 4 or 8", i, nh->n_descsz);
	memcpy(&e64, desc, sizeof(e64));
	/* The entry runs in 32-bit protected mode. */
	if (e64 > UINT32_MAX)
		return reject(ld, "segment %u: PVH entry 0x%" PRIx64
			      " does not fit in 32 bits", i, e64);
	*entry = e64;
	return 0;
}

/*
 * Walk the notes of one PT_NOTE segment (file range already checked).
 * Returns 1 with *entry set when the PVH note is found, 0 when the segment
 * has none, -1 on a malformed note. Fewer than a note header's bytes left
 * over at the end are taken as padding.
 */
static int scan_notes(const struct loader *ld, unsigned i,
		      const Elf64_Phdr *ph, uint64_t *entry)
{
	const uint8_t *seg = ld->img + ph->p_offset;
	uint64_t pos = 0, left, namelen, desclen;
	Elf64_Nhdr nh;

	while (ph->p_filesz - pos >= sizeof(nh)) {
		memcpy(&nh, seg + pos, sizeof(nh));
		pos += sizeof(nh);
		left = ph->p_filesz - pos;
		namelen = note_pad(nh.n_namesz);
		desclen = note_pad(nh.n_descsz);
		if (namelen > left || desclen > left - namelen)
			return reject(ld, "segment %u: truncated note at 0x%"
				      PRIx64 ": name 0x%" PRIx32 " + desc 0x%"
				      PRIx32 " bytes exceed the 0x%" PRIx64
				      " left in the segment", i,
				      pos - sizeof(nh), nh.n_namesz,
				      nh.n_descsz, left);
		if (is_pvh_note(&nh, seg + pos)) {
			if (read_pvh_desc(ld, i, &nh, seg + pos + namelen,
					  entry) < 0)
				return -1;
			return 1;
		}
		pos += namelen + desclen;
	}
	return 0;
}

static int find_pvh_entry(const struct loader *ld, uint64_t *entry)
{
	for (unsigned i = 0; i < ld->phnum; i++) {
		Elf64_Phdr ph = get_phdr(ld, i);
		int found;

		if (ph.p_type != PT_NOTE)
			continue;
		found = scan_notes(ld, i, &ph, entry);
		if (found != 0)
			return found < 0 ? -1 : 0;
	}
	return reject(ld, "no PVH entry note (Xen note type %d)",
		      XEN_ELFNOTE_PHYS32_ENTRY);
}

/* Jumping to a byte we did not load would run whatever RAM held. */
static int check_entry(const struct loader *ld, uint64_t entry)
{
	for (unsigned i = 0; i < ld->phnum; i++) {
		Elf64_Phdr ph = get_phdr(ld, i);

		if (is_loaded(&ph) && entry >= ph.p_paddr &&
		    entry - ph.p_paddr < ph.p_memsz)
			return 0;
	}
	return reject(ld, "PVH entry 0x%" PRIx64 " is outside every loaded "
		      "segment", entry);
}

/* Only called once everything is checked: the sole writer of guest RAM. */
static void copy_segments(const struct loader *ld, uint8_t *ram,
			  struct elf_image *out)
{
	out->load_start = UINT64_MAX;
	out->load_end = 0;
	out->nsegments = 0;
	for (unsigned i = 0; i < ld->phnum; i++) {
		Elf64_Phdr ph = get_phdr(ld, i);
		uint8_t *dst;

		/* p_paddr of any other header may be anything: no ram + it. */
		if (!is_loaded(&ph))
			continue;
		dst = ram + ph.p_paddr;
		memcpy(dst, ld->img + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		if (ph.p_paddr < out->load_start)
			out->load_start = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > out->load_end)
			out->load_end = ph.p_paddr + ph.p_memsz;
		out->nsegments++;
	}
}

int elf_load(const uint8_t *img, size_t len, uint8_t *ram, uint64_t ram_size,
	     struct elf_image *out, char *err, size_t errlen)
{
	struct loader ld = {
		.img = img,
		.len = len,
		.ram_size = ram_size,
		.err = err,
		.errlen = errlen,
	};
	uint64_t entry = 0;

	if (check_ehdr(&ld) < 0 || check_segments(&ld) < 0 ||
	    find_pvh_entry(&ld, &entry) < 0 || check_entry(&ld, entry) < 0)
		return -1;
	copy_segments(&ld, ram, out);
	out->pvh_entry = entry;
	return 0;
}

int elf_check(const uint8_t *img, size_t len, uint64_t ram_size, char *err,
	      size_t errlen)
{
	/* NORESERVE: only the pages a segment lands on are ever touched. */
	uint8_t *scratch = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				-1, 0);
	if (scratch == MAP_FAILED) {
		snprintf(err, errlen, "cannot map %llu MiB to check the image: %s",
			 (unsigned long long)(ram_size >> 20), strerror(errno));
		return -1;
	}
	struct elf_image image;
	int rc = elf_load(img, len, scratch, ram_size, &image, err, errlen);
	munmap(scratch, ram_size);
	return rc;
}
