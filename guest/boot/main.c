/*
 * kmain: bring the kernel up, say hello to the host, run the command from
 * the command line, report how it went.
 */
#include "boot/main.h"
#include "boot/cmdline.h"
#include "cmd/commands.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/gdt.h"
#include "kernel/record.h"
#include "kernel/trap.h"
#include "kernel/tsc.h"

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
