/*
 * The QEMU backends: qemu-tcg, qemu-tcg-det (-icount), qemu-kvm. QEMU runs
 * the same ELF with the same command line; its COM1 output feeds the same
 * stream parser, and its exit status is translated into the same
 * guest_end, so exit codes mean the same as under our VMM.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "kvm_vm.h"
#include "tsc_freq.h"
#include "vmrun.h"
#include "watchdog.h"

/*
 * -icount shift=0: one instruction = 1 ns of virtual time, and the guest
 * TSC counts virtual nanoseconds, i.e. runs at 1 GHz.
 */
#define ICOUNT_TSC_KHZ 1000000u

struct qemu_proc {
	pid_t pid;
	int out_fd, err_fd;
	char err_tail[512]; /* the last bytes QEMU wrote to stderr */
	size_t err_len;
};

/*
 * Without -icount, TCG's guest TSC is the host's RDTSC and KVM's runs at
 * KVM's default rate, which is the host's: either way the host's rate.
 */
static void guest_tsc_khz(struct run *r)
{
	struct tsc_freq f = { ICOUNT_TSC_KHZ, TSC_SRC_ICOUNT };
	if (r->opt->backend != BACKEND_QEMU_TCG_DET)
		tsc_freq_host(r->opt->kvm_device, &f);
	r->tsc_khz = f.khz;
	r->tsc_source = f.source;
}

/*
 * A Linux guest: its console on COM1 (where the records go too), quiet,
 * rebooting at once on a panic (QEMU -no-reboot then exits 0) by a triple
 * fault (microvm has no keyboard controller or ACPI to reset through:
 * the kernel's other methods spent 50 s of busy waits first); the words
 * after "--" are /init's arguments, the first one the TSC rate the host
 * knows (batches are sized in it).
 */
static int linux_cmdline(char *buf, size_t len, uint64_t tsc_khz,
			 const char *user)
{
	int n = snprintf(buf, len, "console=ttyS0 quiet loglevel=1 panic=-1 "
			 "reboot=triple "
			 "-- tsc_khz=%llu %s", (unsigned long long)tsc_khz, user);
	return n < 0 || (size_t)n >= len || (size_t)n >= FB_CMDLINE_MAX ? -1 : 0;
}

#define MAX_ARGV 40

static void build_argv(const struct options *o, const char *cmdline,
		       const char *plugin_arg, char *mem, size_t memlen,
		       const char **argv)
{
	int n = 0;
	int kvm = o->backend == BACKEND_QEMU_KVM;
	snprintf(mem, memlen, "%lluM", (unsigned long long)(o->mem_bytes >> 20));
	argv[n++] = o->qemu_path;
	argv[n++] = "-accel";
	argv[n++] = kvm ? "kvm" : "tcg";
	if (o->backend == BACKEND_QEMU_TCG_DET) {
		argv[n++] = "-icount";
		argv[n++] = "shift=0,sleep=off";
	}
	argv[n++] = "-cpu";
	/*
	 * Some KVM implementations (this project's PVM machines) refuse
	 * QEMU's write of MSR_IA32_ARCH_CAPABILITIES and QEMU aborts; the
	 * guest never reads it, so leave it out.
	 */
	argv[n++] = kvm ? "host,-arch-capabilities" : "max";
	argv[n++] = "-M";
	argv[n++] = o->linux_kernel ? "microvm,acpi=off" : "microvm";
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-smp";
	argv[n++] = "1";
	argv[n++] = "-nodefaults";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-kernel";
	argv[n++] = o->elf_path;
	if (o->linux_kernel) {
		argv[n++] = "-initrd";
		argv[n++] = o->initrd_path;
	}
	argv[n++] = "-append";
	argv[n++] = cmdline;
	argv[n++] = "-device";
	argv[n++] = "isa-debug-exit,iobase=0xf4,iosize=4";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	if (plugin_arg) { /* the fbsim model (simrun.h) */
		argv[n++] = "-plugin";
		argv[n++] = plugin_arg;
	}
	argv[n] = NULL;
}

static int spawn(struct qemu_proc *q, const char **argv, char *err,
		 size_t errlen)
{
	int out[2], errp[2];
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	q->pid = fork();
	if (q->pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (q->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		signal(SIGINT, SIG_IGN); /* the parent decides when QEMU stops */
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s%s\n", argv[0],
			strerror(errno),
			errno == ENOENT ? " (apt-get install qemu-system-x86)" : "");
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	q->out_fd = out[0];
	q->err_fd = errp[0];
	return 0;
}

static void keep_err_tail(struct qemu_proc *q, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (q->err_len == sizeof(q->err_tail) - 1) {
			memmove(q->err_tail, q->err_tail + 1, q->err_len - 1);
			q->err_len--;
		}
		q->err_tail[q->err_len++] = buf[i];
	}
	q->err_tail[q->err_len] = '\0';
}

/* Pump QEMU's output until both pipes close or a signal says stop. */
static int pump(struct qemu_proc *q, struct run *r)
{
	struct pollfd fds[2] = { { q->out_fd, POLLIN, 0 },
				 { q->err_fd, POLLIN, 0 } };
	int open_fds = 2;
	char buf[4096];
	while (open_fds) {
		if (watchdog_fired() || watchdog_stop_signal())
			return -1;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			if (!fds[i].revents)
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				fds[i].fd = -1;
				open_fds--;
			} else if (i == 0) {
				r->stats.serial_bytes += (unsigned long)n;
				stream_feed(r->stream, buf, (size_t)n);
			} else {
				keep_err_tail(q, buf, (size_t)n);
			}
		}
	}
	return 0;
}

static void last_line(const char *s, char *out, size_t len)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	size_t start = n;
	while (start && s[start - 1] != '\n')
		start--;
	snprintf(out, len, "%.*s", (int)(n - start), s + start);
}

/*
 * What QEMU's stderr says last; but where the fbsim plugin refused to
 * install, its own line ("fbsim: why") before QEMU's generic one.
 */
static void err_line(const char *tail, char *out, size_t len)
{
	const char *plugin = strstr(tail, "fbsim: ");
	if (plugin && (plugin == tail || plugin[-1] == '\n')) {
		size_t n = strcspn(plugin, "\n");
		snprintf(out, len, "%.*s", (int)n, plugin);
		return;
	}
	last_line(tail, out, len);
}

/* isa-debug-exit ends QEMU with (value << 1) | 1; 0 is a guest reset. */
static void decode_exit(struct qemu_proc *q, int wstatus, struct run *r)
{
	char line[400];
	err_line(q->err_tail, line, sizeof(line));
	if (WIFSIGNALED(wstatus)) {
		guest_end_set(&r->end, END_HOST, "QEMU killed by signal %d: %s",
			      WTERMSIG(wstatus), line);
		return;
	}
	int code = WEXITSTATUS(wstatus);
	if (code == 0)
		guest_end_set(&r->end, END_TRIPLE,
			      "QEMU exited 0: the guest reset itself");
	else if (code == 1 || code == 127 || !(code & 1))
		guest_end_set(&r->end, END_HOST, "QEMU failed (status %d): %s",
			      code, line[0] ? line : "no message");
	else {
		r->end.kind = END_STATUS;
		r->end.status = (uint32_t)code >> 1;
	}
}

static void stop(struct qemu_proc *q, struct run *r)
{
	if (watchdog_fired())
		guest_end_set(&r->end, END_TIMEOUT, "still running after %u s",
			      r->opt->timeout_s);
	else if (watchdog_stop_signal())
		guest_end_set(&r->end, END_INTERRUPTED,
			      "signal %d, guest stopped",
			      watchdog_stop_signal());
	else
		guest_end_set(&r->end, END_HOST, "reading QEMU output: %s",
			      strerror(errno));
	kill(q->pid, SIGKILL);
}

void run_qemu(struct run *r)
{
	char err[256], cmdline[FB_CMDLINE_MAX + 64], mem[32];
	const char *argv[MAX_ARGV];
	struct qemu_proc q = { .pid = -1, .out_fd = -1, .err_fd = -1 };
	double t0 = now_seconds();
	if (r->opt->backend == BACKEND_QEMU_KVM &&
	    kvm_usable(r->opt->kvm_device, err, sizeof(err)) < 0) {
		guest_end_set(&r->end, END_HOST, "%s", err);
		return;
	}
	guest_tsc_khz(r);
	if ((r->opt->linux_kernel ? linux_cmdline : guest_cmdline)(
		    cmdline, sizeof(cmdline), r->tsc_khz, r->opt->cmdline) < 0) {
		guest_end_set(&r->end, END_HOST, "guest command line too long");
		return;
	}
	build_argv(r->opt, cmdline, r->plugin_arg, mem, sizeof(mem), argv);
	if (spawn(&q, argv, err, sizeof(err)) < 0) {
		guest_end_set(&r->end, END_HOST, "%s", err);
		return;
	}
	double t1 = now_seconds();
	r->stats.setup_s = t1 - t0;
	int pumped = pump(&q, r);
	if (pumped < 0)
		stop(&q, r);
	int wstatus;
	while (waitpid(q.pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	r->stats.guest_s = now_seconds() - t1;
	note_first_record(r, t1);
	if (pumped == 0)
		decode_exit(&q, wstatus, r);
	close(q.out_fd);
	close(q.err_fd);
}
