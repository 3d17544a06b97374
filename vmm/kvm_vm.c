/* Creating and booting a KVM VM: everything before the first KVM_RUN. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "fb_abi.h"
#include "kvm_vm.h"

#define HUGE_2M (2ull << 20)
#define TSS_ADDR 0xfffbd000 /* 3 pages Intel VMX needs, above guest RAM */

static int kvm_open(const char *device, char *err, size_t errlen)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", device, strerror(errno));
		return -1;
	}
	/* A file that is not KVM (e.g. /dev/null) fails here with ENOTTY. */
	int version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(err, errlen, "%s: %s%d, need %d", device,
			 version < 0 ? "not a KVM device: API version " :
				       "API version ",
			 version, KVM_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static int check_caps(int kvm_fd, const char *device, char *err,
		      size_t errlen)
{
	static const struct {
		int cap;
		const char *name;
	} needed[] = {
		{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
		{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
		{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
		{ KVM_CAP_GET_TSC_KHZ, "KVM_CAP_GET_TSC_KHZ" },
	};
	for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++) {
		if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, needed[i].cap) <= 0) {
			snprintf(err, errlen, "%s lacks %s", device,
				 needed[i].name);
			return -1;
		}
	}
	return 0;
}

/*
 * Guest RAM as one host mapping, 2 MiB aligned so THP can back it. Its
 * first ram_low bytes appear at GPA 0, the rest at MEM_HIGH_BASE
 * (backend.h), as two memslots.
 */
static int ram_alloc(struct vm *vm, uint64_t size, char *err, size_t errlen)
{
	size_t map = size + HUGE_2M;
	uint8_t *p = mmap(NULL, map, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot map %llu MiB of guest RAM: %s",
			 (unsigned long long)(size >> 20), strerror(errno));
		return -1;
	}
	vm->ram = (uint8_t *)(((uintptr_t)p + HUGE_2M - 1) &
			      ~(uintptr_t)(HUGE_2M - 1));
	vm->ram_size = size;
	vm->ram_low = mem_low_bytes(size);
	vm->ram_map_size = map;
	vm->ram_base_map = p;
	return 0;
}

/*
 * Pre-fault guest RAM so host first-touch faults never land inside a
 * guest measurement. Last in vm_create: a VM that cannot be made costs
 * no time filling gigabytes.
 */
static void ram_populate(struct vm *vm)
{
	madvise(vm->ram, vm->ram_size, MADV_HUGEPAGE); /* a hint: THP may be off */
	if (madvise(vm->ram, vm->ram_size, MADV_POPULATE_WRITE) < 0) {
		/* Older kernels: touch every page ourselves. */
		for (uint64_t off = 0; off < vm->ram_size; off += 4096)
			vm->ram[off] = 0;
	}
}

static int set_cpuid(struct vm *vm, char *err, size_t errlen)
{
	for (int nent = 64; nent <= 4096; nent *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
					      nent * sizeof(c->entries[0]));
		if (!c)
			break;
		c->nent = (uint32_t)nent;
		if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
			int e = errno;
			free(c);
			if (e == E2BIG)
				continue;
			snprintf(err, errlen, "KVM_GET_SUPPORTED_CPUID: %s",
				 strerror(e));
			return -1;
		}
		/* Before the guest sets EFER.LME, or long mode entry faults. */
		int r = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c);
		free(c);
		if (r < 0) {
			snprintf(err, errlen, "KVM_SET_CPUID2: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "KVM_GET_SUPPORTED_CPUID: no usable table size");
	return -1;
}

static int create_vcpu(struct vm *vm, char *err, size_t errlen)
{
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0) {
		snprintf(err, errlen, "KVM_CREATE_VCPU: %s", strerror(errno));
		return -1;
	}
	int size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %d", size);
		return -1;
	}
	vm->run_size = (size_t)size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		snprintf(err, errlen, "mmap kvm_run: %s", strerror(errno));
		return -1;
	}
	int khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	if (khz < 0) {
		snprintf(err, errlen, "KVM_GET_TSC_KHZ: %s", strerror(errno));
		return -1;
	}
	/*
	 * 0: the host kernel could not calibrate its TSC ("tsc_khz can be
	 * zero", says KVM); the guest's TSC still runs at the host's rate,
	 * which the caller then finds elsewhere.
	 */
	vm->tsc_khz = (uint32_t)khz;
	return set_cpuid(vm, err, errlen);
}

static int set_slot(struct vm *vm, uint32_t slot, uint64_t gpa,
		    uint64_t size, uint8_t *host, char *err, size_t errlen)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		snprintf(err, errlen, "KVM_SET_USER_MEMORY_REGION slot %u "
			 "(GPA 0x%llx, %llu MiB): %s", slot,
			 (unsigned long long)gpa,
			 (unsigned long long)(size >> 20), strerror(errno));
		return -1;
	}
	return 0;
}

static int add_ram_slots(struct vm *vm, char *err, size_t errlen)
{
	if (set_slot(vm, 0, 0, vm->ram_low, vm->ram, err, errlen) < 0)
		return -1;
	if (vm->ram_size > vm->ram_low &&
	    set_slot(vm, 1, MEM_HIGH_BASE, vm->ram_size - vm->ram_low,
		     vm->ram + vm->ram_low, err, errlen) < 0)
		return -1;
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0) {
		snprintf(err, errlen, "KVM_SET_TSS_ADDR: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The device, its API and capabilities, and an empty VM. */
static int vm_open(struct vm *vm, const char *device, char *err,
		   size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
	if ((vm->kvm_fd = kvm_open(device, err, errlen)) < 0 ||
	    check_caps(vm->kvm_fd, device, err, errlen) < 0)
		return -1;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		snprintf(err, errlen, "%s: KVM_CREATE_VM: %s", device,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int kvm_usable(const char *device, char *err, size_t errlen)
{
	struct vm vm;
	int rc = vm_open(&vm, device, err, errlen);
	vm_destroy(&vm);
	return rc;
}

int vm_create(struct vm *vm, const char *device, uint64_t ram_size,
	      char *err, size_t errlen)
{
	if (vm_open(vm, device, err, errlen) < 0 ||
	    ram_alloc(vm, ram_size, err, errlen) < 0 ||
	    add_ram_slots(vm, err, errlen) < 0 ||
	    create_vcpu(vm, err, errlen) < 0)
		goto fail;
	ram_populate(vm);
	return 0;
fail:
	vm_destroy(vm);
	return -1;
}

void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->ram_base_map)
		munmap(vm->ram_base_map, vm->ram_map_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
}

unsigned vm_memmap(uint64_t ram_size, struct hvm_memmap_table_entry *map)
{
	uint64_t low = mem_low_bytes(ram_size);
	unsigned n = 0;
	/* Low RAM below the legacy hole, then from 1 MiB to the MMIO gap. */
	map[n++] = (struct hvm_memmap_table_entry){
		.addr = 0, .size = 0xa0000, .type = XEN_HVM_MEMMAP_TYPE_RAM };
	map[n++] = (struct hvm_memmap_table_entry){
		.addr = FB_GPA_LOAD_MIN, .size = low - FB_GPA_LOAD_MIN,
		.type = XEN_HVM_MEMMAP_TYPE_RAM };
	if (ram_size > low)
		map[n++] = (struct hvm_memmap_table_entry){
			.addr = MEM_HIGH_BASE, .size = ram_size - low,
			.type = XEN_HVM_MEMMAP_TYPE_RAM };
	return n;
}

void *vm_gpa(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t high = vm->ram_size - vm->ram_low;
	if (gpa <= vm->ram_low && len <= vm->ram_low - gpa)
		return vm->ram + gpa;
	if (gpa >= MEM_HIGH_BASE && gpa - MEM_HIGH_BASE <= high &&
	    len <= high - (gpa - MEM_HIGH_BASE))
		return vm->ram + vm->ram_low + (gpa - MEM_HIGH_BASE);
	return NULL;
}

int vm_write_boot_info(struct vm *vm, const char *cmdline, char *err,
		       size_t errlen)
{
	size_t n = strlen(cmdline);
	if (n >= FB_CMDLINE_MAX) {
		snprintf(err, errlen, "guest command line longer than %d bytes",
			 FB_CMDLINE_MAX - 1);
		return -1;
	}
	struct hvm_memmap_table_entry map[VM_MEMMAP_ENTRIES];
	unsigned entries = vm_memmap(vm->ram_size, map);
	struct hvm_start_info si = {
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.cmdline_paddr = FB_GPA_CMDLINE,
		.memmap_paddr = FB_GPA_MEMMAP,
		.memmap_entries = entries,
	};
	memcpy(vm->ram + FB_GPA_START_INFO, &si, sizeof(si));
	memcpy(vm->ram + FB_GPA_MEMMAP, map, entries * sizeof(map[0]));
	memcpy(vm->ram + FB_GPA_CMDLINE, cmdline, n + 1);
	return 0;
}

static void flat_segment(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
}

int vm_set_pvh_regs(struct vm *vm, uint64_t entry, char *err, size_t errlen)
{
	struct kvm_sregs sregs;
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) {
		snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	flat_segment(&sregs.cs, 0x08, 0xb); /* execute/read, accessed */
	flat_segment(&sregs.ds, 0x10, 0x3); /* read/write, accessed */
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.tr = (struct kvm_segment){ .limit = 0x67, .selector = 0x18,
					 .type = 0xb, .present = 1 };
	sregs.cr0 = 0x11; /* PE | ET: protected mode, paging off */
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0) {
		snprintf(err, errlen, "KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	struct kvm_regs regs = { .rip = entry, .rbx = FB_GPA_START_INFO,
				 .rflags = 0x2 };
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0) {
		snprintf(err, errlen, "KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

