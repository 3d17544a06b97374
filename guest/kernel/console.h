/*
 * The guest's console stream: text for people and record lines for the
 * host, both line buffered so a line leaves the guest in one piece.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stddef.h>

/* Pick the transport: our VMM's hcall port if it answers, else COM1. */
void console_init(void);
int console_has_hcall(void);

void console_write(const char *s, size_t n);
/* Terminate a pending partial line so the next output starts fresh. */
void console_end_line(void);

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
