/*
 * The PVH start info and the command line. Nothing from the loader is
 * trusted blindly: a bad magic, an unterminated command line or an absurd
 * memory map ends the run with a reason instead of a mystery later.
 */
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/lib.h"

struct boot_info boot;

static int copy_cmdline(uint64_t pa)
{
	if (pa == 0) /* no command line: an empty one */
		return 0;
	if (pa >= DIRECT_MAP_END - FB_CMDLINE_MAX) {
		kprintf("boot: command line at 0x%lx outside the direct map\n",
			pa);
		return -1;
	}
	const char *s = (const char *)(uintptr_t)pa;
	size_t n = 0;
	while (n < FB_CMDLINE_MAX && s[n])
		n++;
	if (n == FB_CMDLINE_MAX) {
		kprintf("boot: command line longer than %d bytes\n",
			FB_CMDLINE_MAX - 1);
		return -1;
	}
	memcpy(boot.cmdline, s, n + 1);
	return 0;
}

static int copy_memmap(const struct hvm_start_info *si)
{
	if (si->version < 1 || si->memmap_paddr == 0 ||
	    si->memmap_entries == 0) {
		kprintf("boot: start info v%u has no memory map\n",
			si->version);
		return -1;
	}
	if (si->memmap_paddr >= DIRECT_MAP_END) {
		kprintf("boot: memory map outside the direct map\n");
		return -1;
	}
	const struct hvm_memmap_table_entry *e =
		(const void *)(uintptr_t)si->memmap_paddr;
	unsigned n = si->memmap_entries;
	if (n > FB_MEMMAP_MAX) {
		kprintf("boot: memory map has %u entries, using the first %d\n",
			n, FB_MEMMAP_MAX);
		n = FB_MEMMAP_MAX;
	}
	for (unsigned i = 0; i < n; i++) {
		boot.memmap[i] = e[i];
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			boot.ram_bytes += e[i].size;
	}
	boot.memmap_entries = n;
	if (boot.ram_bytes == 0) {
		kprintf("boot: memory map lists no RAM\n");
		return -1;
	}
	return 0;
}

int bootinfo_parse(uint64_t start_info_pa)
{
	if (start_info_pa == 0 || start_info_pa >= DIRECT_MAP_END) {
		kprintf("boot: start info at 0x%lx unusable\n", start_info_pa);
		return -1;
	}
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_pa;
	if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
		kprintf("boot: bad start info magic 0x%x\n", si->magic);
		return -1;
	}
	if (copy_cmdline(si->cmdline_paddr) < 0)
		return -1;
	return copy_memmap(si);
}
