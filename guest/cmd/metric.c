/* Metric records of the bench command (metric.h). */
#include "cmd/metric.h"
#include "cmd/bench_opts.h"
#include "kernel/record.h"

static void metric_common(struct rec *r, unsigned rep, enum fb_metric m)
{
	rec_begin(r, "metric");
	rec_str(r, "variant", fb_variant_names[bench.variant]);
	rec_str(r, "scenario", fb_scenario_names[bench.scenario]);
	rec_u64(r, "size", bench.size);
	rec_u64(r, "rep", rep);
	rec_str(r, "metric", fb_metric_names[m]);
}

void metric(unsigned rep, enum fb_metric m, uint64_t value)
{
	struct rec r;
	metric_common(&r, rep, m);
	rec_u64(&r, "value", value);
	rec_str(&r, "unit", fb_metric_units[m]);
	rec_end(&r);
}

void metric_na(unsigned rep, enum fb_metric m, const char *why)
{
	struct rec r;
	metric_common(&r, rep, m);
	rec_str(&r, "value", "NA");
	rec_str(&r, "unit", fb_metric_units[m]);
	rec_str(&r, "note", why);
	rec_end(&r);
}
