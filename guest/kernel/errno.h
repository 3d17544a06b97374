/* Error numbers of the process API, as in Linux (returned negated). */
#ifndef GUEST_ERRNO_H
#define GUEST_ERRNO_H

#define ENOENT 2
#define ESRCH 3
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22

#endif
