/*
 * Whether two result sets were measured on one backend, so a figure or a
 * ratio may put them side by side (forkbench plot's odf figure, forkbench
 * ratios with a PEER_SET).
 */
#ifndef FB_SAME_BACKEND_H
#define FB_SAME_BACKEND_H

#include <string.h>

/*
 * The same backend name, or our guest on kvm beside the Linux peer on
 * qemu-kvm: the peer cannot boot on fbvmm's own kvm backend, and both run
 * hardware-virtualized on the host's TSC (the pairing make bench uses).
 */
static inline int same_backend(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	return (strcmp(a, "kvm") == 0 && strcmp(b, "qemu-kvm") == 0) ||
	       (strcmp(a, "qemu-kvm") == 0 && strcmp(b, "kvm") == 0);
}

#endif
