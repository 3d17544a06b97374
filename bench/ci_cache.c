/* The cache of base results (ci_cache.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ci_cache.h"
#include "ci_fs.h"
#include "errmsg.h"
#include "mkdirp.h"
#include "resultset.h"

int ci_cache_root(const char *dir, char *root, size_t len, char *err,
		  size_t errlen)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;
	if (dir)
		n = snprintf(root, len, "%s", dir);
	else if (xdg && xdg[0] == '/') /* the spec: relative ones are invalid */
		n = snprintf(root, len, "%s/forkbench/ci", xdg);
	else if (home && home[0])
		n = snprintf(root, len, "%s/.cache/forkbench/ci", home);
	else {
		snprintf(err, errlen, "no cache directory: neither "
			 "XDG_CACHE_HOME nor HOME is set (give --cache DIR, or "
			 "--no-cache)");
		return -1;
	}
	if (n < 0 || (size_t)n >= len - 128) { /* room for the entry's name */
		snprintf(err, errlen, "--cache: path too long");
		return -1;
	}
	return 0;
}

/* FNV-1a, 64 bits, over s continuing from h. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h ^ 0xff; /* a separator, so "ab","c" and "a","bc" differ */
}

void ci_cache_entry(const char *root, const struct ci_info *info, char *path,
		    size_t len)
{
	char version[16];
	snprintf(version, sizeof(version), "%d", CI_CACHE_VERSION);
	uint64_t h = 0xcbf29ce484222325ull;
	h = fnv1a(h, version);
	h = fnv1a(h, info->tc.compiler);
	h = fnv1a(h, info->tc.qemu);
	h = fnv1a(h, info->profile);
	snprintf(path, len, "%s/%s-%016llx", root, info->tree,
		 (unsigned long long)h);
}

int ci_cache_has(const char *entry)
{
	char p[4096];
	path_join(p, sizeof(p), entry, CI_JSON);
	return access(p, R_OK) == 0;
}

int ci_cache_store(const char *root, const char *entry, const char *sweep,
		   const struct ci_info *info, char *err, size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s/.tmp.%ld", root, (long)getpid());
	rmtree(tmp);
	if (mkdirp(tmp, err, errlen) < 0 ||
	    ci_set_write(tmp, sweep, info, err, errlen) < 0) {
		rmtree(tmp);
		return -1;
	}
	if (rename(tmp, entry) == 0)
		return 0;
	int e = errno;
	rmtree(tmp);
	if (ci_cache_has(entry)) /* a concurrent check stored the same */
		return 0;
	errmsg_cannot(err, errlen, "write", entry, e);
	return -1;
}
