/*
 * Deliberate misbehaviour, so the tests can prove the host notices each
 * way a guest can go wrong and reports it with the right exit code.
 */
#include "commands.h"
#include "console.h"
#include "kernel.h"
#include "lib.h"
#include "x86.h"

/* PML4 slot 255 is never mapped by the kernel. */
#define UNMAPPED_ADDR 0x00007ff000000000ull
#define UNCLAIMED_PORT 0x1234

static void triple_fault(void)
{
	/* With an empty IDT every exception escalates to a triple fault. */
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty = { 0, 0 };
	__asm__ volatile("lidt %0; ud2" : : "m"(empty));
}

static void page_fault(void)
{
	*(volatile uint64_t *)UNMAPPED_ADDR = 1;
}

/* A record whose checksum cannot match: the host must refuse the run. */
static void garbled_record(void)
{
	static const char line[] =
		"@FB1 seq=1 type=test name=garbled result=pass #00000000\n";
	console_end_line();
	console_write(line, sizeof(line) - 1);
}

static void hang(void)
{
	for (;;)
		__asm__ volatile("pause");
}

unsigned cmd_fault(int argc, char **argv)
{
	if (argc != 2) {
		kprintf("fault: expected one kind: triple pf ud hang port halt badrecord fail\n");
		return FB_STATUS_BADCMD;
	}
	const char *kind = argv[1];
	kprintf("fault: %s\n", kind);
	if (strcmp(kind, "triple") == 0)
		triple_fault();
	else if (strcmp(kind, "pf") == 0)
		page_fault();
	else if (strcmp(kind, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "hang") == 0)
		hang();
	else if (strcmp(kind, "port") == 0)
		outb(UNCLAIMED_PORT, 0x42); /* strict hosts stop here */
	else if (strcmp(kind, "halt") == 0)
		halt_forever();
	else if (strcmp(kind, "badrecord") == 0)
		garbled_record();
	else if (strcmp(kind, "fail") == 0)
		return FB_STATUS_FAIL;
	else {
		kprintf("fault: unknown kind '%s'\n", kind);
		return FB_STATUS_BADCMD;
	}
	kprintf("fault: %s returned\n", kind);
	return FB_STATUS_PASS;
}
