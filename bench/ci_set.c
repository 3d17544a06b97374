/* One measured side of forkbench ci (ci_set.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_write.h"
#include "ci_set.h"
#include "clock.h"
#include "csvjson.h"
#include "errmsg.h"
#include "meta.h"
#include "resultset.h"

/* All of path (malloc'd, NUL-terminated), its length in *len; NULL + errno. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	FILE *m = open_memstream(&text, len);
	char buf[65536];
	size_t n;
	int ok = m != NULL;
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = fwrite(buf, 1, n, m) == n;
	ok = ok && !ferror(f);
	int e = errno;
	fclose(f);
	if (m && fclose(m) != 0)
		ok = 0;
	if (!ok) {
		free(text);
		errno = e ? e : EIO;
		return NULL;
	}
	return text;
}

/*
 * A metrics.csv row of rep 0, the warm-up. The first four fields
 * (variant, scenario, size, rep) are names and numbers, never quoted.
 */
static int is_rep0(const char *line)
{
	const char *p = line;
	for (int field = 0; field < 3; field++) {
		p = strchr(p, ',');
		if (!p)
			return 0;
		p++;
	}
	return p[0] == '0' && p[1] == ',';
}

/* text's lines but the warm-up rows, into a new buffer (malloc'd). */
static char *measured_rows(const char *text, size_t *len)
{
	char *out = NULL;
	FILE *m = open_memstream(&out, len);
	if (!m)
		return NULL;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		n += p[n] == '\n';
		if (p == text || !is_rep0(p))
			fwrite(p, 1, n, m);
		p += n;
	}
	if (fclose(m) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* dir/name from sweep/name, through filter (NULL: as it is). */
static int copy_file(const char *dir, const char *sweep, const char *name,
		     char *(*filter)(const char *, size_t *), char *err,
		     size_t errlen)
{
	char from[4096], to[4096];
	size_t len;
	path_join(from, sizeof(from), sweep, name);
	path_join(to, sizeof(to), dir, name);
	char *text = read_all(from, &len);
	if (!text) {
		errmsg_cannot(err, errlen, "read", from, errno);
		return -1;
	}
	char *out = filter ? filter(text, &len) : text;
	int rc = -1;
	if (!out)
		snprintf(err, errlen, "out of memory");
	else
		rc = atomic_write(to, out, len, err, errlen);
	if (out != text)
		free(out);
	free(text);
	return rc;
}

static void json_field(FILE *f, const char *key, const char *value, int last)
{
	size_t need = json_escape(NULL, 0, value) + 1;
	char *esc = malloc(need);
	if (esc)
		json_escape(esc, need, value);
	fprintf(f, "  \"%s\": \"%s\"%s\n", key, esc ? esc : "", last ? "" : ",");
	free(esc);
}

static char *info_json(const struct ci_info *i, size_t *len)
{
	char created[32];
	char *text = NULL;
	FILE *m = open_memstream(&text, len);
	if (!m)
		return NULL;
	utc_now(created, sizeof(created), UTC_ISO8601);
	fprintf(m, "{\n");
	json_field(m, "schema", CI_SCHEMA, 0);
	json_field(m, "created", created, 0);
	json_field(m, "name", i->name, 0);
	json_field(m, "revision", i->revision, 0);
	json_field(m, "tree", i->tree, 0);
	json_field(m, "compiler", i->tc.compiler, 0);
	json_field(m, "qemu", i->tc.qemu, 0);
	json_field(m, "profile", i->profile, 1);
	fprintf(m, "}\n");
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int ci_set_write(const char *dir, const char *sweep, const struct ci_info *i,
		 char *err, size_t errlen)
{
	char path[4096];
	size_t len;
	if (copy_file(dir, sweep, METRICS_CSV, measured_rows, err, errlen) < 0 ||
	    copy_file(dir, sweep, META_JSON, NULL, err, errlen) < 0)
		return -1;
	char *json = info_json(i, &len);
	if (!json) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	path_join(path, sizeof(path), dir, CI_JSON);
	int rc = atomic_write(path, json, len, err, errlen);
	free(json);
	return rc;
}

/* One string member of ci.json; -1 with err naming it when absent. */
static int get(const char *file, const char *key, char *out, size_t len,
	       char *err, size_t errlen)
{
	if (meta_get(file, key, out, len) == 0)
		return 0;
	snprintf(err, errlen, "%s: no \"%s\" (not a forkbench ci result: make "
		 "perf-baseline writes one)", file, key);
	return -1;
}

int ci_set_read(const char *dir, struct ci_info *i, char *err, size_t errlen)
{
	char file[4096], schema[64];
	path_join(file, sizeof(file), dir, CI_JSON);
	memset(i, 0, sizeof(*i));
	FILE *f = fopen(file, "r");
	if (!f) {
		errmsg_cannot(err, errlen, "read", file, errno);
		return -1;
	}
	fclose(f);
	if (get(file, "schema", schema, sizeof(schema), err, errlen) < 0)
		return -1;
	if (strcmp(schema, CI_SCHEMA) != 0) {
		snprintf(err, errlen, "%s: schema '%s', expected '%s'", file,
			 schema, CI_SCHEMA);
		return -1;
	}
	if (get(file, "name", i->name, sizeof(i->name), err, errlen) < 0 ||
	    get(file, "revision", i->revision, sizeof(i->revision), err,
		errlen) < 0 ||
	    get(file, "compiler", i->tc.compiler, sizeof(i->tc.compiler), err,
		errlen) < 0 ||
	    get(file, "qemu", i->tc.qemu, sizeof(i->tc.qemu), err, errlen) < 0 ||
	    get(file, "profile", i->profile, sizeof(i->profile), err,
		errlen) < 0)
		return -1;
	/* optional: a working tree with changes has none */
	meta_get(file, "tree", i->tree, sizeof(i->tree));
	return 0;
}
