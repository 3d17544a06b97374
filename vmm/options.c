/* Command-line parsing for fbvmm. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "parse.h"

void options_usage(FILE *out)
{
	fprintf(out,
"usage: fbvmm [options] GUEST.elf [GUEST COMMAND...]\n"
"       fbvmm [options] --initrd INIT.cpio BZIMAGE [INIT ARGUMENTS...]\n"
"Boot a forkbench guest kernel (PVH ELF), or a Linux kernel (bzImage)\n"
"whose initramfs runs the forkbench peer init, and collect its records.\n"
"\n"
"  -b, --backend NAME   auto (default), kvm (this VMM on /dev/kvm),\n"
"                       qemu-tcg, qemu-tcg-det (TCG, -icount shift=0:\n"
"                       deterministic TSC), qemu-kvm. auto: kvm when its\n"
"                       validity check says hardware-virtualized, else\n"
"                       qemu-tcg-det; the choice and why go to stderr\n"
"      --which-backend  print the backend auto chooses (NAME<TAB>WHY), exit\n"
"      --kvm-device PATH  the KVM device (default $FBVMM_KVM_DEVICE, else\n"
"                       /dev/kvm); kvm and qemu-kvm check it before running\n"
"  -m, --mem SIZE       guest RAM, e.g. 64M, 1G (default 128M, %lluM..%lluG)\n"
"  -t, --timeout SECS   stop a guest that runs longer (default %d, 0: never)\n"
"  -c, --cmdline STR    guest command line (words after GUEST.elf append)\n"
"  -r, --records FILE   write the validated records to FILE (atomically)\n"
"      --csv FILE       write the metric records as long-form CSV\n"
"      --meta FILE      write the run's provenance (CPU, kernel, backend,\n"
"                       validity verdict, git revision...) as JSON\n"
"  -q, --quiet          do not echo the guest console\n"
"  -s, --strict         unknown I/O ports and MMIO end the run\n"
"      --stats          print exit statistics to stderr\n"
"      --qemu PATH      QEMU binary (default qemu-system-x86_64)\n"
"      --initrd FILE    a Linux guest's initramfs; Linux runs on the QEMU\n"
"                       backends only (auto: qemu-tcg-det), its words go\n"
"                       to /init after the kernel's own parameters\n"
"      --sim            run the fbsim TLB/cache model (a QEMU TCG plugin,\n"
"                       plugin/README.md; qemu-tcg and qemu-tcg-det only,\n"
"                       auto: qemu-tcg-det): the guest's sim records become\n"
"                       sim_* rows of the CSV, the model in --meta\n"
"      --sim-plugin PATH  the plugin (default plugin/fbsim.so next to fbvmm)\n"
"      --sim-preset NAME  cpuid (default: this host's sizes), skylake, zen3\n"
"      --sim-out FILE   keep the plugin's own output (every region)\n"
"  -h, --help           this text\n"
"  -V, --version        version and record ABI\n"
"\n"
"Guest commands: selftest, fault KIND, help (see the guest's 'help').\n"
"\n"
"Exit codes (the same on every backend):\n"
"  0 guest passed           5 timeout (watchdog)\n"
"  1 guest reported failure 6 bad guest image\n"
"  2 usage / bad command    7 host error (KVM/QEMU unusable)\n"
"  3 guest exception        8 protocol error (bad record, strict I/O)\n"
"  4 triple fault (Linux:   9 interrupted (SIGINT/SIGTERM)\n"
"    a kernel panic)\n",
		(unsigned long long)(MEM_MIN >> 20),
		(unsigned long long)(MEM_MAX >> 30), TIMEOUT_DEFAULT);
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->backend = BACKEND_AUTO;
	o->mem_bytes = MEM_DEFAULT;
	o->timeout_s = TIMEOUT_DEFAULT;
	o->qemu_path = "qemu-system-x86_64";
	const char *dev = getenv("FBVMM_KVM_DEVICE");
	o->kvm_device = dev && dev[0] ? dev : KVM_DEVICE_DEFAULT;
}

static int append_cmdline(struct options *o, const char *word, char *err,
			  size_t errlen)
{
	size_t have = strlen(o->cmdline), add = strlen(word);
	if (have + (have ? 1 : 0) + add >= sizeof(o->cmdline)) {
		snprintf(err, errlen, "guest command line longer than %zu bytes",
			 sizeof(o->cmdline) - 1);
		return -1;
	}
	if (have)
		o->cmdline[have++] = ' ';
	memcpy(o->cmdline + have, word, add + 1);
	return 0;
}

static int parse_timeout(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v > 86400)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int check_mem(const char *arg, struct options *o, char *err,
		     size_t errlen)
{
	if (parse_size(arg, &o->mem_bytes) < 0) {
		snprintf(err, errlen, "--mem '%s': not a size (e.g. 64M, 1G)",
			 arg);
		return -1;
	}
	if (o->mem_bytes < MEM_MIN || o->mem_bytes > MEM_MAX ||
	    o->mem_bytes % 4096) {
		snprintf(err, errlen,
			 "--mem '%s': must be a multiple of 4K between %lluM and %lluG",
			 arg, (unsigned long long)(MEM_MIN >> 20),
			 (unsigned long long)(MEM_MAX >> 30));
		return -1;
	}
	return 0;
}

enum { OPT_STATS = 256, OPT_INITRD, OPT_QEMU, OPT_CSV, OPT_META, OPT_KVM_DEVICE,
       OPT_WHICH_BACKEND, OPT_SIM, OPT_SIM_PLUGIN, OPT_SIM_PRESET,
       OPT_SIM_OUT };

static const struct option long_opts[] = {
	{ "backend", required_argument, 0, 'b' },
	{ "mem", required_argument, 0, 'm' },
	{ "timeout", required_argument, 0, 't' },
	{ "cmdline", required_argument, 0, 'c' },
	{ "records", required_argument, 0, 'r' },
	{ "quiet", no_argument, 0, 'q' },
	{ "strict", no_argument, 0, 's' },
	{ "stats", no_argument, 0, OPT_STATS },
	{ "qemu", required_argument, 0, OPT_QEMU },
	{ "initrd", required_argument, 0, OPT_INITRD },
	{ "csv", required_argument, 0, OPT_CSV },
	{ "meta", required_argument, 0, OPT_META },
	{ "kvm-device", required_argument, 0, OPT_KVM_DEVICE },
	{ "which-backend", no_argument, 0, OPT_WHICH_BACKEND },
	{ "sim", no_argument, 0, OPT_SIM },
	{ "sim-plugin", required_argument, 0, OPT_SIM_PLUGIN },
	{ "sim-preset", required_argument, 0, OPT_SIM_PRESET },
	{ "sim-out", required_argument, 0, OPT_SIM_OUT },
	{ "help", no_argument, 0, 'h' },
	{ "version", no_argument, 0, 'V' },
	{ 0, 0, 0, 0 },
};

/* One option; -1 with err set when its argument is bad. */
static int apply_option(int c, const char *arg, struct options *o, char *err,
			size_t errlen)
{
	switch (c) {
	case 'b':
		if (backend_parse(arg, &o->backend) == 0)
			return 0;
		snprintf(err, errlen,
			 "--backend '%s': expected auto, kvm, qemu-tcg, qemu-tcg-det or qemu-kvm",
			 arg);
		return -1;
	case 'm':
		return check_mem(arg, o, err, errlen);
	case 't':
		if (parse_timeout(arg, &o->timeout_s) == 0)
			return 0;
		snprintf(err, errlen, "--timeout '%s': expected seconds 0..86400",
			 arg);
		return -1;
	case 'c':
		return append_cmdline(o, arg, err, errlen);
	case 'r':
		o->records_path = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 's':
		o->strict = 1;
		return 0;
	case OPT_STATS:
		o->stats = 1;
		return 0;
	case OPT_QEMU:
		o->qemu_path = arg;
		return 0;
	case OPT_INITRD:
		o->initrd_path = arg;
		return 0;
	case OPT_CSV:
		o->csv_path = arg;
		return 0;
	case OPT_META:
		o->meta_path = arg;
		return 0;
	case OPT_KVM_DEVICE:
		o->kvm_device = arg;
		return 0;
	case OPT_WHICH_BACKEND:
		o->which_backend = 1;
		return 0;
	case OPT_SIM:
		o->sim = 1;
		return 0;
	case OPT_SIM_PLUGIN:
		o->sim_plugin = arg;
		return 0;
	case OPT_SIM_PRESET:
		o->sim_preset = arg;
		return 0;
	case OPT_SIM_OUT:
		o->sim_out = arg;
		return 0;
	}
	snprintf(err, errlen, "internal: unhandled option %d", c);
	return -1;
}

/*
 * The model is a TCG plugin: auto means qemu-tcg-det with it, and a
 * backend without TCG cannot load it.
 */
static int check_sim(struct options *o, char *err, size_t errlen)
{
	int asked = o->sim_plugin || o->sim_preset || o->sim_out;
	if (!o->sim) {
		if (asked)
			snprintf(err, errlen, "--sim-plugin, --sim-preset and "
				 "--sim-out need --sim");
		return asked ? -1 : 0;
	}
	if (o->backend == BACKEND_AUTO)
		o->backend = BACKEND_QEMU_TCG_DET;
	if (o->backend == BACKEND_QEMU_TCG || o->backend == BACKEND_QEMU_TCG_DET)
		return 0;
	snprintf(err, errlen, "--sim: the model is a QEMU TCG plugin: use "
		 "-b qemu-tcg-det or qemu-tcg, not %s", backend_name(o->backend));
	return -1;
}

enum opt_result options_parse(int argc, char **argv, struct options *o,
			      char *err, size_t errlen)
{
	set_defaults(o);
	cli_reset();
	int c;
	/* '+': stop at the ELF path so guest words like "-x" stay the guest's */
	while ((c = getopt_long(argc, argv, "+:b:m:t:c:r:qshV", long_opts,
				NULL)) != -1) {
		if (c == 'h')
			return OPT_HELP;
		if (c == 'V')
			return OPT_VERSION;
		if (c == '?' || c == ':') {
			cli_bad_option(c, argv, err, errlen);
			return OPT_ERROR;
		}
		if (apply_option(c, optarg, o, err, errlen) < 0)
			return OPT_ERROR;
	}
	if (optind >= argc) {
		snprintf(err, errlen, "no guest ELF given (see --help)");
		return OPT_ERROR;
	}
	o->elf_path = argv[optind++];
	for (; optind < argc; optind++)
		if (append_cmdline(o, argv[optind], err, errlen) < 0)
			return OPT_ERROR;
	return check_sim(o, err, errlen) < 0 ? OPT_ERROR : OPT_RUN;
}
