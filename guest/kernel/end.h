/*
 * Ending the run: the "end" record, then the status on the exit port
 * (include/fb_abi.h). Every way the guest stops goes through here.
 */
#ifndef GUEST_END_H
#define GUEST_END_H

#include "fb_abi.h"

/* Send the end record and the status to the exit port; never returns. */
__attribute__((noreturn)) void fb_exit(unsigned status);
const char *status_name(unsigned status);

/*
 * End the run refusing what the command line asked for: the reason goes
 * to the console and, as what=, into the end record, so a script that
 * reads only the records learns it too. Never returns.
 */
__attribute__((noreturn, format(printf, 2, 3))) void
refuse(unsigned status, const char *fmt, ...);
/* The usual refusal: a command line the guest does not understand. */
#define badcmd(...) refuse(FB_STATUS_BADCMD, __VA_ARGS__)

#endif
