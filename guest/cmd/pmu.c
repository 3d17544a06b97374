/*
 * PMU detection. Programming the counters needs event codes chosen by
 * the host from the CPU model (ANCHORS.md, "Measurement practice"); until
 * a host passes them, and on guests without a PMU, every PMU metric is
 * reported missing with the reason.
 */
#include "cmd/pmu.h"
#include "cmd/metric.h"
#include "fb_vocab.h"
#include "kernel/lib.h"
#include "kernel/x86.h"

static const char *missing = "pmu not probed";


static int is_intel(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	return r[1] == 0x756e6547; /* "Genu" */
}

void pmu_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (is_intel()) {
		if (r[0] < 0xa) {
			missing = "no_pmu:cpuid_leaf_0xa_absent";
			return;
		}
		cpuid(0xa, 0, r);
		missing = (r[0] & 0xff) == 0 ? "no_pmu:cpuid_0xa_version_0"
					     : "pmu_present:event_programming_not_implemented";
		return;
	}
	cpuid(0x80000001, 0, r);
	missing = (r[2] >> 23) & 1 ? "pmu_present:event_programming_not_implemented"
				   : "no_pmu:amd_perfctr_core_absent";
}

const char *pmu_missing_reason(void)
{
	return missing;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static unsigned hex_digits(const char *s)
{
	unsigned n = 0;
	while (is_hex(s[n]))
		n++;
	return n;
}

/*
 * One code: "-" (no event known for this CPU) or event.umask in hex,
 * "%02x.%02x" on the host; AMD event selects have 12 bits, so the event
 * may have 3 digits. Its length, or 0 if malformed.
 */
static unsigned event_code(const char *s)
{
	if (s[0] == '-')
		return 1;
	unsigned e = hex_digits(s);
	if (e < 2 || e > 3 || s[e] != '.' || hex_digits(s + e + 1) != 2)
		return 0;
	return e + 3;
}

const char *pmu_events_problem(const char *s)
{
	for (unsigned i = 0; i < FB_PMU_COUNT; i++) {
		unsigned n = event_code(s);
		char sep = i + 1 < FB_PMU_COUNT ? ',' : '\0';
		if (!n || s[n] != sep)
			return "is not one code (ee.uu in hex, or -) per PMU "
			       "metric, comma separated";
		s += n + (sep != '\0');
	}
	return 0;
}

void pmu_report(unsigned rep)
{
	for (unsigned i = 0; i < FB_PMU_COUNT; i++)
		metric_na(rep, FB_M_PMU(i), missing);
}
