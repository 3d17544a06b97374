/*
 * Reading values back from the JSON metadata files forkbench and fbvmm
 * write (a result set's meta.json, results/README.md; fbvmm's --meta
 * file, a guest sweep's raw/KEY.json), with json-c: the file is parsed
 * whole and a value is found by its path from the top, so a key nested
 * in one object never answers for another.
 */
#ifndef FB_META_H
#define FB_META_H

#include <stddef.h>

/*
 * The scalar at path, a dotted path from the top-level object
 * ("validity.verdict", "clock.tsc_khz"): a string as it is (unescaped),
 * a number or boolean as JSON writes it. Cut to len - 1 bytes if longer.
 * 0, or -1 when the file is missing or not JSON, the path leads nowhere,
 * or the value is null, an object or an array.
 */
int meta_get(const char *file, const char *path, char *out, size_t len);

/* The number at path into *v: 0, or -1 as meta_get (also a non-number). */
int meta_get_number(const char *file, const char *path, double *v);

/*
 * The object or array at path as compact JSON text (json-c's own
 * spelling), to carry a structure from one file into another whole.
 * 0, or -1 when missing, not an object or array, or longer than len - 1.
 */
int meta_get_json(const char *file, const char *path, char *out, size_t len);

#endif
