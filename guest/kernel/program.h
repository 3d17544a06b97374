/*
 * Programs built into the image, found by name by exec and spawn. A
 * program is a function run as fn(arg) on its own stack in a fresh
 * address space; its return value is its exit status.
 */
#ifndef GUEST_PROGRAM_H
#define GUEST_PROGRAM_H

struct program {
	const char *name;
	int (*main)(long arg);
};

/* The program called name, or NULL (exec.c). */
const struct program *program_find(const char *name);

#define PROGRAM(pname, fn)                                                \
	static const struct program program_##fn                          \
		__attribute__((used, section(".programs"), aligned(8))) = { \
			.name = pname, .main = fn }

#endif
