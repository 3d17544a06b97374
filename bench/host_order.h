/*
 * forkbench host, create scenario: what the child's first timestamp
 * says. The span from the call's start to the child's first instruction
 * is cycles_to_child only when the child ran before the parent returned;
 * when the parent ran first, the same span also holds the parent's
 * return, its wait and a switch, and is cycles_to_child_parent_first
 * (fb_vocab.h). Every sample gets both rows: the one that did not apply
 * is NA with the reason, so the two are never mixed.
 */
#ifndef FB_HOST_ORDER_H
#define FB_HOST_ORDER_H

#include <stdint.h>

/* The NA reasons of the two rows (the note column). */
#define HOST_NOTE_CHILD_RAN_FIRST "child_ran_first"
#define HOST_NOTE_PARENT_RAN_FIRST "parent_ran_first"
#define HOST_NOTE_CHILD_BEFORE_START \
	"negative_tsc_delta:child_before_call_start"

enum host_child_order {
	HOST_CHILD_FIRST,        /* t0 <= child < return */
	HOST_PARENT_FIRST,       /* child >= return */
	HOST_CHILD_BEFORE_START, /* child < t0: the TSCs of two CPUs differ */
};

/* Who ran first, from the parent's start and return and the child's TSC. */
enum host_child_order host_child_order(uint64_t t0, uint64_t t_ret,
				       uint64_t t_child);

/* Index of the two rows: cycles_to_child, cycles_to_child_parent_first. */
enum { HOST_ROW_CHILD_FIRST, HOST_ROW_PARENT_FIRST, HOST_CHILD_ROWS };

/* The two rows of one sample: a value, or NA with the reason. */
struct host_child_rows {
	int has_value[HOST_CHILD_ROWS];
	uint64_t cycles[HOST_CHILD_ROWS]; /* 0 where NA */
	const char *reason[HOST_CHILD_ROWS]; /* "" where there is a value */
};

/*
 * The rows for a child that first ran at t_child, the call having
 * started at t0 and returned at t_ret: the span t0..t_child (less the
 * empty-region overhead) goes to the row of the order that happened.
 * A child before t0 gives no value at all rather than a 0.
 */
void host_child_rows(uint64_t t0, uint64_t t_ret, uint64_t t_child,
		     uint64_t overhead, struct host_child_rows *out);

#endif
