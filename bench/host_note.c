/* The note column of forkbench host's rows. */
#include <stdio.h>
#include <string.h>

#include "host_note.h"
#include "resultset.h"

/* Append one part, ';' first unless it is the first. */
static void part(char *buf, size_t len, const char *fmt_text)
{
	size_t n = strlen(buf);
	if (n + 1 >= len)
		return;
	snprintf(buf + n, len - n, "%s%s", n ? ";" : "", fmt_text);
}

void host_note_format(char *buf, size_t len, const struct host_note *n)
{
	char p[64];
	if (len == 0)
		return;
	buf[0] = '\0';
	if (n->warmup)
		part(buf, len, WARMUP_NOTE);
	if (n->reason && n->reason[0])
		part(buf, len, n->reason);
	if (n->batch) {
		snprintf(p, sizeof(p), "batch:%u", n->batch);
		part(buf, len, p);
	}
	if (n->nivcsw > 0) {
		snprintf(p, sizeof(p), HOST_NOTE_DISTURBED "nivcsw:%ld",
			 n->nivcsw);
		part(buf, len, p);
	}
	if (n->loaded) {
		snprintf(p, sizeof(p), HOST_NOTE_DISTURBED "load:%.2f", n->load);
		part(buf, len, p);
	}
}

double host_load_threshold(long cpus_online)
{
	return 1.0 + 0.5 * (double)(cpus_online > 0 ? cpus_online : 1);
}

int host_load_disturbs(double load, long cpus_online)
{
	return load >= 0 && load > host_load_threshold(cpus_online);
}

long host_nivcsw_expected(enum host_variant v, int child_ran_first)
{
	if (!child_ran_first)
		return 0;
	return v == HV_FORK || v == HV_FORK_THP || v == HV_CLONE_VM ||
	       v == HV_THREAD;
}
