/* A sample's metric rows (host_emit.h). */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "host_emit.h"
#include "host_note.h"

int host_emit(const struct rep_ctx *x, enum fb_metric m, int has_value,
	      double value, const char *reason)
{
	struct metric_row r;
	const struct host_note note = {
		.warmup = x->smp->rep == 0, .reason = reason, .batch = x->batch,
		.nivcsw = x->nivcsw, .loaded = x->smp->loaded,
		.load = x->smp->load,
	};
	memset(&r, 0, sizeof(r));
	snprintf(r.variant, sizeof(r.variant), "%s", host_variant_names[x->v]);
	snprintf(r.scenario, sizeof(r.scenario), "%s", host_scenario_names[x->s]);
	snprintf(r.metric, sizeof(r.metric), "%s", fb_metric_names[m]);
	snprintf(r.unit, sizeof(r.unit), "%s", fb_metric_units[m]);
	host_note_format(r.note, sizeof(r.note), &note);
	r.size = x->size;
	r.rep = x->smp->rep;
	r.warmup = note.warmup;
	r.has_value = has_value;
	r.value = value;
	if (metrics_append(x->out, &r) == 0)
		return 0;
	snprintf(x->err, x->errlen, "out of memory for metric rows");
	return -1;
}

int host_emit_value(const struct rep_ctx *x, enum fb_metric m, uint64_t value)
{
	return host_emit(x, m, 1, (double)value, NULL);
}

int host_emit_ratio(const struct rep_ctx *x, enum fb_metric m, uint64_t num,
		    uint64_t den)
{
	/* the guest's rounding: half up, in thousandths */
	uint64_t milli = (num * 1000 + den / 2) / den;
	return host_emit(x, m, 1, (double)milli / 1000.0, NULL);
}

long host_nivcsw_now(void)
{
	struct rusage u;
	return getrusage(RUSAGE_SELF, &u) == 0 ? u.ru_nivcsw : 0;
}
