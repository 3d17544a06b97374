/*
 * What every libFuzzer target in tests/fuzz/ shares: the entry points
 * (declared here because the host code builds with -Wmissing-prototypes)
 * and helpers that turn the fuzzer's bytes into what a parser takes.
 */
#ifndef FB_FUZZ_H
#define FB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An argv made of the input's NUL-separated words after argv[0]. */
struct fuzz_argv {
	int argc;
	char **argv; /* argv[argc] is NULL */
};

/*
 * Each word gets its own heap block of exactly its size, so ASan sees a
 * read past its end; at most max words are taken.
 */
void fuzz_argv_build(struct fuzz_argv *a, const char *prog,
		     const uint8_t *data, size_t size, int max);
void fuzz_argv_free(struct fuzz_argv *a);

/*
 * A path whose file holds exactly data[0..size), for readers that take a
 * path. It is a memfd (no disk, no clean-up); valid until the next call.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/*
 * The record line[0..len) with a checksum trailer that matches, so the
 * fuzzer gets past the checksum to the fields: an existing " #" + 8
 * characters at the end is rewritten, otherwise one is appended. out needs
 * len + 10 bytes; returns the new length.
 */
size_t fuzz_fix_checksum(const char *line, size_t len, char *out);

/* A parser broke an invariant: say which, and abort so libFuzzer keeps
 * the input as a crash. */
__attribute__((noreturn, format(printf, 1, 2)))
void fuzz_fail(const char *fmt, ...);

/*
 * err is shown to a user as one line: it must say something, and any byte
 * that is not printable ASCII must come from the input it quotes.
 */
void fuzz_check_message(const char *where, const char *err,
			const uint8_t *data, size_t size);

#endif
