/*
 * Deliberate misbehaviour, so the tests can prove the host notices each
 * way a guest can go wrong and reports it with the right exit code.
 */
#include "cmd/faults.h"
#include "cmd/args.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/lib.h"
#include "kernel/x86.h"

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

enum kind { TRIPLE, PF, UD, HANG, PORT, HALT, BADRECORD, FAIL };
/* Indexed by enum kind. */
static const char *const kinds[] = { "triple", "pf", "ud", "hang", "port",
				     "halt", "badrecord", "fail" };

/* Which kind argv asks for; a bad request ends the run as a bad command. */
static enum kind fault_kind(int argc, char **argv)
{
	char list[80];
	choice_list(list, sizeof(list), kinds, ARRAY_SIZE(kinds));
	if (argc != 2)
		badcmd("fault: expected one kind: %s", list);
	int k = choice_index(argv[1], kinds, ARRAY_SIZE(kinds));
	if (k < 0)
		badcmd("fault: unknown kind '%s' (one of: %s)", argv[1], list);
	return (enum kind)k;
}

unsigned cmd_fault(int argc, char **argv)
{
	enum kind k = fault_kind(argc, argv);
	kprintf("fault: %s\n", kinds[k]);
	switch (k) {
	case TRIPLE: triple_fault(); break;
	case PF: page_fault(); break;
	case UD: __asm__ volatile("ud2"); break;
	case HANG: hang(); break;
	case PORT: outb(UNCLAIMED_PORT, 0x42); break; /* strict hosts stop here */
	case HALT: halt_forever();
	case BADRECORD: garbled_record(); break;
	case FAIL: return FB_STATUS_FAIL;
	}
	kprintf("fault: %s returned\n", kinds[k]);
	return FB_STATUS_PASS;
}
