/*
 * The console of guest/kernel/console.h on Linux, for the peer init: the
 * guest's record writer (guest/kernel/record.c) is compiled into the
 * init as it is, so both guests send records in one format from one
 * implementation. Lines go to stdout, the kernel's console (ttyS0).
 */
#include <stdarg.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "kernel/console.h"

/* The tty would turn "\n" into "\r\n", and a record line ends with "\n". */
void console_init(void)
{
	struct termios t;
	if (tcgetattr(1, &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(1, TCSANOW, &t);
	}
}

int console_has_hcall(void)
{
	return 0;
}

/* One write per record line: the kernel's own lines cannot cut into it. */
void console_write(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(1, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void console_end_line(void)
{
	fflush(stderr);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}
