/*
 * lib/tsc_freq.c: each parser on register values and log text from real
 * machines (one machine exercises one path only) and on malformed input,
 * then the whole chain and the calibration on this machine.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "tsc_freq.h"

/* ---- CPUID 0x15 ---------------------------------------------------------- */

/* Intel Core i7-12700K (Alder Lake-S), from a full CPUID dump. */
static const struct tsc_cpuid alder_lake = {
	.max_basic = 0x20,
	.l15_eax = 2, .l15_ebx = 0xbc, .l15_ecx = 0x0249f000, /* 38.4 MHz */
	.l16_eax = 0xe10, /* 3600 MHz base */
};

Test(cpuid_15, alder_lake_crystal_times_ratio)
{
	/* 38,400,000 Hz x 188 / 2 */
	cr_assert_eq(tsc_khz_cpuid_15(&alder_lake), 3609600);
}

/*
 * A VMware host's log: its hostCPUID lines for 0x15 and 0x16, and
 * "VMMon_GetkHzEstimate: Calculated 2918400 kHz" for the same CPU.
 */
Test(cpuid_15, agrees_with_vmware_estimate)
{
	struct tsc_cpuid c = { .max_basic = 0x16, .l15_eax = 2,
			       .l15_ebx = 0x98, .l15_ecx = 0x0249f000,
			       .l16_eax = 0xb54 };
	cr_assert_eq(tsc_khz_cpuid_15(&c), 2918400);
}

/* Intel Pentium (Kaby Lake): ratio 300/2 but crystal not enumerated. */
Test(cpuid_15, kaby_lake_without_crystal_is_unknown)
{
	struct tsc_cpuid c = { .max_basic = 0x16, .l15_eax = 2,
			       .l15_ebx = 0x12c, .l15_ecx = 0,
			       .l16_eax = 0xe10 };
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
}

/* This project's AMD EPYC machine: max basic leaf 0xd. */
Test(cpuid_15, amd_without_the_leaf)
{
	struct tsc_cpuid c = { .max_basic = 0xd, .hypervisor = 1,
			       .hv_max = 0x40000000 };
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
}

/* Intel answers leaves above the maximum with the top leaf's data. */
Test(cpuid_15, leaf_above_maximum_is_ignored)
{
	struct tsc_cpuid c = alder_lake;
	c.max_basic = 0x14;
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
}

Test(cpuid_15, zero_denominator_or_numerator)
{
	struct tsc_cpuid c = alder_lake;
	c.l15_eax = 0;
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
	c = alder_lake;
	c.l15_ebx = 0;
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
}

Test(cpuid_15, huge_and_tiny_products_are_not_believed)
{
	struct tsc_cpuid c = { .max_basic = 0x15, .l15_eax = 1,
			       .l15_ebx = UINT32_MAX, .l15_ecx = UINT32_MAX };
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0); /* 1.8e16 kHz, no overflow */
	c.l15_ebx = c.l15_ecx = 1;
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0); /* 1 Hz */
}

Test(cpuid_15, cross_checked_against_base_frequency)
{
	struct tsc_cpuid c = alder_lake;
	c.l16_eax = 3000; /* 20% below: one leaf is wrong */
	cr_assert_eq(tsc_khz_cpuid_15(&c), 0);
	c.l16_eax = 3500; /* 3% below: rounding of a marketing figure */
	cr_assert_eq(tsc_khz_cpuid_15(&c), 3609600);
	c.l16_eax = 0; /* no base given: nothing to check against */
	cr_assert_eq(tsc_khz_cpuid_15(&c), 3609600);
	c.l16_eax = 0xabcd0000u | 0xe10; /* only bits 15:0 are the base */
	cr_assert_eq(tsc_khz_cpuid_15(&c), 3609600);
	c.l16_eax = 1000;
	c.max_basic = 0x15; /* 0x16 absent: its register is not read */
	cr_assert_eq(tsc_khz_cpuid_15(&c), 3609600);
}

/* ---- CPUID 0x40000010 ---------------------------------------------------- */

/* VMware's layout: max leaf 0x40000010, EAX of 0x40000010 the TSC kHz. */
Test(cpuid_hv, vmware_leaf)
{
	struct tsc_cpuid c = { .hypervisor = 1, .hv_max = 0x40000010,
			       .hv_tsc_khz = 2918400 };
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 2918400);
}

Test(cpuid_hv, needs_the_leaf_and_a_hypervisor)
{
	/* This machine's hypervisor ("bhyve bhyve "): max leaf 0x40000000. */
	struct tsc_cpuid c = { .hypervisor = 1, .hv_max = 0x40000000,
			       .hv_tsc_khz = 2096006 };
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 0);
	c.hv_max = 0x4000000b;
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 0);
	c.hv_max = 0x40000010;
	c.hypervisor = 0; /* bare metal: the range aliases other leaves */
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 0);
}

Test(cpuid_hv, zero_and_absurd_values)
{
	struct tsc_cpuid c = { .hypervisor = 1, .hv_max = 0x40000010 };
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 0);
	c.hv_tsc_khz = UINT32_MAX;
	cr_assert_eq(tsc_khz_cpuid_hv(&c), 0);
}

/* ---- sysfs --------------------------------------------------------------- */

Test(sysfs, kernel_format)
{
	cr_assert_eq(tsc_khz_sysfs("2096006\n"), 2096006);
	cr_assert_eq(tsc_khz_sysfs("2445428"), 2445428);
}

Test(sysfs, malformed)
{
	static const char *const bad[] = {
		NULL, "", "\n", "abc", "-2096006\n", "+2096006", " 2096006",
		"2096006 kHz", "2096.006", "2096006\n7", "0\n", "99\n",
		"18446744073709551617\n", "99999999999999999999999999999\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(tsc_khz_sysfs(bad[i]), 0, "'%s'",
			     bad[i] ? bad[i] : "(null)");
}

/* ---- kernel log ---------------------------------------------------------- */

static uint64_t klog(const char *s)
{
	return tsc_khz_kernel_log(s, strlen(s));
}

/* This machine's klogctl text (dmesg -r), abridged. */
static const char this_machine[] =
	"<5>[    0.000000] Linux version 6.18.44-fc-v1045 (builder@sandboxing)\n"
	"<4>[    0.000000] [Firmware Bug]: TSC doesn't count with P0 frequency!\n"
	"<6>[    0.000003] clocksource: kvm-clock: mask: 0xffffffffffffffff "
	"max_cycles: 0x1cd42e4dffb, max_idle_ns: 881590591483 ns\n"
	"<6>[    0.000285] tsc: Detected 2096.006 MHz processor\n"
	"<6>[    0.070952] TSC deadline timer available\n"
	"<6>[    0.079409] tsc: Marking TSC unstable due to boot parameter\n"
	"<6>[    0.279888] clocksource: Switched to clocksource kvm-clock\n";

Test(kernel_log, this_machine_detected)
{
	cr_assert_eq(klog(this_machine), 2096006);
}

/* The same line as /dev/kmsg gives it. */
Test(kernel_log, kmsg_record)
{
	cr_assert_eq(klog("6,28,285,-;tsc: Detected 2096.006 MHz processor\n"),
		     2096006);
}

/* An Intel S2600WFT (Xeon) from an LKML thread: refined beats detected. */
Test(kernel_log, refined_calibration_wins)
{
	cr_assert_eq(klog("[    0.000000] DMI: Intel Corporation S2600WFT/"
			  "S2600WFT, BIOS SE5C620.86B.02.01.0008.031920191559 "
			  "03/19/2019\n"
			  "[    0.000000] tsc: Detected 2100.000 MHz processor\n"
			  "[   13.859982] tsc: Refined TSC clocksource "
			  "calibration: 2095.077 MHz\n"),
		     2095077);
}

/* A syslog file's form, from a CI job's log; no trailing newline. */
Test(kernel_log, syslog_prefix_and_clocksource_line)
{
	cr_assert_eq(klog("Aug 14 13:42:04 travis-job kernel: [    4.729366] "
			  "tsc: Refined TSC clocksource calibration: "
			  "2599.999 MHz\n"
			  "Aug 14 13:42:04 travis-job kernel: [    4.733738] "
			  "clocksource: tsc: mask: 0xffffffffffffffff "
			  "max_cycles: 0x257a3b2ad7e, max_idle_ns: "
			  "440795282337 ns"),
		     2599999);
}

/* When cpu_khz != tsc_khz the kernel prints both; the TSC one counts. */
Test(kernel_log, detected_tsc_over_detected_processor)
{
	cr_assert_eq(klog("[    0.000000] tsc: Detected 3700.000 MHz TSC\n"
			  "[    0.000000] tsc: Detected 3696.123 MHz processor\n"),
		     3700000);
}

Test(kernel_log, malformed_lines)
{
	static const char *const bad[] = {
		"",
		"\n\n\n",
		"garbage \x01\x02\xff tsc: tsc: tsc:",
		"[    0.000285] tsc: Detected 2096.006 MHz proc",   /* cut */
		"[    0.000285] tsc: Detected 2096.0",               /* cut */
		"[    0.000285] tsc: Detected 2096.006 MHz processor"
		"and more\n",
		"[    0.000285] tsc: Detected 2096 MHz processor\n",
		"[    0.000285] tsc: Detected 2096.06 MHz processor\n",
		"[    0.000285] tsc: Detected 2096.0065 MHz processor\n",
		"[    0.000285] tsc: Detected -2096.006 MHz processor\n",
		"[    0.000285] tsc: Detected .006 MHz processor\n",
		"[    0.000285] tsc: Detected 0.000 MHz processor\n",
		"[    0.000285] tsc: Detected 99999999999999999999.000 MHz "
		"processor\n",
		"[    0.000285] tsc: Detected 9999999.000 MHz processor\n",
		"[    0.000285] TSC: Detected 2096.006 MHz processor\n",
		"[    0.000285] tsc: Refined TSC clocksource calibration: "
		"2096.006 GHz\n",
		"[    0.079409] tsc: Marking TSC unstable due to boot parameter\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_expect_eq(klog(bad[i]), 0, "'%s'", bad[i]);
	cr_expect_eq(tsc_khz_kernel_log(NULL, 0), 0);
}

/* A bad refined line does not hide a good detected one. */
Test(kernel_log, unbelievable_line_is_skipped)
{
	cr_assert_eq(klog("tsc: Detected 2096.006 MHz processor\n"
			  "tsc: Refined TSC clocksource calibration: 0.001 MHz\n"),
		     2096006);
}

/* The length bounds the scan: no NUL needed, none read beyond. */
Test(kernel_log, length_not_nul_bounds_the_text)
{
	static const char line[] = "tsc: Detected 2096.006 MHz processor\n";
	cr_assert_eq(tsc_khz_kernel_log(line, strlen(line)), 2096006);
	cr_assert_eq(tsc_khz_kernel_log(line, strlen(line) - 5), 0);
	char exact[sizeof(line) - 1];
	memcpy(exact, line, sizeof(exact)); /* no terminator at all */
	cr_assert_eq(tsc_khz_kernel_log(exact, sizeof(exact)), 2096006);
}

/* ---- this machine -------------------------------------------------------- */

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

Test(calibrate, plausible_and_at_least_the_minimum_window)
{
	double t0 = seconds();
	uint64_t khz = tsc_calibrate_khz(1);
	double took = seconds() - t0;
	cr_log_info("calibrated: %llu kHz in %.3f s", (unsigned long long)khz,
		    took);
	cr_assert(khz >= TSC_KHZ_MIN && khz <= TSC_KHZ_MAX, "%llu",
		  (unsigned long long)khz);
	cr_assert_geq(took, TSC_CALIBRATE_MIN_MS / 1000.0);
}

static int known_source(const char *s)
{
	static const char *const names[] = {
		TSC_SRC_KVM, TSC_SRC_CPUID_HV, TSC_SRC_CPUID_15, TSC_SRC_SYSFS,
		TSC_SRC_KERNEL_LOG, TSC_SRC_CALIBRATED,
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return 0;
}

/* Whatever source answers here, it agrees with the TSC's real pace. */
Test(host_chain, answers_and_agrees_with_calibration)
{
	struct tsc_freq f;
	tsc_freq_host("/dev/kvm", &f);
	uint64_t cal = tsc_calibrate_khz(100);
	cr_log_info("host chain: %llu kHz from %s; calibrated %llu kHz",
		    (unsigned long long)f.khz, f.source,
		    (unsigned long long)cal);
	cr_assert(known_source(f.source), "%s", f.source);
	cr_assert(f.khz >= TSC_KHZ_MIN && f.khz <= TSC_KHZ_MAX);
	double off = ((double)f.khz - (double)cal) / (double)cal;
	cr_assert(off > -0.05 && off < 0.05, "%s %llu vs calibrated %llu",
		  f.source, (unsigned long long)f.khz, (unsigned long long)cal);
}

Test(host_chain, missing_kvm_device_falls_through)
{
	struct tsc_freq f;
	tsc_freq_host("/nonexistent/kvm", &f);
	cr_assert_str_neq(f.source, TSC_SRC_KVM);
	cr_assert(known_source(f.source), "%s", f.source);
	tsc_freq_host(NULL, &f);
	cr_assert_str_neq(f.source, TSC_SRC_KVM);
}
