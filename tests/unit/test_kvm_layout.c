/*
 * Our KVM VMM's guest-physical layout (vmm/kvm_vm.c), which must match
 * QEMU's microvm: RAM up to 3 GiB at GPA 0, the rest from 4 GiB. The
 * expectations are written out from the sizes, not from backend.h.
 */
#include <stdint.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "kvm_vm.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static void expect_entry(const struct hvm_memmap_table_entry *e,
			 uint64_t addr, uint64_t size)
{
	cr_expect_eq(e->addr, addr, "addr 0x%llx, want 0x%llx",
		     (unsigned long long)e->addr, (unsigned long long)addr);
	cr_expect_eq(e->size, size, "size 0x%llx, want 0x%llx",
		     (unsigned long long)e->size, (unsigned long long)size);
	cr_expect_eq(e->type, XEN_HVM_MEMMAP_TYPE_RAM);
}

Test(kvm_layout, small_ram_is_all_below_4g)
{
	struct hvm_memmap_table_entry map[VM_MEMMAP_ENTRIES];
	cr_assert_eq(vm_memmap(64 * MIB, map), 2);
	expect_entry(&map[0], 0, 0xa0000);
	expect_entry(&map[1], MIB, 63 * MIB);
	cr_assert_eq(vm_memmap(3 * GIB, map), 2);
	expect_entry(&map[1], MIB, 3 * GIB - MIB);
}

Test(kvm_layout, ram_past_3g_continues_at_4g)
{
	struct hvm_memmap_table_entry map[VM_MEMMAP_ENTRIES];
	cr_assert_eq(vm_memmap(3 * GIB + 4096, map), 3);
	expect_entry(&map[1], MIB, 3 * GIB - MIB);
	expect_entry(&map[2], 4 * GIB, 4096);
	cr_assert_eq(vm_memmap(20 * GIB, map), 3);
	expect_entry(&map[0], 0, 0xa0000);
	expect_entry(&map[1], MIB, 3 * GIB - MIB);
	expect_entry(&map[2], 4 * GIB, 17 * GIB);
}

/* A 5 GiB VM: host offsets [0, 3G) at GPA 0, [3G, 5G) at GPA 4G. */
Test(kvm_layout, gpa_to_host_within_one_part_only)
{
	uint64_t size = 5 * GIB;
	uint8_t *ram = mmap(NULL, size, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	cr_assert_neq(ram, MAP_FAILED);
	struct vm vm = { .ram = ram, .ram_size = size, .ram_low = 3 * GIB };
	cr_expect_eq(vm_gpa(&vm, 0, 16), ram);
	cr_expect_eq(vm_gpa(&vm, 3 * GIB - 16, 16), ram + 3 * GIB - 16);
	cr_expect_null(vm_gpa(&vm, 3 * GIB - 8, 16)); /* runs into the hole */
	cr_expect_null(vm_gpa(&vm, 3 * GIB, 1));
	cr_expect_null(vm_gpa(&vm, 4 * GIB - 1, 1));
	cr_expect_eq(vm_gpa(&vm, 4 * GIB, 16), ram + 3 * GIB);
	cr_expect_eq(vm_gpa(&vm, 6 * GIB - 1, 1), ram + 5 * GIB - 1);
	cr_expect_null(vm_gpa(&vm, 6 * GIB - 1, 2));
	cr_expect_null(vm_gpa(&vm, 6 * GIB, 1));
	cr_expect_null(vm_gpa(&vm, UINT64_MAX, 2)); /* wraps */
	cr_expect_null(vm_gpa(&vm, 4 * GIB, UINT64_MAX));
	munmap(ram, size);
}

Test(kvm_layout, gpa_without_high_ram)
{
	uint8_t ram[4096];
	struct vm vm = { .ram = ram, .ram_size = sizeof(ram),
			 .ram_low = sizeof(ram) };
	cr_expect_eq(vm_gpa(&vm, 4000, 96), ram + 4000);
	cr_expect_null(vm_gpa(&vm, 4000, 97));
	cr_expect_null(vm_gpa(&vm, 4 * GIB, 1));
}
