/* The few libc-like helpers a freestanding kernel needs. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Parse a decimal or 0x-hex number; -1 unless all of s[0..n) is digits. */
int parse_u64(const char *s, size_t n, uint64_t *out);
/* The median of v[0..n), n > 0; sorts v. */
uint64_t median_u64(uint64_t *v, unsigned n);

/* "4096", "4K", "64M", "1G" (powers of 1024); -1 on anything else. */
int parse_size(const char *s, uint64_t *out);

/*
 * snprintf subset: %s %c %d %u %x %lu %lx %ld %llu %llx %zu %p and %%,
 * with an optional 0 flag and width. Always NUL-terminates; returns the
 * length it would have written.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
