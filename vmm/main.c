/*
 * fbvmm: boot a forkbench guest on a backend, collect its records, and
 * exit with a code that says how the run ended (include/fb_exit.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_write.h"
#include "backend_auto.h"
#include "bzimage.h"
#include "elf_load.h"
#include "fb_exit.h"
#include "options.h"
#include "results.h"
#include "tsc_freq.h"
#include "vmrun.h"
#include "watchdog.h"

#define IMAGE_MAX (64u << 20)

static uint8_t *read_image(const char *path, size_t *len, char *err,
			   size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	uint8_t *buf = malloc(IMAGE_MAX);
	size_t n = buf ? fread(buf, 1, IMAGE_MAX, f) : 0;
	int bad = !buf || ferror(f) || !feof(f);
	if (bad)
		snprintf(err, errlen, "%s: %s", path,
			 !buf ? "out of memory"
			 : ferror(f) ? "read error"
				     : "larger than 64 MiB");
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Records go to a file that replaces path only on success. */
static int records_open(struct atomic_file *o, const char *path)
{
	char err[512];
	/*
	 * For every file fbvmm writes (records, CSV, metadata): past the
	 * file size limit a write then fails with EFBIG, which is reported
	 * with the file's name, instead of SIGXFSZ killing fbvmm silently.
	 */
	signal(SIGXFSZ, SIG_IGN);
	o->f = NULL;
	if (!path || atomic_open(o, path, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "fbvmm: %s\n", err);
	return -1;
}

/* -1 when a records file to keep could not be written (said why). */
static int records_close(struct atomic_file *o, int keep)
{
	char err[512];
	if (atomic_close(o, keep, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "fbvmm: %s\n", err);
	return -1;
}

static void print_stats(const struct run *r)
{
	const struct exit_stats *s = &r->stats;
	fprintf(stderr, "fbvmm: stats: setup %.3f ms, guest %.3f ms, first "
		"record %.3f ms\n", s->setup_s * 1e3, s->guest_s * 1e3,
		s->first_record_s * 1e3);
	for (int i = 0; i < EXIT_REASONS; i++)
		if (s->reasons[i])
			fprintf(stderr, "fbvmm: stats: exit reason %d: %lu\n", i,
				s->reasons[i]);
	fprintf(stderr,
		"fbvmm: stats: serial bytes %lu, hcalls %lu, records %lu, "
		"unknown I/O %lu (first port 0x%x), MMIO %lu\n",
		s->serial_bytes, s->hcalls, r->stream->nrecords, s->unknown_io,
		s->first_unknown_port, s->mmio);
}

/* The guest ended by itself and everything it sent was well formed. */
static int clean_end(const struct run *r, enum fb_exit code)
{
	return r->end.kind == END_STATUS && code != FB_EXIT_PROTOCOL;
}

/* Keep the CSV and metadata only for a run that passed. */
static int finish_results(struct results *res, const struct run *r,
			  enum fb_exit code, int argc, char **argv)
{
	char err[512];
	struct run_facts facts = {
		.opt = r->opt, .argc = argc, .argv = argv,
		.tsc_khz = (unsigned long)r->tsc_khz,
		/* run_kvm gives the guest its vCPU's KVM_GET_TSC_KHZ */
		.tsc_khz_source = r->tsc_source ? r->tsc_source : TSC_SRC_KVM,
		.guest_status = r->stream->end_status,
		.src_dir = FB_SRC_DIR,
	};
	if (results_close(res, code == FB_EXIT_OK, &facts, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "fbvmm: %s\n", err);
	return -1;
}

/*
 * Resolve --backend auto into opt->backend, saying which and why: on
 * stdout for --which-backend (for scripts), else on stderr.
 */
static enum fb_exit choose_backend(struct options *opt, const uint8_t *image,
				   size_t len)
{
	char why[512];
	enum backend b = backend_auto(opt, image, len, why, sizeof(why));
	if (b == BACKEND_AUTO) {
		fprintf(stderr, "fbvmm: %s\n", why);
		return FB_EXIT_INTERRUPTED;
	}
	if (opt->which_backend) {
		printf("%s\t%s\n", backend_name(b), why);
		return fflush(stdout) == 0 ? FB_EXIT_OK : FB_EXIT_HOST_ERROR;
	}
	fprintf(stderr, "fbvmm: backend %s: %s\n", backend_name(b), why);
	opt->backend = b;
	return FB_EXIT_OK;
}

/*
 * A file that carries the x86 boot protocol's marks ("MZ" of the EFI
 * stub, "HdrS" at 0x202) is judged as a bzImage, anything else as our
 * PVH ELF, so the error names what the file was meant to be.
 */
static int looks_like_bzimage(const uint8_t *image, size_t len)
{
	return (len >= 2 && image[0] == 'M' && image[1] == 'Z') ||
	       (len >= 0x206 && memcmp(image + 0x202, "HdrS", 4) == 0);
}

static int check_image(struct options *opt, const uint8_t *image, size_t len,
		       char *err, size_t errlen)
{
	char version[256];
	opt->linux_kernel = looks_like_bzimage(image, len);
	if (opt->linux_kernel)
		return bzimage_check(image, len, version, sizeof(version), err,
				     errlen);
	/* As run_kvm loads it: into RAM below 4 GiB (backend.h) */
	return elf_check(image, len, mem_low_bytes(opt->mem_bytes), err,
			 errlen);
}

/*
 * The image is judged before any backend is touched, so a malformed ELF
 * or bzImage is exit 6 on every host, with or without KVM.
 */
static const uint8_t *load_image(struct options *opt, size_t *len)
{
	char err[512];
	const uint8_t *image = read_image(opt->elf_path, len, err, sizeof(err));
	if (image && check_image(opt, image, *len, err, sizeof(err)) < 0) {
		free((void *)image);
		image = NULL;
	}
	if (!image)
		fprintf(stderr, "fbvmm: bad guest image: %s\n", err);
	return image;
}

/*
 * What a Linux guest needs and where it runs: an initramfs, and QEMU
 * (our kvm backend boots PVH ELFs only). NULL when the request is fine.
 */
static const char *linux_problem(const struct options *opt)
{
	if (!opt->linux_kernel)
		return opt->initrd_path ? "--initrd: only a Linux kernel (bzImage) "
					  "takes an initramfs" : NULL;
	if (!opt->initrd_path)
		return "a Linux kernel needs --initrd (forkbench run --os linux "
		       "builds the peer init's)";
	if (opt->backend == BACKEND_KVM)
		return "-b kvm boots forkbench's own PVH guest only; boot a Linux "
		       "kernel with -b qemu-kvm, qemu-tcg or qemu-tcg-det";
	return NULL;
}

#define LINUX_AUTO_WHY "a Linux kernel: QEMU; deterministic TCG unless -b " \
	"qemu-kvm is given"

/*
 * --backend auto for a Linux kernel: no validity probe (it is our
 * guest's), deterministic TCG. FB_EXIT_OK to go on; with --which-backend
 * the choice is printed and that is the run's exit code.
 */
static enum fb_exit choose_linux_backend(struct options *opt, int *done)
{
	*done = 0;
	if (opt->backend == BACKEND_AUTO || opt->which_backend)
		opt->backend = BACKEND_QEMU_TCG_DET;
	if (!opt->which_backend)
		return FB_EXIT_OK;
	*done = 1;
	printf("%s\t%s\n", backend_name(opt->backend), LINUX_AUTO_WHY);
	return fflush(stdout) == 0 ? FB_EXIT_OK : FB_EXIT_HOST_ERROR;
}

static int run_guest(struct options *opt, int argc, char **argv)
{
	char err[512], msg[1024];
	struct run r;
	struct stream stream;
	struct atomic_file rec;
	struct results res;
	memset(&r, 0, sizeof(r));
	r.opt = opt;
	r.stream = &stream;
	r.image = load_image(opt, &r.image_len);
	if (!r.image)
		return FB_EXIT_BAD_IMAGE;
	const char *problem = linux_problem(opt);
	if (problem) {
		fprintf(stderr, "fbvmm: %s\n", problem);
		free((void *)r.image);
		return FB_EXIT_USAGE;
	}
	if (opt->linux_kernel) {
		int done;
		enum fb_exit chosen = choose_linux_backend(opt, &done);
		if (done) {
			free((void *)r.image);
			return chosen;
		}
	}
	if (watchdog_install() < 0) {
		free((void *)r.image);
		return FB_EXIT_HOST_ERROR;
	}
	if (opt->backend == BACKEND_AUTO || opt->which_backend) {
		enum fb_exit chosen = choose_backend(opt, r.image, r.image_len);
		if (chosen != FB_EXIT_OK || opt->which_backend) {
			free((void *)r.image);
			return chosen;
		}
	}
	if (records_open(&rec, opt->records_path) < 0) {
		free((void *)r.image);
		return FB_EXIT_HOST_ERROR;
	}
	if (results_open(&res, opt->csv_path, opt->meta_path, err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "fbvmm: %s\n", err);
		records_close(&rec, 0);
		free((void *)r.image);
		return FB_EXIT_HOST_ERROR;
	}
	res.backend = opt->backend;
	res.opt = opt;
	if (sim_prepare(&res.sim, opt, err, sizeof(err)) < 0) {
		fprintf(stderr, "fbvmm: %s\n", err);
		results_close(&res, 0, NULL, err, sizeof(err));
		records_close(&rec, 0);
		free((void *)r.image);
		return FB_EXIT_HOST_ERROR;
	}
	r.plugin_arg = opt->sim ? res.sim.arg : NULL;
	stream_init(&stream, opt->quiet ? NULL : stdout, rec.f);
	stream_set_sink(&stream, results_record, &res);
	watchdog_arm(opt->timeout_s);
	if (opt->backend == BACKEND_KVM)
		run_kvm(&r);
	else
		run_qemu(&r);
	watchdog_disarm();
	stream_finish(&stream);
	enum fb_exit code = outcome_decide(&r.end, &stream, msg, sizeof(msg));
	if (code == FB_EXIT_OK &&
	    sim_write_rows(&res.sim, opt, res.csv.f, &res.rows, msg,
			   sizeof(msg)) < 0)
		code = FB_EXIT_PROTOCOL; /* counts that cannot be placed */
	int unwritten = records_close(&rec, clean_end(&r, code)) < 0;
	unwritten |= finish_results(&res, &r, code, argc, argv) < 0;
	if (unwritten && code == FB_EXIT_OK) {
		/* the guest's pass is worth nothing without its results */
		code = FB_EXIT_HOST_ERROR;
		snprintf(msg, sizeof(msg), "the guest passed, but its results "
			 "could not be written (see above)");
	}
	if (code != FB_EXIT_OK || !opt->quiet)
		fprintf(stderr, "fbvmm: %s [%s]\n", msg, backend_name(opt->backend));
	if (opt->stats)
		print_stats(&r);
	sim_free(&res.sim);
	free((void *)r.image);
	return code;
}

int main(int argc, char **argv)
{
	struct options opt;
	char err[512];
	switch (options_parse(argc, argv, &opt, err, sizeof(err))) {
	case OPT_HELP:
		options_usage(stdout);
		return FB_EXIT_OK;
	case OPT_VERSION:
		printf("fbvmm (forkbench) record ABI %d\n", FB_ABI_VERSION);
		return FB_EXIT_OK;
	case OPT_ERROR:
		fprintf(stderr, "fbvmm: %s\n", err);
		return FB_EXIT_USAGE;
	case OPT_RUN:
		break;
	}
	return run_guest(&opt, argc, argv);
}
