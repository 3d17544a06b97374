/* Argument checks shared by the commands (args.h). */
#include "cmd/args.h"
#include "kernel/bootinfo.h"
#include "kernel/end.h"
#include "kernel/frame.h"
#include "kernel/lib.h"

static int in_set(char c, const char *set)
{
	for (; *set; set++)
		if (c == *set)
			return 1;
	return 0;
}

/* Digits (hex after 0x) with an optional K/M/G: a size, maybe too big. */
static int size_shaped(const char *s)
{
	size_t n = strlen(s);
	if (n > 1 && in_set(s[n - 1], "KkMmGg"))
		n--;
	size_t i = 0;
	int hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (hex)
		i = 2;
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (hex && in_set(s[i], "abcdefABCDEF"))))
			return 0;
	return 1;
}

const char *size_problem(const char *s, uint64_t *bytes)
{
	if (!s[0])
		return "is empty";
	if (parse_size(s, bytes) < 0)
		return size_shaped(s) ? "is too large (2^64 bytes or more)"
				      : "is not a size (bytes, or a number "
					"with K, M or G)";
	if (*bytes % PAGE_SIZE)
		return "is not a multiple of 4K";
	return 0;
}

int choice_index(const char *v, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

void choice_list(char *buf, size_t len, const char *const *names, unsigned n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? " " : "", names[i]);
}

/*
 * The parent's frames, its page tables (one per 2 MiB, one directory per
 * 1 GiB) and a few for init's own stack and tables. Anything that fits
 * this but not the fork itself still fails later, as out of memory.
 */
static uint64_t parent_frames(uint64_t bytes)
{
	uint64_t pages = bytes / PAGE_SIZE;
	return pages + (pages + 511) / 512 + (pages + 262143) / 262144 + 16;
}

void parent_must_fit(const char *cmd, const char *spelled, uint64_t bytes)
{
	uint64_t need = parent_frames(bytes), have = frame_capacity();
	if (need <= have)
		return;
	/* Rounded up: firmware reservations make "-m 64M" a little less. */
	uint64_t ram_mib = (boot.ram_bytes + (1 << 20) - 1) >> 20;
	refuse(FB_STATUS_NOMEM,
	       "%s: guest RAM too small: cannot allocate the parent: size %s "
	       "needs %lu 4K frames, %lu MiB of guest RAM has %lu free",
	       cmd, spelled, need, ram_mib, have);
}
