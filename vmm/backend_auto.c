/*
 * --backend auto: kvm only where its cycles mean something. Whether KVM
 * runs guest ring 0 natively cannot be read from any flag (a software
 * KVM answers every ioctl like a hardware one), so the guest's own
 * calibration loop decides, judged by the same validity rule as every
 * result set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend_auto.h"
#include "calibrec.h"
#include "kvm_vm.h"
#include "vmrun.h"
#include "validity.h"
#include "watchdog.h"

/* The cheapest guest command that sends a calibration record. */
#define PROBE_CMDLINE "bench scenario=create variant=vfork size=0 reps=1"
#define PROBE_MEM (64ull << 20)

struct probe {
	struct guest_calib calib; /* alu_cycles 0 until the guest sent it */
};

static void probe_record(void *ctx, const struct record *rec)
{
	struct probe *p = ctx;
	if (strcmp(rec->type, "calib") == 0)
		calib_from_record(rec, &p->calib);
}

/* Boot the image on kvm with the probe command; how that run ended. */
static void probe_run(const struct options *o, const uint8_t *image,
		      size_t len, struct guest_end *end, struct probe *p)
{
	struct options po = *o;
	struct stream stream;
	struct run r = { .opt = &po, .image = image, .image_len = len,
			 .stream = &stream };
	po.backend = BACKEND_KVM;
	po.mem_bytes = PROBE_MEM;
	snprintf(po.cmdline, sizeof(po.cmdline), "%s", PROBE_CMDLINE);
	stream_init(&stream, NULL, NULL);
	stream_set_sink(&stream, probe_record, p);
	watchdog_arm(o->timeout_s);
	run_kvm(&r);
	watchdog_disarm();
	stream_finish(&stream);
	*end = r.end;
}

enum backend backend_auto(const struct options *o, const uint8_t *image,
			  size_t len, char *why, size_t whylen)
{
	char err[256];
	if (kvm_usable(o->kvm_device, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "no usable KVM (%s): deterministic QEMU "
			 "TCG", err);
		return BACKEND_QEMU_TCG_DET;
	}
	struct guest_end end;
	struct probe p = { 0 };
	probe_run(o, image, len, &end, &p);
	if (end.kind == END_INTERRUPTED) {
		snprintf(why, whylen, "interrupted during kvm's validity check");
		return BACKEND_AUTO;
	}
	if (!p.calib.alu_cycles) {
		snprintf(why, whylen, "kvm's validity check did not run (%s): "
			 "deterministic QEMU TCG",
			 end.detail[0] ? end.detail
					 : "the guest sent no calibration");
		return BACKEND_QEMU_TCG_DET;
	}
	struct validity v;
	validity_judge(BACKEND_KVM, &p.calib, validity_host_cycles(), &v);
	if (strcmp(v.verdict, "valid") == 0) {
		snprintf(why, whylen, "kvm's validity check says hardware-"
			 "virtualized (guest/host calibration ratio %.2f, "
			 "privileged operations in range)", v.ratio);
		return BACKEND_KVM;
	}
	snprintf(why, whylen, "kvm's validity check says '%s' (%s): cycle "
		 "figures from kvm would not be representative, so "
		 "deterministic QEMU TCG", v.verdict, v.why);
	return BACKEND_QEMU_TCG_DET;
}
