/* The calib record into struct guest_calib (calibrec.h). */
#include <stdlib.h>

#include "calibrec.h"

/* A decimal field; *have cleared when it is missing or not decimal. */
static uint64_t field(const struct record *rec, const char *key, int *have)
{
	const char *v = rec_get(rec, key);
	char *end = NULL;
	uint64_t n = v && *v >= '0' && *v <= '9' ? strtoull(v, &end, 10) : 0;
	if (!end || *end)
		*have = 0;
	return n;
}

void calib_from_record(const struct record *rec, struct guest_calib *g)
{
	int have = 1;
	g->alu_cycles = field(rec, "cycles", &have);
	for (int i = 0; i < FB_OP_COUNT; i++)
		g->op_cycles[i] = field(rec, fb_op_names[i], &have);
	g->have_ops = have;
}
