/*
 * forkbench host: one sample's metric rows, named, united and noted as
 * the guest's (fb_vocab.h, host_note.h), for the scenarios of
 * host_measure.c and the probes of host_probes.c.
 */
#ifndef FB_HOST_EMIT_H
#define FB_HOST_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "fb_vocab.h"
#include "host_measure.h"
#include "resultset.h"

/* What the rows of one sample share. */
struct rep_ctx {
	enum host_variant v;
	enum host_scenario s;
	uint64_t size;
	const struct host_sample *smp;
	unsigned batch;   /* loops behind the value; 0: not batched */
	long nivcsw;      /* switches beyond the expected ones */
	struct metric_table *out;
	char *err;
	size_t errlen;
};

/*
 * Metric m with its value (has_value) or NA for reason. -1 with err when
 * the table cannot grow.
 */
int host_emit(const struct rep_ctx *x, enum fb_metric m, int has_value,
	      double value, const char *reason);
int host_emit_value(const struct rep_ctx *x, enum fb_metric m,
		    uint64_t value);
/* num/den to 3 decimals, as the guest's metric_ratio writes it. */
int host_emit_ratio(const struct rep_ctx *x, enum fb_metric m, uint64_t num,
		    uint64_t den);

/*
 * Involuntary context switches of this process so far, its threads
 * included; not its children's (host_note.h says why).
 */
long host_nivcsw_now(void);

#endif
