/* /proc/vmstat deltas around each sample (vmstat.h). */
#include <stdio.h>
#include <string.h>

#include "fb_vocab.h"
#include "vmstat.h"

/*
 * Page faults (COW faults among them), page allocations and frees (a
 * fork's page tables, a COW copy), and what THP does on fork and
 * write: huge pages allocated at fault time, PMDs split.
 */
static const char *const fields[] = {
	"pgfault", "pgalloc_normal", "pgalloc_dma32", "pgfree",
	"thp_fault_alloc", "thp_split_pmd",
};
#define NFIELDS (sizeof(fields) / sizeof(*fields))
#define MISSING (~0ull)

static unsigned long long before[NFIELDS];

/* The fields' current values; MISSING for one this kernel lacks. */
static void read_fields(unsigned long long *v)
{
	char name[64];
	unsigned long long n;
	for (size_t i = 0; i < NFIELDS; i++)
		v[i] = MISSING;
	FILE *f = fopen("/proc/vmstat", "r");
	if (!f)
		return;
	while (fscanf(f, "%63s %llu", name, &n) == 2)
		for (size_t i = 0; i < NFIELDS; i++)
			if (strcmp(name, fields[i]) == 0)
				v[i] = n;
	fclose(f);
}

static void take_before(void *ctx)
{
	(void)ctx;
	read_fields(before);
}

static int append(struct metric_table *rows, const struct metric_row *label,
		  size_t i, unsigned long long b, unsigned long long a,
		  unsigned loops)
{
	struct metric_row r = *label;
	snprintf(r.metric, sizeof(r.metric), "vmstat_%s", fields[i]);
	snprintf(r.unit, sizeof(r.unit), "%s", FB_UNIT_EVENTS);
	if (a == MISSING || b == MISSING) {
		/* the label's note is "warmup" at most */
		snprintf(r.note, sizeof(r.note), "%.16s%snot_in_this_kernels_vmstat",
			 label->note, label->note[0] ? ";" : "");
	} else {
		r.has_value = 1;
		r.value = (double)(a - b) / loops;
	}
	return metrics_append(rows, &r);
}

static int take_after(void *ctx, const struct metric_row *label,
		      unsigned loops, struct metric_table *rows)
{
	unsigned long long after[NFIELDS];
	(void)ctx;
	read_fields(after);
	for (size_t i = 0; i < NFIELDS; i++)
		if (append(rows, label, i, before[i], after[i], loops) < 0)
			return -1;
	return 0;
}

const struct sample_observer *peer_vmstat_observer(void)
{
	static const struct sample_observer obs = { take_before, take_after,
						    NULL };
	return &obs;
}
