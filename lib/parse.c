/* Size and comma-list parsing for every command line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: return -1;
	}
	if (*end && end[1] != '\0')
		return -1;
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

void size_text(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	unsigned u = 0;
	uint64_t v = bytes;
	while (v && v % 1024 == 0 && u < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u - 1]);
}

/*
 * Call fn on each comma-separated item of list (on a copy, so list stays
 * intact). Stops at the first item fn rejects; an empty item is passed
 * as "" so the error can name it. -1 also when the copy cannot be made.
 */
static int each_item(const char *list, int (*fn)(const char *item, void *ctx),
		     void *ctx)
{
	char *buf = strdup(list);
	if (!buf)
		return -1;
	int rc = 0;
	for (char *p = buf;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (fn(p, ctx) < 0) {
			rc = -1;
			break;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	free(buf);
	return rc;
}

/* "OPT 'ITEM': why" into err; -1, for the item callbacks to return. */
static int refuse(const struct list_spec *spec, const char *item,
		  const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s '%s': %s", spec->opt, item, why);
	return -1;
}

/* The rule every list shares besides validity: room left for one more. */
static int refuse_full(const struct list_spec *spec, const char *item,
		       char *err, size_t errlen)
{
	char why[96];
	snprintf(why, sizeof(why), "too many %ss (at most %u)", spec->noun,
		 spec->max);
	return refuse(spec, item, why, err, errlen);
}

struct sizes_ctx {
	const struct list_spec *spec;
	uint64_t align, limit;
	uint64_t *out;
	unsigned n;
	char *err;
	size_t errlen;
};

static int add_size(const char *item, void *arg)
{
	struct sizes_ctx *c = arg;
	char why[64], unit[24];
	uint64_t v;
	if (parse_size(item, &v) < 0)
		return refuse(c->spec, item,
			      "not a size (use e.g. 0, 4K, 64M, 1G)", c->err,
			      c->errlen);
	if (c->align > 1 && v % c->align) {
		size_text(c->align, unit, sizeof(unit));
		snprintf(why, sizeof(why), "not a multiple of %s", unit);
		return refuse(c->spec, item, why, c->err, c->errlen);
	}
	if (v > c->limit) {
		size_text(c->limit, unit, sizeof(unit));
		snprintf(why, sizeof(why), "larger than %s", unit);
		return refuse(c->spec, item, why, c->err, c->errlen);
	}
	for (unsigned i = 0; i < c->n; i++)
		if (c->out[i] == v)
			return refuse(c->spec, item, "given twice", c->err,
				      c->errlen);
	if (c->n == c->spec->max)
		return refuse_full(c->spec, item, c->err, c->errlen);
	c->out[c->n++] = v;
	return 0;
}

int parse_size_list(const char *list, const struct list_spec *spec,
		    uint64_t align, uint64_t limit, uint64_t *out,
		    unsigned *n, char *err, size_t errlen)
{
	struct sizes_ctx c = { spec, align, limit, out, 0, err, errlen };
	snprintf(err, errlen, "%s: out of memory", spec->opt);
	if (each_item(list, add_size, &c) < 0)
		return -1;
	*n = c.n;
	return 0;
}

struct names_ctx {
	const struct list_spec *spec;
	const char *const *names;
	unsigned count;
	unsigned *out;
	unsigned n;
	char *err;
	size_t errlen;
};

/* "OPT 'ITEM': unknown NOUN (a, b, c)": the choices, cut only at errlen. */
static int refuse_unknown(const struct names_ctx *c, const char *item)
{
	int n = snprintf(c->err, c->errlen, "%s '%s': unknown %s (",
			 c->spec->opt, item, c->spec->noun);
	for (unsigned i = 0; i < c->count && n >= 0 && (size_t)n < c->errlen;
	     i++)
		n += snprintf(c->err + n, c->errlen - (size_t)n, "%s%s",
			      i ? ", " : "", c->names[i]);
	if (n >= 0 && (size_t)n < c->errlen)
		snprintf(c->err + n, c->errlen - (size_t)n, ")");
	return -1;
}

static int add_name(const char *item, void *arg)
{
	struct names_ctx *c = arg;
	unsigned k = 0;
	while (k < c->count && strcmp(item, c->names[k]) != 0)
		k++;
	if (k == c->count)
		return refuse_unknown(c, item);
	for (unsigned i = 0; i < c->n; i++)
		if (c->out[i] == k)
			return refuse(c->spec, item, "given twice", c->err,
				      c->errlen);
	if (c->n == c->spec->max)
		return refuse_full(c->spec, item, c->err, c->errlen);
	c->out[c->n++] = k;
	return 0;
}

int parse_name_list(const char *list, const struct list_spec *spec,
		    const char *const *names, unsigned count, unsigned *out,
		    unsigned *n, char *err, size_t errlen)
{
	struct names_ctx c = { spec, names, count, out, 0, err, errlen };
	snprintf(err, errlen, "%s: out of memory", spec->opt);
	if (each_item(list, add_name, &c) < 0)
		return -1;
	*n = c.n;
	return 0;
}
