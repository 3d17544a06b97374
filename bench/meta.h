/*
 * Reading values back from the meta.json files forkbench writes itself
 * (fbvmm --meta, run, host). Not a general JSON parser: it finds the first
 * "key": and returns the scalar after it, which is enough for files whose
 * keys we choose.
 */
#ifndef FB_META_H
#define FB_META_H

#include <stddef.h>

/*
 * The value of the first "key": in the file at path, unquoted if it is a
 * string (escapes kept as written). 0, or -1 if the file or key is missing.
 */
int meta_get(const char *path, const char *key, char *out, size_t len);

#endif
