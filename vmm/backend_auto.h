/* What --backend auto chooses on this host, and why. */
#ifndef FB_BACKEND_AUTO_H
#define FB_BACKEND_AUTO_H

#include <stddef.h>
#include <stdint.h>

#include "options.h"

/*
 * kvm when o->kvm_device makes a VM and the image's calibration under it
 * runs at native speed; else qemu-tcg-det. why gets one sentence saying
 * which and why. BACKEND_AUTO when a signal interrupted the check. The
 * watchdog must be installed (the check boots the image under kvm).
 */
enum backend backend_auto(const struct options *o, const uint8_t *image,
			  size_t len, char *why, size_t whylen);

#endif
