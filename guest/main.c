/*
 * kmain: bring the kernel up, say hello to the host, run the command from
 * the command line, report how it went.
 */
#include "console.h"
#include "kernel.h"
#include "lib.h"
#include "record.h"
#include "trap.h"
#include "tsc.h"
#include "x86.h"

const char *status_name(unsigned status)
{
	switch (status) {
	case FB_STATUS_PASS: return "pass";
	case FB_STATUS_FAIL: return "fail";
	case FB_STATUS_EXCEPTION: return "exception";
	case FB_STATUS_BADCMD: return "badcmd";
	case FB_STATUS_NOMEM: return "nomem";
	}
	return "unknown";
}

/* Why refuse() ended the run; cut to what one record value can carry. */
static char refusal[FB_REC_VALUE_MAX + 1];

void fb_exit(unsigned status)
{
	if (status == FB_STATUS_PASS && rec_dropped())
		status = FB_STATUS_FAIL; /* the host did not get everything */
	struct rec r;
	rec_begin(&r, "end");
	rec_str(&r, "status", status_name(status));
	rec_u64(&r, "records", rec_count());
	if (refusal[0])
		rec_str(&r, "what", refusal);
	rec_end(&r);
	outl(FB_PORT_EXIT, status);
	halt_forever();
}

void refuse(unsigned status, const char *fmt, ...)
{
	char msg[FB_REC_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("%s\n", msg);
	/* The end record is sent whole or not at all: never overfill it. */
	if (snprintf(refusal, sizeof(refusal), "%s", msg) >= (int)sizeof(refusal))
		memcpy(refusal + sizeof(refusal) - 4, "...", 3);
	fb_exit(status);
}

static void say_hello(void)
{
	struct rec r;
	rec_begin(&r, "hello");
	rec_u64(&r, "abi", FB_ABI_VERSION);
	rec_u64(&r, "tsc_khz", boot.tsc_khz);
	rec_u64(&r, "mem_kib", boot.ram_bytes >> 10);
	rec_str(&r, "console", console_has_hcall() ? "hcall" : "com1");
	rec_str(&r, "cmd", boot.argc ? boot.argv[0] : "-");
	rec_end(&r);
}

void kmain(uint32_t start_info_pa);
void kmain(uint32_t start_info_pa)
{
	console_init();
	gdt_init();
	idt_init();
	tsc_init();
	if (bootinfo_parse(start_info_pa) < 0)
		fb_exit(FB_STATUS_FAIL);
	cmdline_parse();
	say_hello();
	fb_exit(command_run());
}
