/* File error messages. */
#include <stdio.h>
#include <string.h>

#include "errmsg.h"

void errmsg_cannot(char *err, size_t errlen, const char *verb,
		   const char *path, int errnum)
{
	const char *why = strerror(errnum);
	size_t room = strlen("cannot  : ") + strlen(verb) + strlen(why) + 1;
	int keep = errlen > room ? (int)(errlen - room) : 0;
	snprintf(err, errlen, "cannot %s %.*s: %s", verb, keep, path, why);
}
