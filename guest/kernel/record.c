/* Record lines: seq numbering, field encoding, checksum. */
#include "kernel/record.h"
#include "kernel/console.h"
#include "kernel/lib.h"

static uint64_t next_seq;
static int dropped;

uint64_t rec_count(void)
{
	return next_seq;
}

int rec_dropped(void)
{
	return dropped;
}

static void append(struct rec *r, const char *s, size_t n)
{
	if (r->len + n > FB_REC_LINE_MAX) {
		r->overflow = 1;
		return;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
}

static void append_field(struct rec *r, const char *key, const char *value)
{
	char v[FB_REC_VALUE_MAX + 1];
	size_t n = 0;
	for (; value[n] && n < FB_REC_VALUE_MAX; n++) {
		char c = value[n];
		v[n] = (c > 0x20 && c < 0x7f && c != '=') ? c : '_';
	}
	if (n == 0)
		v[n++] = '-'; /* the format has no empty values */
	if (value[n])
		r->overflow = 1;
	append(r, " ", 1);
	append(r, key, strlen(key));
	append(r, "=", 1);
	append(r, v, n);
}

void rec_begin(struct rec *r, const char *type)
{
	char seq[24];
	r->len = 0;
	r->overflow = 0;
	append(r, FB_REC_PREFIX, sizeof(FB_REC_PREFIX) - 2); /* no space */
	snprintf(seq, sizeof(seq), "%lu", next_seq);
	append_field(r, "seq", seq);
	append_field(r, "type", type);
}

void rec_str(struct rec *r, const char *key, const char *value)
{
	append_field(r, key, value);
}

void rec_u64(struct rec *r, const char *key, uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "%lu", v);
	append_field(r, key, s);
}

void rec_hex(struct rec *r, const char *key, uint64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "0x%lx", v);
	append_field(r, key, s);
}

void rec_end(struct rec *r)
{
	char trailer[16];
	uint32_t sum = fb_fnv1a32(r->buf, r->len);
	snprintf(trailer, sizeof(trailer), " #%08x\n", sum);
	append(r, trailer, strlen(trailer) - 1);
	if (r->overflow) {
		dropped = 1;
		console_end_line();
		kprintf("record: dropped a record longer than %d bytes\n",
			FB_REC_LINE_MAX);
		return;
	}
	r->buf[r->len++] = '\n'; /* the buffer has room beyond the max */
	console_end_line();
	console_write(r->buf, r->len);
	next_seq++;
}

void rec_test(const char *name, int passed, const char *detail)
{
	struct rec r;
	rec_begin(&r, "test");
	rec_str(&r, "name", name);
	rec_str(&r, "result", passed ? "pass" : "fail");
	if (detail)
		rec_str(&r, "detail", detail);
	rec_end(&r);
}

void rec_sim(const char *variant, const char *scenario, uint64_t size,
	     unsigned rep, unsigned pass, uint64_t region, unsigned tag)
{
	struct rec r;
	rec_begin(&r, "sim");
	rec_str(&r, "variant", variant);
	rec_str(&r, "scenario", scenario);
	rec_u64(&r, "size", size);
	rec_u64(&r, "rep", rep);
	rec_str(&r, "pass", pass ? "after" : "before");
	rec_u64(&r, "region", region);
	rec_u64(&r, "tag", tag);
	rec_end(&r);
}
