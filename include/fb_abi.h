/*
 * The guest/host ABI of forkbench: everything both sides must agree on.
 *
 * Included by the freestanding guest kernel and by the host tools, so it
 * uses nothing but <stdint.h> and plain C.
 *
 * The guest talks to the host through three I/O ports:
 *   COM1 (0x3f8)      console bytes; works on every backend.
 *   FB_PORT_HCALL     our VMM only: "write this buffer to the console
 *                     stream" in one exit instead of one exit per byte.
 *   FB_PORT_EXIT      the run's final status (QEMU's isa-debug-exit port).
 * Records (measurements, test results) are lines in the console stream,
 * so every backend delivers exactly the same bytes to the same parser.
 */
#ifndef FB_ABI_H
#define FB_ABI_H

#define FB_ABI_VERSION 1

/* ---- I/O ports ---------------------------------------------------------- */
#define FB_PORT_COM1 0x3f8
#define FB_PORT_COM1_LSR (FB_PORT_COM1 + 5)
#define FB_COM1_LSR_THRE 0x20 /* transmit holding register empty */
#define FB_COM1_LSR_TEMT 0x40 /* transmitter empty */
#define FB_PORT_EXIT 0xf4
#define FB_PORT_HCALL 0x4f0

/*
 * Reading FB_PORT_HCALL (32 bits) returns this under our VMM; QEMU returns
 * all ones for an unclaimed port, so the guest knows which path it has.
 */
#define FB_HCALL_MAGIC 0x31304246u /* "FB01" little endian */

/*
 * An hcall: the guest writes the guest-physical address of this header
 * with a 32-bit OUT to FB_PORT_HCALL. The VMM bounds-checks the header and
 * the payload against guest RAM before touching either.
 */
#define FB_HC_CONSOLE_WRITE 1 /* payload: len bytes of console stream */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct fb_hcall {
	uint32_t op;
	uint32_t len;
	uint64_t data_gpa;
};
#endif

/* ---- run status written to FB_PORT_EXIT --------------------------------- */
/*
 * QEMU's isa-debug-exit ends QEMU with status (value << 1) | 1, so a
 * QEMU that fails to start (status 1) would look like value 0. None of the
 * values below is 0, and all stay below 128 so the shifted status still
 * fits in an exit code.
 */
#define FB_STATUS_PASS 0x10      /* command ran, everything passed */
#define FB_STATUS_FAIL 0x11      /* command ran, a check failed */
#define FB_STATUS_EXCEPTION 0x12 /* unexpected CPU exception in the guest */
#define FB_STATUS_BADCMD 0x13    /* command line not understood */
#define FB_STATUS_NOMEM 0x14     /* guest RAM too small for the request */

/* ---- records ------------------------------------------------------------ */
/*
 * One record is one line of the console stream:
 *
 *   @FB1 seq=<n> type=<type> key=value ... #<fnv1a32 as 8 hex digits>
 *
 * "@FB" + ABI version, then space-separated key=value fields whose first
 * two are always seq (0, 1, 2, ... with no gaps) and type. The checksum
 * covers every byte from '@' up to (not including) the space before '#'.
 * Keys are [a-z0-9_]+; values are printable ASCII without spaces.
 */
#define FB_REC_PREFIX "@FB1 "
#define FB_REC_LINE_MAX 512  /* bytes, without the newline */
#define FB_REC_KEY_MAX 31
#define FB_REC_VALUE_MAX 127
#define FB_REC_FIELDS_MAX 24 /* including seq and type */

#ifndef __ASSEMBLER__
/* FNV-1a, 32 bit: cheap enough for a guest whose ring 0 may be emulated. */
static inline uint32_t fb_fnv1a32(const char *s, unsigned long n)
{
	uint32_t h = 2166136261u;
	for (unsigned long i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}
#endif

/* ---- guest command line ------------------------------------------------- */
/*
 * Space separated. key=value tokens set kernel parameters (tsc_khz=N, set
 * by the host); the first bare word is the command, the rest its arguments.
 */
#define FB_CMDLINE_MAX 1024

/* ---- PVH boot (Xen's hvm_start_info, version 1) ------------------------- */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578u
#define XEN_HVM_MEMMAP_TYPE_RAM 1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2

#ifdef __ASSEMBLER__
/*
 * The ELF note that names a PVH guest's 32-bit entry point, on a line of
 * its own in .S files: FB_PVH_NOTE(pvh_start). One for every guest image
 * (the kernel, the boot benchmark's empty guest, the plugin's smoke one).
 */
#define FB_PVH_NOTE(entry)                                                 \
	.pushsection .note.pvh, "a", @note;                                \
	.align 4;                                                          \
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY;                              \
	.asciz "Xen";                                                      \
	.long entry;                                                       \
	.popsection
#endif

#ifndef __ASSEMBLER__
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
#endif

/* Guest-physical layout our VMM uses below the kernel image. */
#define FB_GPA_START_INFO 0x6000
#define FB_GPA_MEMMAP 0x6100
#define FB_GPA_CMDLINE 0x7000
#define FB_GPA_LOAD_MIN 0x100000 /* ELF segments must start at or above */
#define FB_MEMMAP_MAX 8
/*
 * The guest's boot page tables identity-map the first FB_DIRECT_MAP_GIB
 * GiB (guest/boot/pvh.S): no VMM may place guest RAM above that (lib/
 * backend.h checks MEM_MAX against it). Plain number: pvh.S uses it too.
 */
#define FB_DIRECT_MAP_GIB 32

#endif
