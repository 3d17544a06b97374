/*
 * PMU detection. Programming the counters needs event codes chosen by
 * the host from the CPU model (ANCHORS.md, "Measurement practice"); until
 * a host passes them, and on guests without a PMU, every PMU metric is
 * reported missing with the reason.
 */
#include "pmu.h"
#include "bench.h"
#include "x86.h"

static const char *missing = "pmu not probed";

static const char *const pmu_metrics[] = {
	"pmu_instructions", "pmu_cycles", "pmu_llc_references",
	"pmu_llc_misses", "pmu_dtlb_load_walks", "pmu_dtlb_store_walks",
};

static int is_intel(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	return r[1] == 0x756e6547; /* "Genu" */
}

void pmu_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (is_intel()) {
		if (r[0] < 0xa) {
			missing = "no_pmu:cpuid_leaf_0xa_absent";
			return;
		}
		cpuid(0xa, 0, r);
		missing = (r[0] & 0xff) == 0 ? "no_pmu:cpuid_0xa_version_0"
					     : "pmu_present:event_programming_not_implemented";
		return;
	}
	cpuid(0x80000001, 0, r);
	missing = (r[2] >> 23) & 1 ? "pmu_present:event_programming_not_implemented"
				   : "no_pmu:amd_perfctr_core_absent";
}

const char *pmu_missing_reason(void)
{
	return missing;
}

void pmu_report(unsigned rep)
{
	for (unsigned i = 0; i < sizeof(pmu_metrics) / sizeof(*pmu_metrics); i++)
		metric_na(rep, pmu_metrics[i], "count", missing);
}
