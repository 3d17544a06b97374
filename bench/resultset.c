/* Reading and writing the files of a result set. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvjson.h"
#include "resultset.h"
#include "schema.h"

int path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return -1;
		char *out = p;
		fields[n++] = p;
		if (*p == '"') { /* quoted: "" is a quote, ends at a lone quote */
			char *q = p + 1;
			for (;;) {
				if (!*q)
					return -1;
				if (*q == '"' && q[1] == '"') {
					*out++ = '"';
					q += 2;
				} else if (*q == '"') {
					q++;
					break;
				} else {
					*out++ = *q++;
				}
			}
			if (*q && *q != ',')
				return -1;
			p = q;
		} else {
			while (*p && *p != ',')
				p++;
			out = p;
		}
		int more = *p == ',';
		*out = '\0';
		if (!more)
			return n;
		p++;
	}
}

static int copy_text(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -1;
	strcpy(dst, src);
	return 0;
}

static int parse_number(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno ? 0 : -1;
}

static int parse_uint(const char *s, uint64_t *v)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno ? 0 : -1;
}

int note_is_warmup(const char *note)
{
	size_t n = strlen(WARMUP_NOTE);
	return strncmp(note, WARMUP_NOTE, n) == 0 &&
	       (note[n] == 0 || note[n] == ';');
}

/* One data line into r; the reason in why. */
static int parse_row(char *line, struct metric_row *r, const char **why)
{
	char *f[9];
	uint64_t rep;
	memset(r, 0, sizeof(*r));
	if (csv_split(line, f, 9) != 8) {
		*why = "expected 8 fields";
		return -1;
	}
	if (copy_text(r->variant, sizeof(r->variant), f[0]) ||
	    copy_text(r->scenario, sizeof(r->scenario), f[1]) ||
	    copy_text(r->metric, sizeof(r->metric), f[4]) ||
	    copy_text(r->unit, sizeof(r->unit), f[6]) ||
	    copy_text(r->note, sizeof(r->note), f[7])) {
		*why = "field too long";
		return -1;
	}
	if (parse_uint(f[2], &r->size) < 0 || parse_uint(f[3], &rep) < 0 ||
	    rep > 1000000) {
		*why = "size and rep must be non-negative integers";
		return -1;
	}
	r->rep = (unsigned)rep;
	r->warmup = note_is_warmup(r->note);
	if (strcmp(f[5], "NA") == 0)
		return 0;
	if (parse_number(f[5], &r->value) < 0) {
		*why = "value is neither a number nor NA";
		return -1;
	}
	r->has_value = 1;
	return 0;
}

int metrics_append(struct metric_table *t, const struct metric_row *r)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct metric_row *rows = realloc(t->rows, cap * sizeof(*rows));
		if (!rows)
			return -1;
		t->rows = rows;
		t->cap = cap;
	}
	t->rows[t->n++] = *r;
	return 0;
}

static int read_lines(FILE *f, const char *path, struct metric_table *t,
		      char *err, size_t errlen)
{
	char line[1024];
	unsigned long lineno = 1;
	if (fgets(line, sizeof(line), f))
		line[strcspn(line, "\r\n")] = '\0';
	else
		line[0] = '\0';
	if (strcmp(line, RESULTS_CSV_HEADER) != 0) {
		snprintf(err, errlen, "%s:1: not a forkbench metrics file "
			 "(header must be %s)", path, RESULTS_CSV_HEADER);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		size_t n = strlen(line);
		if (n && line[n - 1] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s:%lu: line too long", path, lineno);
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		struct metric_row r;
		const char *why = "";
		if (parse_row(line, &r, &why) < 0) {
			snprintf(err, errlen, "%s:%lu: %s", path, lineno, why);
			return -1;
		}
		if (metrics_append(t, &r) < 0) {
			snprintf(err, errlen, "%s: out of memory", path);
			return -1;
		}
	}
	return 0;
}

int metrics_read(const char *path, struct metric_table *t, char *err,
		 size_t errlen)
{
	memset(t, 0, sizeof(*t));
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = read_lines(f, path, t, err, errlen);
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	if (rc < 0)
		metrics_free(t);
	return rc;
}

void metrics_free(struct metric_table *t)
{
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

int metrics_read_set(const char *dir, struct metric_table *t, char *err,
		     size_t errlen)
{
	char path[4096];
	struct stat st;
	if (stat(dir, &st) < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory (expected a result "
			 "set)", dir);
		return -1;
	}
	if (path_join(path, sizeof(path), dir, METRICS_CSV) < 0) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (metrics_read(path, t, err, errlen) < 0)
		return -1;
	metrics_drop_warmup(t);
	return 0;
}

void metrics_drop_warmup(struct metric_table *t)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!t->rows[i].warmup)
			t->rows[kept++] = t->rows[i];
	t->n = kept;
}

/*
 * The shortest decimal that reads back as v: 0.716 stays "0.716", not
 * "0.71599999999999997", and no written value loses a bit; integers in
 * full.
 */
static void format_value(char *buf, size_t len, double v)
{
	/*
	 * The range first: casting a larger double (or NaN) is undefined.
	 * -0 is no integer here: "%lld" would lose its sign.
	 */
	if (v > -9e15 && v < 9e15 && v == (double)(long long)v &&
	    !(v == 0 && signbit(v))) {
		snprintf(buf, len, "%lld", (long long)v); /* never 1e+06 */
		return;
	}
	for (int digits = 1; digits < 17; digits++) {
		snprintf(buf, len, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, len, "%.17g", v);
}

void metrics_write_row(FILE *f, const struct metric_row *r)
{
	char size[24], rep[16], value[40];
	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
	snprintf(rep, sizeof(rep), "%u", r->rep);
	if (r->has_value)
		format_value(value, sizeof(value), r->value);
	else
		snprintf(value, sizeof(value), "NA");
	const char *cols[8] = { r->variant, r->scenario, size, rep, r->metric,
				value, r->unit, r->note };
	csv_row(f, cols, 8);
}

void configs_write_row(FILE *f, const struct config_row *r)
{
	char size[24], code[16], wall[32], guest[32] = "";
	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->size);
	snprintf(code, sizeof(code), "%d", r->exit_code);
	snprintf(wall, sizeof(wall), "%.3f", r->wall_s);
	if (r->guest_s >= 0)
		snprintf(guest, sizeof(guest), "%.3f", r->guest_s);
	const char *cols[8] = { r->variant, r->scenario, size,
				r->ok ? "ok" : "failed", code, r->reason, wall,
				guest };
	csv_row(f, cols, 8);
}
