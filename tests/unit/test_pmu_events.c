/* Which event measures each PMU metric, per CPU family and model. */
#include <criterion/criterion.h>
#include <string.h>

#include "pmu_events.h"

static struct pmu_event ev[PMU_METRICS];

static void expect(enum pmu_metric m, unsigned event, unsigned umask)
{
	cr_assert(ev[m].known, "%s unknown: %s", pmu_metric_names[m], ev[m].why);
	cr_assert_eq(ev[m].event, event, "%s event", pmu_metric_names[m]);
	cr_assert_eq(ev[m].umask, umask, "%s umask", pmu_metric_names[m]);
}

static void expect_unknown(enum pmu_metric m, const char *why)
{
	cr_assert_not(ev[m].known, "%s should be unknown", pmu_metric_names[m]);
	cr_assert(strstr(ev[m].why, why), "%s: %s", pmu_metric_names[m], ev[m].why);
}

Test(pmu_events, intel_icelake_server)
{
	pmu_events_for("GenuineIntel", 6, 0x6a, ev);
	expect(PMU_INSTRUCTIONS, 0xc0, 0x00);
	expect(PMU_CYCLES, 0x3c, 0x00);
	expect(PMU_LLC_REFERENCES, 0x2e, 0x4f);
	expect(PMU_LLC_MISSES, 0x2e, 0x41);
	expect(PMU_DTLB_LOAD_WALKS, 0x08, 0x0e);
	expect(PMU_DTLB_STORE_WALKS, 0x49, 0x0e);
}

Test(pmu_events, intel_sapphire_rapids)
{
	pmu_events_for("GenuineIntel", 6, 0x8f, ev);
	expect(PMU_DTLB_LOAD_WALKS, 0x12, 0x0e);
	expect(PMU_DTLB_STORE_WALKS, 0x13, 0x0e);
}

Test(pmu_events, intel_unknown_model_keeps_architectural_events)
{
	pmu_events_for("GenuineIntel", 6, 0x01, ev);
	expect(PMU_LLC_MISSES, 0x2e, 0x41);
	expect_unknown(PMU_DTLB_LOAD_WALKS, "no_dtlb_event_known");
}

Test(pmu_events, amd_zen3)
{
	pmu_events_for("AuthenticAMD", 0x19, 0x01, ev);
	expect(PMU_INSTRUCTIONS, 0xc0, 0x00);
	expect(PMU_CYCLES, 0x76, 0x00);
	expect(PMU_DTLB_LOAD_WALKS, 0x45, 0xf0);
	expect_unknown(PMU_LLC_MISSES, "l3_pmu");
	expect_unknown(PMU_DTLB_STORE_WALKS, "loads_and_stores");
}

Test(pmu_events, other_cpus_know_nothing)
{
	pmu_events_for("HygonGenuine", 0x18, 0, ev);
	for (int m = 0; m < PMU_METRICS; m++)
		expect_unknown((enum pmu_metric)m, "no_events_known");
	pmu_events_for("", -1, -1, ev);
	expect_unknown(PMU_CYCLES, "no_events_known");
}

Test(pmu_events, guest_parameter)
{
	char buf[128];
	pmu_events_for("AuthenticAMD", 0x19, 0x01, ev);
	cr_assert_eq(pmu_events_param(ev, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "pmu=c0.00,76.00,-,-,45.f0,-");
	cr_assert_lt(pmu_events_param(ev, buf, 10), 0);
}
