/*
 * Hardware performance counters. Each repetition reports the PMU metrics
 * (instructions, cycles, LLC references/misses, dTLB load/store walks);
 * when the guest has no PMU they are reported as missing, with the
 * reason, never as 0.
 */
#ifndef GUEST_PMU_H
#define GUEST_PMU_H

/* Probe CPUID once: Intel leaf 0xA version, AMD PerfCtrExtCore. */
void pmu_init(void);
/* NULL when counters are usable, else why they are not. */
const char *pmu_missing_reason(void);
/*
 * Check the host's event codes ("pmu=" parameter: one hex event.umask
 * or "-" per PMU metric, comma separated): NULL if well formed, else
 * what is wrong.
 */
const char *pmu_events_problem(const char *s);
/* Report every PMU metric of a repetition (metric.h). */
void pmu_report(unsigned rep);

#endif
