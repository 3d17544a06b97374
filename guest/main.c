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

void fb_exit(unsigned status)
{
	if (status == FB_STATUS_PASS && rec_dropped())
		status = FB_STATUS_FAIL; /* the host did not get everything */
	struct rec r;
	rec_begin(&r, "end");
	rec_str(&r, "status", status_name(status));
	rec_u64(&r, "records", rec_count());
	rec_end(&r);
	outl(FB_PORT_EXIT, status);
	halt_forever();
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
	if (cmdline_parse() < 0)
		fb_exit(FB_STATUS_BADCMD);
	say_hello();
	fb_exit(command_run());
}
