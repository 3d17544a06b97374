/*
 * Argument parsing: strict, because a misspelt key silently ignored
 * would give plausible numbers for a different configuration.
 */
#include "plugin_args.h"

#include <stdio.h>
#include <string.h>

#define ALIGN_4K 0x1000ull
#define ALIGN_2M 0x200000ull

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A 0x-prefixed hexadecimal number of at most 64 bits, ending at *end. */
static int parse_hex(const char *s, uint64_t *v, const char **end)
{
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || hex_digit(s[2]) < 0)
		return -1;
	uint64_t x = 0;
	const char *p = s + 2;
	for (; hex_digit(*p) >= 0; p++) {
		if (x >> 60)
			return -1;
		x = x << 4 | (uint64_t)hex_digit(*p);
	}
	*v = x;
	*end = p;
	return 0;
}

int sim_range_parse(const char *s, uint64_t align, struct sim_range *r,
		    char *err, size_t errlen)
{
	const char *p;
	if (parse_hex(s, &r->lo, &p) || *p != '-' ||
	    parse_hex(p + 1, &r->hi, &p) || *p != '\0') {
		snprintf(err, errlen, "range \"%s\" is not 0xLO-0xHI", s);
		return -1;
	}
	if (r->lo >= r->hi) {
		snprintf(err, errlen, "range \"%s\" is empty (LO >= HI)", s);
		return -1;
	}
	if (r->lo % align || r->hi % align) {
		snprintf(err, errlen, "range \"%s\" is not aligned to 0x%llx",
			 s, (unsigned long long)align);
		return -1;
	}
	return 0;
}

static int add_range(struct sim_ranges *rs, const char *key, const char *val,
		     uint64_t align, char *err, size_t errlen)
{
	if (rs->n == SIM_MAX_RANGES) {
		snprintf(err, errlen, "more than %d %s= ranges", SIM_MAX_RANGES,
			 key);
		return -1;
	}
	if (sim_range_parse(val, align, &rs->r[rs->n], err, errlen))
		return -1;
	rs->n++;
	return 0;
}

/* A key that may be given once: out, preset. */
static int set_once(const char **slot, const char *key, const char *val,
		    char *err, size_t errlen)
{
	if (*slot) {
		snprintf(err, errlen, "%s= given twice", key);
		return -1;
	}
	if (*val == '\0') {
		snprintf(err, errlen, "%s= is empty", key);
		return -1;
	}
	*slot = val;
	return 0;
}

static int parse_one(const char *arg, struct sim_args *a, char *err,
		     size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		snprintf(err, errlen, "argument \"%s\" is not KEY=VALUE", arg);
		return -1;
	}
	size_t klen = (size_t)(eq - arg);
	const char *val = eq + 1;
	if (klen == 3 && strncmp(arg, "out", 3) == 0)
		return set_once(&a->out, "out", val, err, errlen);
	if (klen == 6 && strncmp(arg, "preset", 6) == 0) {
		if (set_once(&a->preset, "preset", val, err, errlen))
			return -1;
		if (strcmp(val, "skylake") && strcmp(val, "zen3") &&
		    strcmp(val, "cpuid")) {
			snprintf(err, errlen, "preset=%s: not skylake, zen3 "
				 "or cpuid", val);
			return -1;
		}
		return 0;
	}
	if (klen == 4 && strncmp(arg, "huge", 4) == 0)
		return add_range(&a->huge, "huge", val, ALIGN_2M, err, errlen);
	if (klen == 6 && strncmp(arg, "global", 6) == 0)
		return add_range(&a->global, "global", val, ALIGN_4K, err,
				 errlen);
	snprintf(err, errlen, "unknown argument \"%.*s\" (out, preset, huge, "
		 "global)", (int)klen, arg);
	return -1;
}

int sim_args_parse(int argc, char **argv, struct sim_args *a, char *err,
		   size_t errlen)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc; i++)
		if (parse_one(argv[i], a, err, errlen))
			return -1;
	if (!a->out) {
		snprintf(err, errlen, "out=PATH is required");
		return -1;
	}
	if (!a->preset)
		a->preset = "cpuid";
	return 0;
}

int sim_ranges_contain(const struct sim_ranges *rs, uint64_t va)
{
	for (unsigned i = 0; i < rs->n; i++)
		if (va >= rs->r[i].lo && va < rs->r[i].hi)
			return 1;
	return 0;
}
