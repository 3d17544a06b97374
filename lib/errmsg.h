/* The one shape of a file error for people: "cannot VERB PATH: reason". */
#ifndef FB_ERRMSG_H
#define FB_ERRMSG_H

#include <stddef.h>

/*
 * "cannot VERB PATH: strerror(errnum)" into err. A path too long for err
 * is cut, the reason never: it is what the user needs.
 */
void errmsg_cannot(char *err, size_t errlen, const char *verb,
		   const char *path, int errnum);

#endif
