/*
 * LD_PRELOAD shim: a KVM device that opens but then refuses, so the
 * "/dev/kvm present but unusable" paths are tested on every host, also
 * on hosts without KVM. FAKEKVM_PATH is the path it answers for (it opens
 * /dev/null there); FAKEKVM_FAIL says where a real but broken KVM would
 * stop us:
 *   api        KVM_GET_API_VERSION returns 11 (an old, incompatible API)
 *   cap        KVM_CHECK_EXTENSION says no to every capability
 *   create_vm  KVM_CREATE_VM fails with EPERM (e.g. a sandbox forbids it)
 *   vcpu       the VM is made and takes its memory slots, which go to
 *              stderr (host addresses relative to slot 0's), then
 *              KVM_CREATE_VCPU fails with EPERM: the guest RAM layout is
 *              checked on hosts without KVM
 * Every other file and ioctl goes to libc untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

static int fake_fd = -1, fake_vm_fd = -1;
static unsigned long long slot0_host;

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

static int open_null(void)
{
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	return real_open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int open_fake(void)
{
	fake_fd = open_null();
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
		if (strcmp(m, "vcpu") == 0)
			return fake_vm_fd = open_null();
		errno = EPERM;
		return -1;
	}
	errno = ENOTTY;
	return -1;
}

static int fake_vm_ioctl(unsigned long req, void *arg)
{
	const struct kvm_userspace_memory_region *r = arg;
	switch (req) {
	case KVM_SET_USER_MEMORY_REGION:
		if (r->slot == 0)
			slot0_host = r->userspace_addr;
		fprintf(stderr, "fakekvm: slot %u: GPA 0x%llx, 0x%llx bytes at "
			"host +0x%llx\n", r->slot,
			(unsigned long long)r->guest_phys_addr,
			(unsigned long long)r->memory_size,
			(unsigned long long)r->userspace_addr - slot0_host);
		return 0;
	case KVM_SET_TSS_ADDR:
		return 0;
	}
	errno = EPERM; /* KVM_CREATE_VCPU, and anything after it */
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
	if (fd >= 0 && fd == fake_vm_fd)
		return fake_vm_ioctl(req, arg);
	int (*real_ioctl)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, req, arg);
}
