/* Who ran first after a creation call, and the rows that follow. */
#include <string.h>

#include "fb_tsc.h"
#include "host_order.h"

enum host_child_order host_child_order(uint64_t t0, uint64_t t_ret,
				       uint64_t t_child)
{
	if (t_child < t0)
		return HOST_CHILD_BEFORE_START;
	return t_child < t_ret ? HOST_CHILD_FIRST : HOST_PARENT_FIRST;
}

void host_child_rows(uint64_t t0, uint64_t t_ret, uint64_t t_child,
		     uint64_t overhead, struct host_child_rows *out)
{
	memset(out, 0, sizeof(*out));
	switch (host_child_order(t0, t_ret, t_child)) {
	case HOST_CHILD_FIRST:
		out->has_value[HOST_ROW_CHILD_FIRST] = 1;
		out->cycles[HOST_ROW_CHILD_FIRST] =
			fb_tsc_cycles(t0, t_child, overhead);
		out->reason[HOST_ROW_CHILD_FIRST] = "";
		out->reason[HOST_ROW_PARENT_FIRST] = HOST_NOTE_CHILD_RAN_FIRST;
		return;
	case HOST_PARENT_FIRST:
		out->has_value[HOST_ROW_PARENT_FIRST] = 1;
		out->cycles[HOST_ROW_PARENT_FIRST] =
			fb_tsc_cycles(t0, t_child, overhead);
		out->reason[HOST_ROW_CHILD_FIRST] = HOST_NOTE_PARENT_RAN_FIRST;
		out->reason[HOST_ROW_PARENT_FIRST] = "";
		return;
	case HOST_CHILD_BEFORE_START:
		out->reason[HOST_ROW_CHILD_FIRST] = HOST_NOTE_CHILD_BEFORE_START;
		out->reason[HOST_ROW_PARENT_FIRST] = HOST_NOTE_CHILD_BEFORE_START;
		return;
	}
}
