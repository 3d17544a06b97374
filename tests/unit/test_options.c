/* fbvmm's option parsing: defaults, every option, and every bad input. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "parse.h"

static struct options o;
static char err[512];

/* Parse a NULL-terminated list of words as argv. */
#define PARSE(...)                                                        \
	({                                                                \
		char *argv_[] = { "fbvmm", __VA_ARGS__, NULL };           \
		int argc_ = (int)(sizeof(argv_) / sizeof(*argv_)) - 1;    \
		err[0] = '\0';                                            \
		options_parse(argc_, argv_, &o, err, sizeof(err));        \
	})

#define EXPECT_ERROR(word, ...)                                           \
	do {                                                              \
		cr_assert_eq(PARSE(__VA_ARGS__), OPT_ERROR);              \
		cr_assert(strstr(err, word), "error '%s' lacks '%s'", err, \
			  word);                                          \
		cr_assert_null(strchr(err, '\n'), "error is one line");   \
	} while (0)

Test(options, defaults)
{
	cr_assert_eq(PARSE("g.elf"), OPT_RUN);
	cr_assert_str_eq(o.elf_path, "g.elf");
	cr_assert_eq(o.backend, BACKEND_AUTO);
	cr_assert(!o.which_backend);
	cr_assert_eq(o.mem_bytes, MEM_DEFAULT);
	cr_assert_eq(o.timeout_s, TIMEOUT_DEFAULT);
	cr_assert_str_eq(o.cmdline, "");
	cr_assert_null(o.records_path);
	cr_assert(!o.quiet && !o.strict && !o.stats);
}

Test(options, every_option)
{
	cr_assert_eq(PARSE("-b", "qemu-tcg-det", "--mem", "1G", "-t", "0",
			   "-c", "selftest", "-r", "out.rec", "-q", "-s",
			   "--stats", "--qemu", "/opt/qemu", "g.elf"),
		     OPT_RUN);
	cr_assert_eq(o.backend, BACKEND_QEMU_TCG_DET);
	cr_assert_eq(o.mem_bytes, 1ull << 30);
	cr_assert_eq(o.timeout_s, 0);
	cr_assert_str_eq(o.cmdline, "selftest");
	cr_assert_str_eq(o.records_path, "out.rec");
	cr_assert(o.quiet && o.strict && o.stats);
	cr_assert_str_eq(o.qemu_path, "/opt/qemu");
}

Test(options, guest_words_after_elf_join_cmdline)
{
	cr_assert_eq(PARSE("-c", "fault", "g.elf", "pf", "-x"), OPT_RUN);
	cr_assert_str_eq(o.cmdline, "fault pf -x", "got '%s'", o.cmdline);
}

Test(options, help_and_version)
{
	cr_assert_eq(PARSE("--help"), OPT_HELP);
	cr_assert_eq(PARSE("-h", "g.elf"), OPT_HELP);
	cr_assert_eq(PARSE("-V"), OPT_VERSION);
}

Test(options, unknown_option)
{
	EXPECT_ERROR("unknown option", "--frobnicate", "g.elf");
	EXPECT_ERROR("-Z", "-Z", "g.elf");
}

Test(options, missing_argument)
{
	EXPECT_ERROR("needs an argument", "--mem");
	EXPECT_ERROR("needs an argument", "-m");
}

Test(options, missing_elf)
{
	EXPECT_ERROR("no guest ELF", "-q");
}

Test(options, bad_backend)
{
	EXPECT_ERROR("--backend 'xen'", "-b", "xen", "g.elf");
}

Test(options, bad_mem)
{
	EXPECT_ERROR("not a size", "-m", "lots", "g.elf");
	EXPECT_ERROR("not a size", "-m", "64MB", "g.elf");
	EXPECT_ERROR("not a size", "-m", "-64M", "g.elf");
	EXPECT_ERROR("between", "-m", "1M", "g.elf");
	EXPECT_ERROR("between", "-m", "20481M", "g.elf");
	EXPECT_ERROR("between", "-m", "21G", "g.elf");
	EXPECT_ERROR("multiple of 4K", "-m", "4194305", "g.elf");
	EXPECT_ERROR("not a size", "-m", "99999999999999999999999G", "g.elf");
}

/* Every backend takes guest RAM past the 4 GiB hole, up to 20 GiB. */
Test(options, mem_up_to_20g)
{
	cr_assert_eq(PARSE("-m", "4M", "g.elf"), OPT_RUN, "%s", err);
	cr_assert_eq(o.mem_bytes, 4ull << 20);
	cr_assert_eq(PARSE("-m", "3073M", "g.elf"), OPT_RUN, "%s", err);
	cr_assert_eq(o.mem_bytes, 3073ull << 20);
	cr_assert_eq(PARSE("-m", "16G", "g.elf"), OPT_RUN, "%s", err);
	cr_assert_eq(o.mem_bytes, 16ull << 30);
	cr_assert_eq(PARSE("-m", "20G", "g.elf"), OPT_RUN, "%s", err);
	cr_assert_eq(o.mem_bytes, 20ull << 30);
}

Test(options, bad_timeout)
{
	EXPECT_ERROR("--timeout", "-t", "soon", "g.elf");
	EXPECT_ERROR("--timeout", "-t", "-1", "g.elf");
	EXPECT_ERROR("--timeout", "-t", "86401", "g.elf");
}

Test(options, cmdline_too_long)
{
	static char big[FB_CMDLINE_MAX + 8];
	memset(big, 'a', sizeof(big) - 1);
	EXPECT_ERROR("longer than", "-c", big, "g.elf");
}

Test(options, parse_size_units)
{
	uint64_t v;
	cr_assert_eq(parse_size("4096", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(parse_size("4K", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(parse_size("64m", &v), 0);
	cr_assert_eq(v, 64ull << 20);
	cr_assert_eq(parse_size("1G", &v), 0);
	cr_assert_eq(v, 1ull << 30);
	cr_assert_eq(parse_size("0", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_lt(parse_size("", &v), 0);
	cr_assert_lt(parse_size("1T", &v), 0);
	cr_assert_lt(parse_size("1KK", &v), 0);
	cr_assert_lt(parse_size(" 1K", &v), 0);
	cr_assert_lt(parse_size("17179869184G", &v), 0); /* 2^34 G overflows */
}

Test(options, backend_names_round_trip)
{
	enum backend b;
	const enum backend all[] = { BACKEND_AUTO, BACKEND_KVM, BACKEND_QEMU_TCG,
				     BACKEND_QEMU_TCG_DET, BACKEND_QEMU_KVM };
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		cr_assert_eq(backend_parse(backend_name(all[i]), &b), 0);
		cr_assert_eq(b, all[i]);
	}
	cr_assert_lt(backend_parse("KVM", &b), 0);
}

Test(options, kvm_device_from_option_environment_or_default)
{
	unsetenv("FBVMM_KVM_DEVICE");
	cr_assert_eq(PARSE("g.elf"), OPT_RUN);
	cr_assert_str_eq(o.kvm_device, "/dev/kvm");
	setenv("FBVMM_KVM_DEVICE", "/tmp/kvm-env", 1);
	cr_assert_eq(PARSE("g.elf"), OPT_RUN);
	cr_assert_str_eq(o.kvm_device, "/tmp/kvm-env");
	/* the option wins over the environment */
	cr_assert_eq(PARSE("--kvm-device", "/tmp/kvm-opt", "g.elf"), OPT_RUN);
	cr_assert_str_eq(o.kvm_device, "/tmp/kvm-opt");
	/* an empty variable means unset, not the path "" */
	setenv("FBVMM_KVM_DEVICE", "", 1);
	cr_assert_eq(PARSE("g.elf"), OPT_RUN);
	cr_assert_str_eq(o.kvm_device, "/dev/kvm");
	unsetenv("FBVMM_KVM_DEVICE");
	EXPECT_ERROR("--kvm-device: needs an argument", "--kvm-device");
}

Test(options, which_backend_and_auto)
{
	cr_assert_eq(PARSE("--which-backend", "-b", "auto", "g.elf"), OPT_RUN);
	cr_assert(o.which_backend);
	cr_assert_eq(o.backend, BACKEND_AUTO);
	EXPECT_ERROR("expected auto, kvm", "-b", "hardware", "g.elf");
}

/* Found by fuzzing: the name of a long option missing its argument. */
Test(options, long_option_without_argument_named_as_typed)
{
	EXPECT_ERROR("--csv: needs an argument", "--csv");
	EXPECT_ERROR("--meta: needs an argument", "--meta");
}

/*
 * Found by fuzzing: a parse that stopped inside a cluster ("-hV" stops at
 * h) must not leave getopt half-way, or the next parse reads the old argv.
 */
Test(options, a_parse_after_an_early_stop_starts_afresh)
{
	cr_assert_eq(PARSE("-hV", "g.elf"), OPT_HELP);
	cr_assert_eq(PARSE("-q", "g.elf"), OPT_RUN);
	cr_assert(o.quiet);
	cr_assert_str_eq(o.elf_path, "g.elf");
}
