/* Cutting the console stream into lines and sorting them. */
#include <string.h>

#include "clock.h"
#include "stream.h"

void stream_init(struct stream *s, FILE *console, FILE *records)
{
	memset(s, 0, sizeof(*s));
	s->console = console;
	s->records = records;
	s->lineno = 1;
	rec_stream_init(&s->rs);
}

void stream_set_sink(struct stream *s,
		     void (*sink)(void *ctx, const struct record *r), void *ctx)
{
	s->sink = sink;
	s->sink_ctx = ctx;
}

static void fail(struct stream *s, size_t col, const char *why)
{
	if (s->error[0]) /* the first error is the one that explains */
		return;
	snprintf(s->error, sizeof(s->error), "record at line %lu, offset %zu: %s",
		 s->lineno, col, why);
}

static void remember(struct stream *s, const struct record *r)
{
	if (strcmp(r->type, "end") == 0) {
		s->saw_end = 1;
		snprintf(s->end_status, sizeof(s->end_status), "%s",
			 rec_get(r, "status"));
	} else if (strcmp(r->type, "exception") == 0) {
		s->has_exception = 1;
		s->exception = *r;
	}
}

static void take_record(struct stream *s)
{
	struct record r;
	size_t col = 0;
	char why[256];
	if (rec_parse(s->line, s->len, &r, &col, why, sizeof(why)) < 0 ||
	    rec_stream_accept(&s->rs, &r, why, sizeof(why)) < 0) {
		fail(s, col, why);
		return;
	}
	if (s->nrecords++ == 0)
		s->first_record_at = now_seconds();
	remember(s, &r);
	if (s->records)
		fprintf(s->records, "%.*s\n", (int)s->len, s->line);
	if (s->sink)
		s->sink(s->sink_ctx, &r);
}

/* A Linux guest reboots on panic (panic=-1): its last words explain. */
static void remember_panic(struct stream *s)
{
	static const char word[] = "Kernel panic";
	const char *at = memmem(s->line, s->len, word, sizeof(word) - 1);
	if (!at || s->panic[0])
		return;
	size_t n = s->len - (size_t)(at - s->line);
	while (n && (at[n - 1] == '\r' || at[n - 1] == ' '))
		n--;
	snprintf(s->panic, sizeof(s->panic), "%.*s", (int)n, at);
}

static void end_line(struct stream *s)
{
	if (s->passthrough) {
		if (s->console)
			fputc('\n', s->console);
	} else if (rec_is_record(s->line, s->len)) {
		take_record(s);
	} else {
		remember_panic(s);
		if (s->console)
			fprintf(s->console, "%.*s\n", (int)s->len, s->line);
	}
	s->len = 0;
	s->passthrough = 0;
	s->lineno++;
}

/* A line too long to be a record: console text goes on, a record fails. */
static void overflow(struct stream *s)
{
	if (!s->passthrough && rec_is_record(s->line, s->len))
		fail(s, FB_REC_LINE_MAX, "record line longer than the maximum");
	else if (s->console)
		fwrite(s->line, 1, s->len, s->console);
	s->passthrough = 1;
	s->len = 0;
}

void stream_feed(struct stream *s, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			end_line(s);
			continue;
		}
		if (s->len == sizeof(s->line))
			overflow(s);
		s->line[s->len++] = buf[i];
	}
}

void stream_finish(struct stream *s)
{
	if (s->len || s->passthrough)
		end_line(s);
	if (s->console)
		fflush(s->console);
}
