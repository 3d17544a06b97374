/* Choosing and pinning forkbench host's CPU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host_cpu.h"

int host_cpus_allowed(cpu_set_t *allowed, char *err, size_t errlen)
{
	CPU_ZERO(allowed);
	if (sched_getaffinity(0, sizeof(*allowed), allowed) == 0)
		return 0;
	snprintf(err, errlen, "sched_getaffinity: %s", strerror(errno));
	return -1;
}

int host_cpu_pick(const cpu_set_t *allowed, int requested, int *cpu,
		  char *err, size_t errlen)
{
	if (requested >= 0 && requested < CPU_SETSIZE &&
	    CPU_ISSET(requested, allowed)) {
		*cpu = requested;
		return 0;
	}
	if (requested < 0)
		for (int c = CPU_SETSIZE - 1; c >= 0; c--)
			if (CPU_ISSET(c, allowed)) {
				*cpu = c;
				return 0;
			}
	char list[256];
	host_cpu_list_text(allowed, list, sizeof(list));
	if (requested < 0)
		snprintf(err, errlen, "no CPU to run on (allowed: '%s')", list);
	else
		snprintf(err, errlen, "--cpu %d: not one of the CPUs this "
			 "process may use (%s)", requested, list);
	return -1;
}

/* Append "a" or "a-b" (',' first unless it is the first) to buf. */
static void range(char *buf, size_t len, int a, int b)
{
	size_t n = strlen(buf);
	if (n + 1 >= len)
		return;
	if (a == b)
		snprintf(buf + n, len - n, "%s%d", n ? "," : "", a);
	else
		snprintf(buf + n, len - n, "%s%d-%d", n ? "," : "", a, b);
}

void host_cpu_list_text(const cpu_set_t *set, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		int end = c;
		while (end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, set))
			end++;
		range(buf, len, c, end);
		c = end;
	}
}

int host_cpu_pin(int cpu, char *err, size_t errlen)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) == 0)
		return 0;
	snprintf(err, errlen, "sched_setaffinity CPU %d: %s", cpu,
		 strerror(errno));
	return -1;
}
