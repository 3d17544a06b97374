/*
 * IDT setup and exception dispatch. A vector without a handler (or whose
 * handler declines) is an unexpected exception: report it to the host and
 * end the run, since continuing would measure a broken kernel.
 */
#include "kernel/trap.h"
#include "kernel/console.h"
#include "kernel/end.h"
#include "kernel/record.h"
#include "kernel/x86.h"

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
} __attribute__((packed));

struct __attribute__((packed)) idt_ptr {
	uint16_t limit;
	uint64_t base;
};

extern const uint64_t isr_table[32]; /* isr.S: the entry stubs */
static struct idt_entry idt[32] __attribute__((aligned(16)));
static trap_handler_t handlers[32];

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "RSV22", "RSV23",
	"RSV24", "RSV25", "RSV26", "RSV27", "#HV", "#VC", "#SX", "RSV31",
};

const char *trap_name(unsigned vector)
{
	return vector < 32 ? names[vector] : "IRQ";
}

void idt_init(void)
{
	for (unsigned v = 0; v < 32; v++) {
		uint64_t a = isr_table[v];
		idt[v] = (struct idt_entry){
			.offset_lo = (uint16_t)a,
			.selector = 0x08,
			.ist = v == 8    ? IST_DOUBLE_FAULT
			       : v == 14 ? IST_PAGE_FAULT
					 : 0,
			.type_attr = 0x8e, /* present, DPL 0, interrupt gate */
			.offset_mid = (uint16_t)(a >> 16),
			.offset_hi = (uint32_t)(a >> 32),
		};
	}
	struct idt_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(p));
}

void trap_set_handler(unsigned vector, trap_handler_t h)
{
	if (vector < 32)
		handlers[vector] = h;
}

static __attribute__((noreturn)) void report_exception(struct trap_frame *tf)
{
	static int reporting;
	if (reporting) /* faulted while reporting: just stop */
		outl(FB_PORT_EXIT, FB_STATUS_EXCEPTION), halt_forever();
	reporting = 1;

	uint64_t cr2 = read_cr2(), cr3 = read_cr3();
	console_end_line();
	kprintf("exception %s (vector %lu) error 0x%lx at rip 0x%lx "
		"cr2 0x%lx cr3 0x%lx rsp 0x%lx\n",
		trap_name((unsigned)tf->vector), tf->vector, tf->error, tf->rip,
		cr2, cr3, tf->rsp);
	struct rec r;
	rec_begin(&r, "exception");
	rec_u64(&r, "vector", tf->vector);
	rec_str(&r, "name", trap_name((unsigned)tf->vector));
	rec_hex(&r, "error", tf->error);
	rec_hex(&r, "rip", tf->rip);
	rec_hex(&r, "cr2", cr2);
	rec_hex(&r, "cr3", cr3);
	rec_hex(&r, "rsp", tf->rsp);
	rec_end(&r);
	fb_exit(FB_STATUS_EXCEPTION);
}

void trap_dispatch(struct trap_frame *tf)
{
	trap_handler_t h = tf->vector < 32 ? handlers[tf->vector] : 0;
	if (h && h(tf))
		return;
	report_exception(tf);
}
