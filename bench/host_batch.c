/* Sizing lat_proc-style batches, and their per-loop value. */
#include "host_batch.h"

unsigned host_batch_grow(unsigned k, uint64_t cycles, uint64_t min_cycles,
			 unsigned max)
{
	if (cycles >= min_cycles || k >= max)
		return 0;
	return k > max / 2 ? max : 2 * k;
}

int host_batch_calibrate(host_batch_timer timer, void *ctx,
			 uint64_t min_cycles, unsigned max, unsigned *k,
			 uint64_t *cycles)
{
	unsigned retries = 0;
	*k = 1;
	for (;;) {
		int rc = timer(ctx, *k, cycles);
		if (rc < 0)
			return -1;
		if (rc > 0 && retries < HOST_BATCH_RETRIES) {
			retries++;
			continue;
		}
		unsigned next = host_batch_grow(*k, *cycles, min_cycles, max);
		if (!next)
			return 0;
		*k = next;
	}
}

uint64_t host_batch_per_loop(uint64_t cycles, unsigned k)
{
	return k ? (cycles + k / 2) / k : cycles;
}
