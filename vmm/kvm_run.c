/*
 * The KVM backend's exit loop: every exit is either handled, or ends the
 * run with a reason. Nothing unknown passes silently.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "clock.h"
#include "elf_load.h"
#include "fb_abi.h"
#include "kvm_vm.h"
#include "vmrun.h"
#include "tsc_freq.h"
#include "watchdog.h"

#define HCALL_LEN_MAX 4096

struct kvm_ctx {
	struct vm vm;
	struct run *r;
	int done; /* r->end is final */
};

static void capture_regs(struct kvm_ctx *k)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	if (ioctl(k->vm.vcpu_fd, KVM_GET_REGS, &regs) < 0 ||
	    ioctl(k->vm.vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return;
	k->r->end.have_regs = 1;
	k->r->end.rip = regs.rip;
	k->r->end.cr2 = sregs.cr2;
	k->r->end.cr3 = sregs.cr3;
}

/*
 * KVM on AMD resets the vCPU before it reports a shutdown: RIP 0xfff0,
 * CR3 0 are the reset vector, not where the guest died. Say so rather
 * than report them as the fault's state.
 */
static void forget_reset_regs(struct kvm_ctx *k)
{
	struct guest_end *e = &k->r->end;
	if (!e->have_regs || e->rip != 0xfff0 || e->cr3 != 0)
		return;
	e->have_regs = 0;
	guest_end_set(e, END_TRIPLE, "KVM_EXIT_SHUTDOWN (KVM reset the vCPU "
		      "before reporting it, as on AMD: the faulting RIP/CR2/CR3 "
		      "are lost)");
}

/* End the run here, with the vCPU's registers for the report. */
#define END(k, kind, ...)                                              \
	do {                                                           \
		guest_end_set(&(k)->r->end, kind, __VA_ARGS__);        \
		capture_regs(k);                                       \
		(k)->done = 1;                                         \
	} while (0)

static void unknown_access(struct kvm_ctx *k, const char *what, uint64_t addr,
			   int out, unsigned size)
{
	struct exit_stats *st = &k->r->stats;
	if (st->unknown_io++ == 0)
		st->first_unknown_port = (unsigned)addr;
	if (k->r->opt->strict)
		END(k, END_PROTOCOL, "unknown %s 0x%llx (%s, %u bytes)", what,
		    (unsigned long long)addr, out ? "write" : "read", size);
}

static void do_hcall(struct kvm_ctx *k, uint32_t gpa)
{
	struct fb_hcall hc;
	struct vm *vm = &k->vm;
	const void *block = vm_gpa(vm, gpa, sizeof(hc));
	if (!block) {
		END(k, END_PROTOCOL, "hcall block at 0x%x outside guest RAM", gpa);
		return;
	}
	memcpy(&hc, block, sizeof(hc));
	if (hc.op != FB_HC_CONSOLE_WRITE) {
		END(k, END_PROTOCOL, "unknown hcall op %u", hc.op);
		return;
	}
	const char *data = hc.len <= HCALL_LEN_MAX ?
				   vm_gpa(vm, hc.data_gpa, hc.len) : NULL;
	if (!data) {
		END(k, END_PROTOCOL, "hcall data 0x%llx+%u outside guest RAM",
		    (unsigned long long)hc.data_gpa, hc.len);
		return;
	}
	k->r->stats.hcalls++;
	stream_feed(k->r->stream, data, hc.len);
}

static uint32_t io_value(const uint8_t *p, unsigned size)
{
	uint32_t v = 0;
	memcpy(&v, p, size); /* x86 is little endian, as is the port data */
	return v;
}

/* One element of a (possibly rep) port access. */
static void io_one(struct kvm_ctx *k, uint16_t port, int out, uint8_t *data,
		   unsigned size)
{
	struct run *r = k->r;
	if (port == FB_PORT_COM1 && out) {
		r->stats.serial_bytes++;
		stream_feed(r->stream, (const char *)data, 1);
	} else if (port >= FB_PORT_COM1 && port < FB_PORT_COM1 + 8) {
		/* UART registers: ready to send, nothing received */
		if (!out)
			memset(data, port == FB_PORT_COM1_LSR ?
				     FB_COM1_LSR_THRE | FB_COM1_LSR_TEMT : 0, size);
	} else if (port == FB_PORT_EXIT && out) {
		r->end.kind = END_STATUS;
		r->end.status = io_value(data, size);
		k->done = 1;
	} else if (port == FB_PORT_HCALL && size == 4) {
		if (out)
			do_hcall(k, io_value(data, size));
		else
			memcpy(data, &(uint32_t){ FB_HCALL_MAGIC }, 4);
	} else {
		if (!out)
			memset(data, 0xff, size); /* what an empty bus reads */
		unknown_access(k, "I/O port", port, out, size);
	}
}

static void handle_io(struct kvm_ctx *k)
{
	struct kvm_run *run = k->vm.run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	int out = run->io.direction == KVM_EXIT_IO_OUT;
	for (uint32_t i = 0; i < run->io.count && !k->done; i++)
		io_one(k, run->io.port, out, data + i * run->io.size,
		       run->io.size);
}

static void handle_mmio(struct kvm_ctx *k)
{
	struct kvm_run *run = k->vm.run;
	k->r->stats.mmio++;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	unknown_access(k, "MMIO address", run->mmio.phys_addr,
		       run->mmio.is_write, run->mmio.len);
}

static void handle_exit(struct kvm_ctx *k)
{
	struct kvm_run *run = k->vm.run;
	if (run->exit_reason < EXIT_REASONS)
		k->r->stats.reasons[run->exit_reason]++;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(k);
		break;
	case KVM_EXIT_MMIO:
		handle_mmio(k);
		break;
	case KVM_EXIT_HLT:
		END(k, END_PROTOCOL, "guest halted without writing an exit status");
		break;
	case KVM_EXIT_SHUTDOWN:
		END(k, END_TRIPLE, "KVM_EXIT_SHUTDOWN");
		forget_reset_regs(k);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		END(k, END_HOST, "KVM_EXIT_FAIL_ENTRY, hardware reason 0x%llx",
		    (unsigned long long)
			    run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		END(k, END_HOST,
		    "KVM_EXIT_INTERNAL_ERROR, suberror %u%s", run->internal.suberror,
		    run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
			    " (instruction emulation failed)" : "");
		break;
	case KVM_EXIT_INTR:
		break; /* a signal: the loop looks at the flags */
	default:
		END(k, END_HOST, "unhandled KVM exit reason %u", run->exit_reason);
	}
}

static void check_signals(struct kvm_ctx *k)
{
	if (watchdog_fired())
		END(k, END_TIMEOUT, "still running after %u s",
		    k->r->opt->timeout_s);
	else if (watchdog_stop_signal())
		END(k, END_INTERRUPTED, "signal %d, guest stopped",
		    watchdog_stop_signal());
	k->vm.run->immediate_exit = 0;
}

static void run_loop(struct kvm_ctx *k)
{
	while (!k->done) {
		check_signals(k);
		if (k->done)
			break;
		if (ioctl(k->vm.vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			END(k, END_HOST, "KVM_RUN: %s", strerror(errno));
			break;
		}
		handle_exit(k);
	}
}

/* Load the image and set up the boot state. -1 after setting r->end. */
static int boot_setup(struct kvm_ctx *k)
{
	struct run *r = k->r;
	char err[256], cmdline[FB_CMDLINE_MAX + 64];
	struct elf_image img;
	/* The image and the boot info live below 4 GiB, where RAM starts. */
	if (elf_load(r->image, r->image_len, k->vm.ram, k->vm.ram_low, &img,
		     err, sizeof(err)) < 0) {
		guest_end_set(&r->end, END_BAD_IMAGE, "%s", err);
		return -1;
	}
	r->tsc_khz = k->vm.tsc_khz;
	r->tsc_source = TSC_SRC_KVM;
	if (!r->tsc_khz) {
		struct tsc_freq f;
		tsc_freq_host(NULL, &f); /* KVM had no answer: the next source */
		r->tsc_khz = f.khz;
		r->tsc_source = f.source;
	}
	if (guest_cmdline(cmdline, sizeof(cmdline), k->vm.tsc_khz,
			  r->opt->cmdline) < 0 ||
	    vm_write_boot_info(&k->vm, cmdline, err, sizeof(err)) < 0) {
		guest_end_set(&r->end, END_HOST, "guest command line too long");
		return -1;
	}
	if (vm_set_pvh_regs(&k->vm, img.pvh_entry, err, sizeof(err)) < 0) {
		guest_end_set(&r->end, END_HOST, "%s", err);
		return -1;
	}
	return 0;
}

void run_kvm(struct run *r)
{
	struct kvm_ctx k = { .r = r };
	char err[256];
	double t0 = now_seconds();
	if (vm_create(&k.vm, r->opt->kvm_device, r->opt->mem_bytes, err,
		      sizeof(err)) < 0) {
		guest_end_set(&r->end, END_HOST, "%s (KVM unusable here; "
			      "--backend auto chooses what this host has)", err);
		return;
	}
	if (boot_setup(&k) == 0) {
		watchdog_set_kick(&k.vm.run->immediate_exit);
		double t1 = now_seconds();
		r->stats.setup_s = t1 - t0;
		run_loop(&k);
		r->stats.guest_s = now_seconds() - t1;
		note_first_record(r, t1);
		watchdog_set_kick(NULL);
	}
	vm_destroy(&k.vm);
}
