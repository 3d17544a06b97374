/* Metric records of the bench command (metric.h). */
#include "cmd/metric.h"
#include "cmd/bench_opts.h"
#include "kernel/lib.h"
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

/* A valued row's unit and, for the warm-up, its note; then send it. */
static void metric_end(struct rec *r, unsigned rep, enum fb_metric m)
{
	rec_str(r, "unit", fb_metric_units[m]);
	if (rep == METRIC_WARMUP_REP)
		rec_str(r, "note", FB_WARMUP_NOTE);
	rec_end(r);
}

void metric(unsigned rep, enum fb_metric m, uint64_t value)
{
	struct rec r;
	metric_common(&r, rep, m);
	rec_u64(&r, "value", value);
	metric_end(&r, rep, m);
}

void metric_ratio(unsigned rep, enum fb_metric m, uint64_t num, uint64_t den)
{
	struct rec r;
	char value[48];
	uint64_t milli = (num * 1000 + den / 2) / den; /* num < 2^54: no overflow */
	snprintf(value, sizeof(value), "%lu.%03lu", milli / 1000, milli % 1000);
	metric_common(&r, rep, m);
	rec_str(&r, "value", value);
	metric_end(&r, rep, m);
}

void metric_na(unsigned rep, enum fb_metric m, const char *why)
{
	struct rec r;
	char note[96];
	metric_common(&r, rep, m);
	rec_str(&r, "value", "NA");
	rec_str(&r, "unit", fb_metric_units[m]);
	if (rep == METRIC_WARMUP_REP) {
		snprintf(note, sizeof(note), "%s;%s", FB_WARMUP_NOTE, why);
		why = note;
	}
	rec_str(&r, "note", why);
	rec_end(&r);
}
