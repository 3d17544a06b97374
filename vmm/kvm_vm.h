/*
 * A KVM virtual machine with one vCPU and guest RAM laid out as QEMU's
 * microvm does (backend.h): below 3 GiB from GPA 0, the rest from 4 GiB.
 */
#ifndef FB_KVM_VM_H
#define FB_KVM_VM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

#include "fb_abi.h"

struct vm {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *ram;       /* all of guest RAM, low part first */
	uint64_t ram_size;
	uint64_t ram_low;   /* bytes of ram at GPA 0; the rest at 4 GiB */
	size_t ram_map_size;
	uint8_t *ram_base_map; /* the unaligned mapping, for munmap */
	uint32_t tsc_khz;
};

/*
 * Can a VM be made on device (normally /dev/kvm)? 0, or -1 with a
 * one-line reason in err: missing, not KVM, wrong API, a capability
 * missing, KVM_CREATE_VM refused.
 */
int kvm_usable(const char *device, char *err, size_t errlen);

/*
 * Open device, check the API and the capabilities used, create the VM,
 * its pre-faulted RAM and its vCPU with the host's supported CPUID.
 * -1 with a one-line reason in err.
 */
int vm_create(struct vm *vm, const char *device, uint64_t ram_size,
	      char *err, size_t errlen);
void vm_destroy(struct vm *vm);

/* At most this many entries in the memory map the guest is given. */
#define VM_MEMMAP_ENTRIES 3
/* The PVH memory map for ram_size bytes of guest RAM: its entry count. */
unsigned vm_memmap(uint64_t ram_size, struct hvm_memmap_table_entry *map);
/*
 * Host address of guest-physical [gpa, gpa+len), or NULL unless it lies
 * within one part of guest RAM. Overflow-safe.
 */
void *vm_gpa(const struct vm *vm, uint64_t gpa, uint64_t len);

/* Start info, memory map and command line at the FB_GPA_* addresses. */
int vm_write_boot_info(struct vm *vm, const char *cmdline, char *err,
		       size_t errlen);
/* 32-bit protected mode, paging off, EBX = start info: the PVH state. */
int vm_set_pvh_regs(struct vm *vm, uint64_t entry, char *err, size_t errlen);

#endif
