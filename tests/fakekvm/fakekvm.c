/*
 * LD_PRELOAD shim: a KVM device that opens but then refuses, so the
 * "/dev/kvm present but unusable" paths are tested on every host, also
 * on hosts without KVM. FAKEKVM_PATH is the path it answers for (it opens
 * /dev/null there); FAKEKVM_FAIL says where a real but broken KVM would
 * stop us:
 *   api        KVM_GET_API_VERSION returns 11 (an old, incompatible API)
 *   cap        KVM_CHECK_EXTENSION says no to every capability
 *   create_vm  KVM_CREATE_VM fails with EPERM (e.g. a sandbox forbids it)
 * Every other file and ioctl goes to libc untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

static int fake_fd = -1;

static const char *fail_mode(void)
{
	const char *m = getenv("FAKEKVM_FAIL");
	return m ? m : "create_vm";
}

static int is_fake(const char *path)
{
	const char *p = getenv("FAKEKVM_PATH");
	return p && path && strcmp(p, path) == 0;
}

static int open_fake(void)
{
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	fake_fd = real_open("/dev/null", O_RDWR | O_CLOEXEC);
	return fake_fd;
}

/* The real symbol (open or open64), or the fake device at its path. */
static int open_as(const char *sym, const char *path, int flags, va_list ap)
{
	if (is_fake(path))
		return open_fake();
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, sym);
	int mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, int) : 0;
	return real_open(path, flags, mode);
}

int open(const char *path, int flags, ...);
int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_as("open", path, flags, ap);
	va_end(ap);
	return fd;
}

int open64(const char *path, int flags, ...);
int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int fd = open_as("open64", path, flags, ap);
	va_end(ap);
	return fd;
}

static int fake_ioctl(unsigned long req)
{
	const char *m = fail_mode();
	switch (req) {
	case KVM_GET_API_VERSION:
		return strcmp(m, "api") == 0 ? 11 : KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return strcmp(m, "cap") == 0 ? 0 : 1;
	case KVM_CREATE_VM:
		errno = EPERM;
		return -1;
	}
	errno = ENOTTY;
	return -1;
}

int ioctl(int fd, unsigned long req, ...);
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (fd >= 0 && fd == fake_fd)
		return fake_ioctl(req);
	int (*real_ioctl)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, req, arg);
}
