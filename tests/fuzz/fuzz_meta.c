/*
 * meta_get (bench/meta.c) on arbitrary files: meta.json files are read
 * back by run and plot, and may be hand-edited or cut short. The keys are
 * the ones forkbench looks up; the output buffers are heap blocks of
 * exactly their size (one large, one small) so ASan sees any overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "meta.h"

static const char *const keys[] = {
	"validity.verdict", "validity.ratio", "validity.why", "git_revision",
	"clock.tsc_khz", "backend", "host.cpu_brand", "host.kernel",
	"tsc_khz", "validity.guest_calib_cycles",
};

static void get(const char *path, const char *key, size_t len)
{
	char *out = malloc(len);

	if (!out)
		abort();
	if (meta_get(path, key, out, len) == 0 && strnlen(out, len) == len)
		fuzz_fail("meta_get(%s) left no terminator in %zu bytes", key,
			  len);
	free(out);
}

/*
 * One key per input, picked by its size: every meta_get reads the file
 * into a fresh 256 KiB block, which ASan maps and unmaps each time, so
 * asking for all keys every time would cut the exec rate eightfold.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	const char *key = keys[size % (sizeof(keys) / sizeof(*keys))];

	get(path, key, 512);
	/* Truncation at every small size, varied by the input. */
	get(path, key, 1 + size / 8 % 8);
	return 0;
}
