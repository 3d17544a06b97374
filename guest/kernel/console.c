/*
 * Console transport. Under our VMM a whole line leaves in one hcall (one
 * VM exit); elsewhere (QEMU) it goes byte by byte through COM1. Both
 * deliver identical bytes, so the host parses one stream format.
 */
#include <stdarg.h>

#include "kernel/console.h"
#include "fb_abi.h"
#include "kernel/lib.h"
#include "kernel/x86.h"

static int use_hcall;
static char line[FB_REC_LINE_MAX + 2];
static size_t line_len;
static struct fb_hcall hcall;

void console_init(void)
{
	use_hcall = inl(FB_PORT_HCALL) == FB_HCALL_MAGIC;
}

int console_has_hcall(void)
{
	return use_hcall;
}

static void serial_putc(char c)
{
	while (!(inb(FB_PORT_COM1_LSR) & FB_COM1_LSR_THRE))
		;
	outb(FB_PORT_COM1, (uint8_t)c);
}

static void flush(void)
{
	if (line_len == 0)
		return;
	if (use_hcall) {
		hcall.op = FB_HC_CONSOLE_WRITE;
		hcall.len = (uint32_t)line_len;
		hcall.data_gpa = (uint64_t)(uintptr_t)line;
		/* Identity mapped below 4 GiB: the address is the GPA. */
		outl(FB_PORT_HCALL, (uint32_t)(uintptr_t)&hcall);
	} else {
		for (size_t i = 0; i < line_len; i++)
			serial_putc(line[i]);
	}
	line_len = 0;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == sizeof(line))
			flush();
	}
}

void console_end_line(void)
{
	if (line_len)
		console_write("\n", 1);
}

int kprintf(const char *fmt, ...)
{
	char buf[FB_REC_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}
