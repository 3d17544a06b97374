/* include/fb_vocab.h: the tables agree with themselves and with users. */
#include <criterion/criterion.h>
#include <string.h>

#include "fb_vocab.h"
#include "host_opts.h"
#include "pmu_events.h"

Test(vocab, names_unique_and_found)
{
	for (int i = 0; i < FB_V_COUNT; i++)
		cr_expect_eq(fb_variant_find(fb_variant_names[i]), i, "%s",
			     fb_variant_names[i]);
	for (int i = 0; i < FB_SC_COUNT; i++)
		cr_expect_eq(fb_scenario_find(fb_scenario_names[i]), i, "%s",
			     fb_scenario_names[i]);
	for (int i = 0; i < FB_M_COUNT; i++)
		cr_expect_eq(fb_metric_find(fb_metric_names[i]), i, "%s",
			     fb_metric_names[i]);
	cr_expect_eq(fb_variant_find("clone"), -1, "clone has two meanings");
}

Test(vocab, two_clones_distinct)
{
	cr_expect(fb_variant_flags[FB_V_CLONE_VM] & FB_CLONE_VM);
	cr_expect_not(fb_variant_flags[FB_V_CLONE_FORK] & FB_CLONE_VM);
	cr_expect(fb_variant_in_bench(FB_V_CLONE_VM));
	cr_expect_not(fb_variant_in_bench(FB_V_CLONE_FORK));
	cr_expect(fb_variant_forksize[FB_V_CLONE_FORK]);
	cr_expect_not(fb_variant_forksize[FB_V_CLONE_VM]);
	for (int v = 0; v < HV_COUNT; v++)
		cr_expect_eq(fb_variant_find(host_variant_names[v]), -1, "%s",
			     host_variant_names[v]);
}

Test(vocab, cow_only_where_memory_is_copied)
{
	cr_expect(fb_variant_applies(FB_V_COPY, FB_SC_COW));
	cr_expect(fb_variant_applies(FB_V_COW, FB_SC_COW));
	cr_expect_not(fb_variant_applies(FB_V_VFORK, FB_SC_COW));
	cr_expect_not(fb_variant_applies(FB_V_CLONE_VM, FB_SC_COW));
	cr_expect(fb_variant_applies(FB_V_CLONE_VM, FB_SC_TLB));
	cr_expect_not(fb_variant_applies(-1, FB_SC_CREATE));
	cr_expect_not(fb_variant_applies(FB_V_COPY, FB_SC_COUNT));
}

/*
 * spawn starts an empty address space: nothing to write after the call,
 * no copy phases; it is a bench variant, but not in the default sweep.
 */
Test(vocab, spawn_runs_by_name_where_a_child_starts)
{
	const char *sweep[FB_V_COUNT], *bench[FB_V_COUNT];
	unsigned ns = fb_default_sweep_variants(sweep);
	unsigned nb = fb_bench_variants(bench);
	cr_expect(fb_variant_in_bench(FB_V_SPAWN));
	/* spawn, odf, huge_copy and huge_split run by name */
	cr_expect_eq(nb, ns + 4);
	for (unsigned i = 0; i < ns; i++)
		cr_expect_str_neq(sweep[i], "spawn");
	cr_expect_str_eq(bench[nb - 4], "spawn");
	for (int s = 0; s < FB_SC_COUNT; s++)
		cr_expect_eq(fb_variant_applies(FB_V_SPAWN, s),
			     s != FB_SC_COW && s != FB_SC_FIRST_WRITE &&
				     s != FB_SC_PHASES,
			     "%s", fb_scenario_names[s]);
	cr_expect_not(fb_variant_flags[FB_V_SPAWN] & FB_CLONE_VM);
	cr_expect_not(fb_variant_forksize[FB_V_SPAWN]);
}

/*
 * odf (on-demand fork) is a fork: every scenario applies, cow above all
 * (its first write in a range copies a table); run by name, not in the
 * default sweep; forksize checks it (a shared table per 2 MiB range).
 */
Test(vocab, odf_is_a_fork_run_by_name)
{
	const char *sweep[FB_V_COUNT], *bench[FB_V_COUNT];
	unsigned ns = fb_default_sweep_variants(sweep);
	unsigned nb = fb_bench_variants(bench);
	cr_expect(fb_variant_in_bench(FB_V_ODF));
	cr_expect_str_eq(bench[nb - 3], "odf");
	for (unsigned i = 0; i < ns; i++)
		cr_expect_str_neq(sweep[i], "odf");
	for (int s = 0; s < FB_SC_COUNT; s++)
		cr_expect(fb_variant_applies(FB_V_ODF, s), "%s",
			  fb_scenario_names[s]);
	cr_expect_eq(fb_variant_flags[FB_V_ODF], FB_SIGCHLD);
	cr_expect(fb_variant_forksize[FB_V_ODF]);
	cr_expect_eq(fb_metric_kinds[fb_metric_find("pt_shared")], FB_K_COUNTER);
	cr_expect_eq(fb_metric_kinds[fb_metric_find("pt_copied")], FB_K_COUNTER);
}

/* The 2 MiB-page forks: forks by name, every scenario, counters exact. */
Test(vocab, huge_page_forks_run_by_name)
{
	const char *bench[FB_V_COUNT];
	unsigned nb = fb_bench_variants(bench);
	cr_expect_str_eq(bench[nb - 2], "huge_copy");
	cr_expect_str_eq(bench[nb - 1], "huge_split");
	for (int s = 0; s < FB_SC_COUNT; s++)
		cr_expect(fb_variant_applies(FB_V_HUGE_SPLIT, s), "%s",
			  fb_scenario_names[s]);
	cr_expect_not(fb_variant_applies(FB_V_VFORK, FB_SC_FIRST_WRITE));
	cr_expect_eq(fb_metric_kinds[fb_metric_find("huge_copies")], FB_K_COUNTER);
	cr_expect_eq(fb_metric_kinds[fb_metric_find("pmd_splits")], FB_K_COUNTER);
	cr_expect_str_eq(fb_metric_units[fb_metric_find("regions_written")],
			 "regions");
}

Test(vocab, pmu_order_is_the_protocol)
{
	cr_assert_eq(PMU_METRICS, FB_PMU_COUNT);
	for (int i = 0; i < FB_PMU_COUNT; i++) {
		char want[64];
		snprintf(want, sizeof(want), "pmu_%s", pmu_metric_names[i]);
		cr_expect_str_eq(fb_metric_names[FB_M_PMU(i)], want);
		cr_expect_eq(fb_metric_kinds[FB_M_PMU(i)], FB_K_PMU);
	}
}

Test(vocab, statuses)
{
	cr_expect_str_eq(fb_status_name(FB_STATUS_PASS), "pass");
	cr_expect_str_eq(fb_status_name(FB_STATUS_NOMEM), "nomem");
	cr_expect_null(fb_status_name(0x99));
}

Test(vocab, units_and_kinds)
{
	for (int i = 0; i < FB_M_COUNT; i++) {
		cr_expect(fb_metric_units[i][0], "%s", fb_metric_names[i]);
		if (fb_metric_kinds[i] == FB_K_TIMING)
			cr_expect_str_eq(fb_metric_units[i], "cycles", "%s",
					 fb_metric_names[i]);
	}
}
