/* Scalar look-ups in JSON metadata files, by path, with json-c. */
#include <json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta.h"

/*
 * The value at a dotted path below root, or NULL. Each step must be an
 * object holding the next key: a path never matches deeper than it says.
 */
static struct json_object *walk(struct json_object *root, const char *path)
{
	char key[128];
	struct json_object *at = root;
	while (at && *path) {
		size_t n = strcspn(path, ".");
		if (n == 0 || n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		if (!json_object_is_type(at, json_type_object) ||
		    !json_object_object_get_ex(at, key, &at))
			return NULL;
	}
	return at;
}

/* Strings, numbers and booleans: what a caller can print or compare. */
static int is_scalar(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		return 1;
	default: /* null (json-c's NULL object), objects and arrays */
		return 0;
	}
}

#define META_MAX (1024 * 1024) /* ours are a few KiB */

/* The file's bytes, terminated, or NULL (missing, unreadable, too big). */
static char *slurp(const char *file, size_t *len)
{
	FILE *f = fopen(file, "r");
	char *buf = f ? malloc(META_MAX + 1) : NULL;
	size_t n = buf ? fread(buf, 1, META_MAX + 1, f) : 0;
	int bad = !f || !buf || ferror(f) || n > META_MAX;
	if (f)
		fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * The whole file parsed as one JSON object, or NULL. Anything but
 * whitespace after it counts as malformed too: a file cut and appended
 * to is not a file we wrote.
 */
static struct json_object *load(const char *file)
{
	size_t len;
	char *text = slurp(file, &len);
	struct json_tokener *tok = text ? json_tokener_new() : NULL;
	struct json_object *root = NULL;
	if (tok && len <= INT_MAX) {
		/* RFC 8259 only: no single quotes, no trailing commas */
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		root = json_tokener_parse_ex(tok, text, (int)len);
	}
	if (root && (json_tokener_get_error(tok) != json_tokener_success ||
		     !json_object_is_type(root, json_type_object) ||
		     text[strspn(text + json_tokener_get_parse_end(tok),
				 " \t\r\n") + json_tokener_get_parse_end(tok)])) {
		json_object_put(root);
		root = NULL;
	}
	if (tok)
		json_tokener_free(tok);
	free(text);
	return root;
}

int meta_get(const char *file, const char *path, char *out, size_t len)
{
	if (len == 0)
		return -1;
	struct json_object *root = load(file);
	struct json_object *v = root ? walk(root, path) : NULL;
	int rc = -1;
	if (v && is_scalar(v)) {
		snprintf(out, len, "%s", json_object_get_string(v));
		rc = 0;
	}
	json_object_put(root);
	return rc;
}

int meta_get_number(const char *file, const char *path, double *out)
{
	struct json_object *root = load(file);
	struct json_object *v = root ? walk(root, path) : NULL;
	int rc = -1;
	if (v && (json_object_is_type(v, json_type_int) ||
		  json_object_is_type(v, json_type_double))) {
		*out = json_object_get_double(v);
		rc = 0;
	}
	json_object_put(root);
	return rc;
}

int meta_get_json(const char *file, const char *path, char *out, size_t len)
{
	struct json_object *root = load(file);
	struct json_object *v = root ? walk(root, path) : NULL;
	int rc = -1;
	if (v && (json_object_is_type(v, json_type_object) ||
		  json_object_is_type(v, json_type_array))) {
		const char *text = json_object_to_json_string_ext(
			v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (strlen(text) < len) {
			snprintf(out, len, "%s", text);
			rc = 0;
		}
	}
	json_object_put(root);
	return rc;
}
