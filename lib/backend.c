/* Backend names, one table for fbvmm's options and forkbench's. */
#include <stddef.h>
#include <string.h>

#include "backend.h"

static const char *const backend_names[] = {
	[BACKEND_AUTO] = "auto",
	[BACKEND_KVM] = "kvm",
	[BACKEND_QEMU_TCG] = "qemu-tcg",
	[BACKEND_QEMU_TCG_DET] = "qemu-tcg-det",
	[BACKEND_QEMU_KVM] = "qemu-kvm",
};

const char *backend_name(enum backend b)
{
	return backend_names[b];
}

int backend_parse(const char *name, enum backend *out)
{
	for (size_t i = 0; i < sizeof(backend_names) / sizeof(*backend_names);
	     i++) {
		if (strcmp(name, backend_names[i]) == 0) {
			*out = (enum backend)i;
			return 0;
		}
	}
	return -1;
}
