/*
 * The backends fbvmm runs a guest on, by name, and the guest RAM it
 * accepts: the vocabulary fbvmm shares with the tools that drive it
 * (forkbench run chooses a backend and sizes each guest within these
 * bounds; bootbench rejects what fbvmm would).
 */
#ifndef FB_BACKEND_H
#define FB_BACKEND_H

enum backend {
	BACKEND_AUTO,         /* resolved before the run (backend_auto.h) */
	BACKEND_KVM,          /* our VMM on /dev/kvm */
	BACKEND_QEMU_TCG,     /* QEMU, software emulation */
	BACKEND_QEMU_TCG_DET, /* QEMU TCG with -icount: deterministic TSC */
	BACKEND_QEMU_KVM,     /* QEMU on /dev/kvm */
};

#define KVM_DEVICE_DEFAULT "/dev/kvm"
#define MEM_MIN (4ull << 20)
#define MEM_MAX (3ull << 30) /* below the 32-bit MMIO hole */
#define MEM_DEFAULT (128ull << 20)

const char *backend_name(enum backend b);
/* 0 and *out for a known name ("auto" included), else -1. */
int backend_parse(const char *name, enum backend *out);

#endif
