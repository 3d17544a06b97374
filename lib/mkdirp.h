/* mkdir -p, for every tool that creates a result or figure directory. */
#ifndef FB_MKDIRP_H
#define FB_MKDIRP_H

#include <stddef.h>

/*
 * Create path and its missing parents (mode 0777 less the umask, as
 * mkdir -p). An existing directory will do; anything else in the way
 * (a file: ENOTDIR) will not. 0, or -1 with errno and
 * "cannot create COMPONENT: reason" in err, COMPONENT the one that failed.
 */
int mkdirp(const char *path, char *err, size_t errlen);

#endif
