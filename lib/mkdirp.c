/* mkdir -p. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "errmsg.h"
#include "mkdirp.h"

/* mkdir, where an existing directory will do but a file will not. */
static int make_dir(const char *path)
{
	struct stat st;
	if (mkdir(path, 0777) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = ENOTDIR;
	return -1;
}

/* Each prefix ending before a '/', then the whole path. */
int mkdirp(const char *path, char *err, size_t errlen)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%s", path);
	if (n <= 0 || n >= (int)sizeof(buf)) {
		int e = n <= 0 ? ENOENT : ENAMETOOLONG;
		errmsg_cannot(err, errlen, "create", path, e);
		errno = e;
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char end = *p;
		*p = '\0';
		/* "a//b" and a trailing '/' give empty components: skip */
		if (p[-1] != '/' && make_dir(buf) < 0) {
			int e = errno;
			errmsg_cannot(err, errlen, "create", buf, e);
			errno = e;
			return -1;
		}
		if (!end)
			return 0;
		*p = end;
	}
}
