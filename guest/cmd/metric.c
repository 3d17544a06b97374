/* Metric records of the bench command (metric.h). */
#include "cmd/metric.h"
#include "cmd/bench_opts.h"
#include "kernel/record.h"

static void metric_common(struct rec *r, unsigned rep, const char *name)
{
	rec_begin(r, "metric");
	rec_str(r, "variant", variant_names[bench.variant]);
	rec_str(r, "scenario", scenario_names[bench.scenario]);
	rec_u64(r, "size", bench.size);
	rec_u64(r, "rep", rep);
	rec_str(r, "metric", name);
}

void metric(unsigned rep, const char *name, uint64_t value, const char *unit)
{
	struct rec r;
	metric_common(&r, rep, name);
	rec_u64(&r, "value", value);
	rec_str(&r, "unit", unit);
	rec_end(&r);
}

void metric_na(unsigned rep, const char *name, const char *unit,
	       const char *why)
{
	struct rec r;
	metric_common(&r, rep, name);
	rec_str(&r, "value", "NA");
	rec_str(&r, "unit", unit);
	rec_str(&r, "note", why);
	rec_end(&r);
}
