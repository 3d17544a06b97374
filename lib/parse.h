/*
 * Sizes and comma lists from command lines: one syntax and one rule set
 * for fbvmm, forkbench run and forkbench host, so the same list means the
 * same thing (and is refused with the same words) everywhere.
 */
#ifndef FB_PARSE_H
#define FB_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* "4096", "4K", "64M", "1G" (powers of 1024). -1 on anything else. */
int parse_size(const char *s, uint64_t *out);

/* "0", "4K", "64M", "1G" when exact, else plain bytes. */
void size_text(uint64_t bytes, char *buf, size_t len);

/*
 * A comma list on a command line. The rules, for every kind of list:
 * every item must be valid (an empty one is not), none may come twice,
 * at most max of them. A refusal names the option and the item:
 * "OPT 'ITEM': reason", one line in err.
 */
struct list_spec {
	const char *opt;  /* "--sizes": starts every message */
	const char *noun; /* "size", "variant": what an item is */
	unsigned max;     /* room in the output array */
};

/*
 * Sizes (parse_size syntax), each a multiple of align and at most limit,
 * into out[0..*n) in the order given. 0, or -1 with err.
 */
int parse_size_list(const char *list, const struct list_spec *spec,
		    uint64_t align, uint64_t limit, uint64_t *out,
		    unsigned *n, char *err, size_t errlen);

/*
 * Names out of names[0..count), as indexes into names, into
 * out[0..*n) in the order given. An unknown name's message lists the
 * choices. 0, or -1 with err.
 */
int parse_name_list(const char *list, const struct list_spec *spec,
		    const char *const *names, unsigned count, unsigned *out,
		    unsigned *n, char *err, size_t errlen);

#endif
