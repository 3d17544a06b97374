/* The host's TSC frequency from the best source this machine has. */
#include <cpuid.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>

#include "fb_tsc.h"
#include "tsc_freq.h"

static int believable(uint64_t khz)
{
	return khz >= TSC_KHZ_MIN && khz <= TSC_KHZ_MAX;
}

/* ---- CPUID ------------------------------------------------------------- */

void tsc_cpuid_read(struct tsc_cpuid *c)
{
	unsigned a, b, cx, d;
	memset(c, 0, sizeof(*c));
	c->max_basic = __get_cpuid_max(0, NULL);
	if (c->max_basic >= 1) {
		__cpuid(1, a, b, cx, d);
		c->hypervisor = (int)(cx >> 31 & 1);
	}
	if (c->max_basic >= 0x15)
		__cpuid_count(0x15, 0, c->l15_eax, c->l15_ebx, c->l15_ecx, d);
	if (c->max_basic >= 0x16)
		__cpuid_count(0x16, 0, c->l16_eax, b, cx, d);
	/* Without a hypervisor, Intel answers 0x4000xxxx with other data. */
	if (!c->hypervisor)
		return;
	__cpuid(0x40000000u, c->hv_max, b, cx, d);
	if (c->hv_max >= 0x40000010u)
		__cpuid(0x40000010u, c->hv_tsc_khz, b, cx, d);
}

/* More than 5% apart: one of the two leaves is not telling the truth. */
static int disagree(uint64_t khz, uint64_t base_khz)
{
	uint64_t diff = khz > base_khz ? khz - base_khz : base_khz - khz;
	return diff * 20 > base_khz;
}

/*
 * ECX 0 means the crystal is not enumerated (Skylake and Kaby Lake
 * client, for one). Linux then guesses it from a per-model table; we do
 * not repeat that table but leave those CPUs to the kernel log, which
 * carries Linux's answer.
 */
uint64_t tsc_khz_cpuid_15(const struct tsc_cpuid *c)
{
	if (c->max_basic < 0x15 || !c->l15_eax || !c->l15_ebx || !c->l15_ecx)
		return 0;
	/* Two 32-bit factors: the product fits 64 bits. */
	uint64_t hz = (uint64_t)c->l15_ecx * c->l15_ebx / c->l15_eax;
	uint64_t khz = (hz + 500) / 1000;
	if (!believable(khz))
		return 0;
	uint64_t base = c->max_basic >= 0x16 ? (c->l16_eax & 0xffffu) * 1000ull
					      : 0;
	return base && disagree(khz, base) ? 0 : khz;
}

uint64_t tsc_khz_cpuid_hv(const struct tsc_cpuid *c)
{
	if (!c->hypervisor || c->hv_max < 0x40000010u)
		return 0;
	return believable(c->hv_tsc_khz) ? c->hv_tsc_khz : 0;
}

/* ---- text -------------------------------------------------------------- */

/*
 * At most max decimal digits from s (n bytes) into *v; how many were
 * read. Bounding the digits is what keeps *v from overflowing.
 */
static size_t read_digits(const char *s, size_t n, size_t max, uint64_t *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i <= max && isdigit((unsigned char)s[i]))
		*v = *v * 10 + (uint64_t)(s[i++] - '0');
	return i > max ? 0 : i;
}

uint64_t tsc_khz_sysfs(const char *text)
{
	uint64_t khz;
	size_t n = text ? strlen(text) : 0;
	size_t i = read_digits(text, n, 11, &khz);
	if (i == 0)
		return 0;
	while (i < n && isspace((unsigned char)text[i]))
		i++;
	return i == n && believable(khz) ? khz : 0;
}

/* The kernel's "%lu.%03lu" MHz at s as kHz (0 if not one); *used bytes. */
static uint64_t read_mhz(const char *s, size_t n, size_t *used)
{
	uint64_t mhz, frac;
	size_t i = read_digits(s, n, 6, &mhz);
	if (i == 0 || i >= n || s[i] != '.')
		return 0;
	size_t f = read_digits(s + i + 1, n - i - 1, 3, &frac);
	if (f != 3)
		return 0;
	*used = i + 1 + f;
	return mhz * 1000 + frac;
}

static int rest_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* What arch/x86/kernel/tsc.c prints, best last. */
static const struct log_form {
	const char *before, *after;
} log_forms[] = {
	{ "tsc: Detected ", " MHz processor" },
	{ "tsc: Detected ", " MHz TSC" },
	{ "tsc: Refined TSC clocksource calibration: ", " MHz" },
};
#define LOG_FORMS (int)(sizeof(log_forms) / sizeof(*log_forms))

/* s (n bytes) as log form k, up to the end of the line; kHz or 0. */
static uint64_t match_form(const char *s, size_t n, int k)
{
	const struct log_form *lf = &log_forms[k];
	size_t b = strlen(lf->before), a = strlen(lf->after), used = 0;
	if (n < b || memcmp(s, lf->before, b) != 0)
		return 0;
	uint64_t khz = read_mhz(s + b, n - b, &used);
	s += b + used;
	n -= b + used;
	if (!khz || n < a || memcmp(s, lf->after, a) != 0 ||
	    !rest_is_blank(s + a, n - a))
		return 0;
	return khz;
}

/* One line's frequency and its form's rank (-1: none). */
static uint64_t line_khz(const char *s, size_t n, int *rank)
{
	const char *end = s + n, *t;
	*rank = -1;
	while ((t = memmem(s, (size_t)(end - s), "tsc: ", 5))) {
		for (int k = LOG_FORMS - 1; k >= 0; k--) {
			uint64_t khz = match_form(t, (size_t)(end - t), k);
			if (believable(khz)) {
				*rank = k;
				return khz;
			}
		}
		s = t + 1;
	}
	return 0;
}

/* Later lines of the same form win: the log is in time order. */
uint64_t tsc_khz_kernel_log(const char *text, size_t len)
{
	uint64_t best = 0;
	int best_rank = -1;
	const char *p = text, *end = text ? text + len : NULL;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		int rank;
		uint64_t khz = line_khz(p, (size_t)(eol - p), &rank);
		if (rank >= 0 && rank >= best_rank) {
			best = khz;
			best_rank = rank;
		}
		p = nl ? nl + 1 : end;
	}
	return best;
}

/* ---- calibration ------------------------------------------------------- */

#define PAIR_TRIES 5

/*
 * A clock read with the TSC at the same instant: the midpoint of the
 * tightest of a few TSC brackets, so an interrupt or a trapped RDTSC
 * between the reads is not counted as time.
 */
static int paired_read(struct timespec *ts, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < PAIR_TRIES; i++) {
		struct timespec t;
		uint64_t a = fb_tsc_start();
		if (clock_gettime(CLOCK_MONOTONIC_RAW, &t) < 0)
			return -1;
		uint64_t b = fb_tsc_start();
		if (b >= a && b - a < best) {
			best = b - a;
			*ts = t;
			*tsc = a + (b - a) / 2;
		}
	}
	return best == UINT64_MAX ? -1 : 0;
}

static int64_t ns_between(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(b->tv_sec - a->tv_sec) * 1000000000 +
	       (b->tv_nsec - a->tv_nsec);
}

/*
 * CLOCK_MONOTONIC_RAW: NTP slews CLOCK_MONOTONIC by up to 500 ppm, and
 * the rate we want is the oscillator's, not the adjusted one.
 */
uint64_t tsc_calibrate_khz(unsigned ms)
{
	if (ms < TSC_CALIBRATE_MIN_MS)
		ms = TSC_CALIBRATE_MIN_MS;
	struct timespec a, b, nap = { ms / 1000, (long)(ms % 1000) * 1000000 };
	uint64_t t0, t1;
	if (paired_read(&a, &t0) < 0)
		return 0;
	while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
		; /* interrupted: sleep the rest */
	if (paired_read(&b, &t1) < 0 || t1 <= t0)
		return 0;
	int64_t ns = ns_between(&a, &b);
	if (ns <= 0)
		return 0;
	return (uint64_t)((double)(t1 - t0) * 1e6 / (double)ns + 0.5);
}

/* ---- the host's sources ------------------------------------------------ */

#define SYSFS_TSC_KHZ "/sys/devices/system/cpu/cpu0/tsc_freq_khz"

static uint64_t sysfs_khz(void)
{
	char buf[64];
	int fd = open(SYSFS_TSC_KHZ, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return tsc_khz_sysfs(buf);
}

/* glibc declares klogctl but not its commands (linux/syslog.h is the
 * kernel's own). */
#define KLOG_READ_ALL 3
#define KLOG_SIZE_BUFFER 10
#define KLOG_MAX (64 << 20)

/*
 * klogctl: one call for the whole ring buffer. Unprivileged with
 * kernel.dmesg_restrict=1 it fails with EPERM, and on a long-running
 * host the boot lines may have been overwritten: either way, 0.
 */
static uint64_t kernel_log_khz(void)
{
	int size = klogctl(KLOG_SIZE_BUFFER, NULL, 0);
	if (size <= 0 || size > KLOG_MAX)
		return 0;
	char *buf = malloc((size_t)size);
	if (!buf)
		return 0;
	int n = klogctl(KLOG_READ_ALL, buf, size);
	uint64_t khz = n > 0 ? tsc_khz_kernel_log(buf, (size_t)n) : 0;
	free(buf);
	return khz;
}

/*
 * The rate KVM gives a new vCPU by default: the TSC a guest on this host
 * sees. A host fact, asked with the fewest ioctls that answer it (an
 * empty VM and vCPU, no memory, never run), so the host tools learn it
 * without linking the monitor. 0 when the device cannot tell.
 */
uint64_t tsc_khz_kvm(const char *device)
{
	int kvm = device ? open(device, O_RDWR | O_CLOEXEC) : -1;
	int vm = -1, vcpu = -1, khz = 0;
	/* A file that is not KVM (e.g. /dev/null) fails here with ENOTTY. */
	if (kvm >= 0 && ioctl(kvm, KVM_GET_API_VERSION, 0) == KVM_API_VERSION &&
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_GET_TSC_KHZ) > 0)
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm >= 0)
		vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu >= 0)
		khz = ioctl(vcpu, KVM_GET_TSC_KHZ, 0);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	if (kvm >= 0)
		close(kvm);
	return khz > 0 ? (uint64_t)khz : 0;
}

/* Keep khz from source if it is believable. */
static int take(struct tsc_freq *out, uint64_t khz, const char *source)
{
	if (!believable(khz))
		return 0;
	out->khz = khz;
	out->source = source;
	return 1;
}

/*
 * The hypervisor leaf before 0x15: a hypervisor that scales the guest
 * TSC may still pass the host's 0x15 through, but its own leaf states
 * the rate it gives. The kernel log comes after CPUID because its figure
 * is itself a CPUID reading or a calibration. || stops at the first
 * source that answers, so calibration's sleep is paid only as the last
 * resort.
 */
void tsc_freq_host(const char *kvm_device, struct tsc_freq *out)
{
	struct tsc_cpuid c;
	tsc_cpuid_read(&c);
	if (take(out, tsc_khz_kvm(kvm_device), TSC_SRC_KVM) ||
	    take(out, tsc_khz_cpuid_hv(&c), TSC_SRC_CPUID_HV) ||
	    take(out, tsc_khz_cpuid_15(&c), TSC_SRC_CPUID_15) ||
	    take(out, sysfs_khz(), TSC_SRC_SYSFS) ||
	    take(out, kernel_log_khz(), TSC_SRC_KERNEL_LOG) ||
	    take(out, tsc_calibrate_khz(TSC_CALIBRATE_MIN_MS),
		 TSC_SRC_CALIBRATED))
		return;
	out->khz = 0;
	out->source = TSC_SRC_NONE;
}
