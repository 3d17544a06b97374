/* The memory system's counters (vmstat.h). */
#include "kernel/vmstat.h"

struct vmstat vmstat;

void vmstat_since(const struct vmstat *before, struct vmstat *delta)
{
	const uint64_t *b = (const uint64_t *)before;
	const uint64_t *now = (const uint64_t *)&vmstat;
	uint64_t *d = (uint64_t *)delta;
	for (unsigned i = 0; i < sizeof(*delta) / sizeof(uint64_t); i++)
		d[i] = now[i] - b[i];
}
