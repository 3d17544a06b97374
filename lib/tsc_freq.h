/*
 * The host's TSC frequency, and where it came from. Under QEMU TCG (no
 * -icount) the guest TSC is the host TSC, so the guest needs the host's
 * rate even where /dev/kvm is absent; every source below exists on some
 * x86-64 Linux, and calibration exists on all of them.
 *
 * The parsers are pure functions of the raw input (CPUID registers, a
 * sysfs string, kernel log text) so they can be tested on other
 * machines' values. Each returns kHz, or 0 when the input does not give
 * a believable frequency.
 */
#ifndef FB_TSC_FREQ_H
#define FB_TSC_FREQ_H

#include <stddef.h>
#include <stdint.h>

#define TSC_SRC_KVM        "kvm"
#define TSC_SRC_ICOUNT     "icount"
#define TSC_SRC_CPUID_HV   "cpuid-0x40000010"
#define TSC_SRC_CPUID_15   "cpuid-0x15"
#define TSC_SRC_SYSFS      "sysfs"
#define TSC_SRC_KERNEL_LOG "kernel-log"
#define TSC_SRC_CALIBRATED "calibrated"
#define TSC_SRC_NONE       "none"

/* Believable TSC rates: anything outside is a misread, not a CPU. */
#define TSC_KHZ_MIN 100000ull    /* 100 MHz */
#define TSC_KHZ_MAX 20000000ull  /* 20 GHz */

/* Calibration shorter than this is dominated by sleep granularity. */
#define TSC_CALIBRATE_MIN_MS 50u

struct tsc_freq {
	uint64_t khz;       /* 0 only when no source answered */
	const char *source; /* one of TSC_SRC_*, a static string */
};

/* The CPUID registers the CPUID sources read. */
struct tsc_cpuid {
	uint32_t max_basic;    /* CPUID.0:EAX */
	int hypervisor;        /* CPUID.1:ECX bit 31 */
	uint32_t l15_eax;      /* CPUID.15H:EAX, ratio denominator */
	uint32_t l15_ebx;      /* CPUID.15H:EBX, ratio numerator */
	uint32_t l15_ecx;      /* CPUID.15H:ECX, crystal Hz (0: unknown) */
	uint32_t l16_eax;      /* CPUID.16H:EAX, base MHz in bits 15:0 */
	uint32_t hv_max;       /* CPUID.40000000H:EAX */
	uint32_t hv_tsc_khz;   /* CPUID.40000010H:EAX */
};

/*
 * The first source that answers, in order: KVM_GET_TSC_KHZ on
 * kvm_device (skipped when NULL), CPUID 0x40000010, CPUID 0x15, sysfs
 * tsc_freq_khz, the kernel log, calibration against CLOCK_MONOTONIC_RAW.
 * Only when all fail (calibration cannot read the clock): 0, "none".
 */
void tsc_freq_host(const char *kvm_device, struct tsc_freq *out);

/* This CPU's registers (leaves it does not have read as 0). */
void tsc_cpuid_read(struct tsc_cpuid *c);

/* Crystal Hz x EBX / EAX, cross-checked against the 0x16 base. */
uint64_t tsc_khz_cpuid_15(const struct tsc_cpuid *c);
/* KVM's default guest rate on device (NULL: 0); 0 when it cannot tell. */
uint64_t tsc_khz_kvm(const char *device);
/* The hypervisor's own statement (VMware's leaf, also QEMU's). */
uint64_t tsc_khz_cpuid_hv(const struct tsc_cpuid *c);
/* The contents of /sys/devices/system/cpu/cpu0/tsc_freq_khz. */
uint64_t tsc_khz_sysfs(const char *text);
/*
 * The kernel's "tsc: ..." lines in len bytes of log text (klogctl or
 * /dev/kmsg format): the refined calibration over "Detected ... MHz
 * TSC" over "Detected ... MHz processor".
 */
uint64_t tsc_khz_kernel_log(const char *text, size_t len);

/*
 * TSC ticks per millisecond of CLOCK_MONOTONIC_RAW over ms milliseconds
 * (at least TSC_CALIBRATE_MIN_MS); 0 when the clock cannot be read.
 */
uint64_t tsc_calibrate_khz(unsigned ms);

#endif
