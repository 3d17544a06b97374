/* Cache and TLB sizes from CPUID, Intel's leaves or AMD's. */
#ifndef GUEST_CPUSIZES_H
#define GUEST_CPUSIZES_H

#include <stdint.h>

/* L2 size in KiB (Intel leaf 4, AMD 0x80000006 ECX); 0 when not reported. */
uint64_t cpu_l2_kb(void);
/*
 * Second-level (shared) TLB entries for 4 KiB pages (Intel leaf 0x18,
 * AMD 0x80000006 EBX); 0 when not reported.
 */
uint64_t cpu_stlb_entries(void);

#endif
