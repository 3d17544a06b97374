/*
 * The backends fbvmm runs a guest on, by name, and the guest RAM it
 * accepts: the vocabulary fbvmm shares with the tools that drive it
 * (forkbench run chooses a backend and sizes each guest within these
 * bounds; bootbench rejects what fbvmm would).
 */
#ifndef FB_BACKEND_H
#define FB_BACKEND_H

#include "fb_abi.h"

enum backend {
	BACKEND_AUTO,         /* resolved before the run (backend_auto.h) */
	BACKEND_KVM,          /* our VMM on /dev/kvm */
	BACKEND_QEMU_TCG,     /* QEMU, software emulation */
	BACKEND_QEMU_TCG_DET, /* QEMU TCG with -icount: deterministic TSC */
	BACKEND_QEMU_KVM,     /* QEMU on /dev/kvm */
};

#define KVM_DEVICE_DEFAULT "/dev/kvm"
/*
 * Guest-physical layout of guest RAM, the same on every backend: QEMU's
 * microvm (5.1 and later, microvm_memory_init: "lowmem = 0xc0000000")
 * puts up to 3 GiB at GPA 0 and the rest from 4 GiB, and our KVM VMM
 * copies that so the guest sees one memory map whatever runs it. The gap
 * [3 GiB, 4 GiB) is for 32-bit MMIO (and KVM's TSS on Intel).
 * MEM_MAX: an 8 GiB parent and a full copy of it (16 GiB) with their page
 * tables and the kernel. RAM's end, MEM_HIGH_BASE + MEM_MAX - MEM_LOW_END,
 * must lie within the guest's boot page tables' map (fb_abi.h).
 */
#define MEM_MIN (4ull << 20)
#define MEM_MAX (20ull << 30)
#define MEM_DEFAULT (128ull << 20)
#define MEM_LOW_END (3ull << 30)
#define MEM_HIGH_BASE (4ull << 30)
_Static_assert(MEM_HIGH_BASE + MEM_MAX - MEM_LOW_END <=
	       (unsigned long long)FB_DIRECT_MAP_GIB << 30,
	       "guest RAM would end above the guest's direct map");

/* The part of mem bytes of guest RAM that lies below 4 GiB, from GPA 0. */
static inline unsigned long long mem_low_bytes(unsigned long long mem)
{
	return mem < MEM_LOW_END ? mem : MEM_LOW_END;
}

const char *backend_name(enum backend b);
/* 0 and *out for a known name ("auto" included), else -1. */
int backend_parse(const char *name, enum backend *out);

#endif
