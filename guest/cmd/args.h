/*
 * Checking command arguments. Each check says what is wrong in words a
 * user can act on, so the commands can refuse with a precise reason
 * instead of a generic usage line.
 */
#ifndef GUEST_ARGS_H
#define GUEST_ARGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A parent size: "4096", "64K", "16M", "1G", a multiple of 4 KiB. NULL
 * with *bytes set, or what is wrong with s ("is not a size", ...).
 */
const char *size_problem(const char *s, uint64_t *bytes);

/* Index of v in names[0..n), or -1. */
int choice_index(const char *v, const char *const *names, unsigned n);
/* "a b c": the choices, for a message. */
void choice_list(char *buf, size_t len, const char *const *names, unsigned n);

/*
 * Refuse (FB_STATUS_NOMEM) a parent of `bytes` that guest RAM can never
 * hold, before anything runs, naming the size as spelled and the RAM.
 */
void parent_must_fit(const char *cmd, const char *spelled, uint64_t bytes);

#endif
