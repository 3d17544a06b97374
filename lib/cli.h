/*
 * The one option-parsing style of fbvmm and every forkbench command:
 * getopt_long from a fresh state, and the same words for the same
 * mistakes ("--bogus: unknown option", "--out: needs an argument").
 */
#ifndef FB_CLI_H
#define FB_CLI_H

#include <stddef.h>

/*
 * Start a getopt_long loop afresh: optind = 0 (not 1), so glibc also
 * forgets where it was inside a cluster like "-hb" an earlier parse left,
 * and opterr = 0, so only our one-line messages are printed.
 */
void cli_reset(void);

/*
 * The message for getopt_long's '?' (unknown) or ':' (missing argument)
 * return, naming the option as typed: a long option's optopt is its code,
 * no character, so it is named from argv.
 */
void cli_bad_option(int c, char **argv, char *err, size_t errlen);

#endif
