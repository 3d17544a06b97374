/* Writing a run's CSV rows and JSON metadata. */
#include <stdlib.h>
#include <string.h>

#include "calibrec.h"
#include "clock.h"
#include "csvjson.h"
#include "fb_vocab.h"
#include "hostinfo.h"
#include "pmu_events.h"
#include "results.h"
#include "validity.h"

int results_open(struct results *r, const char *csv_path,
		 const char *meta_path, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->csv_path = csv_path;
	r->meta_path = meta_path;
	if (!csv_path)
		return 0;
	if (atomic_open(&r->csv, csv_path, err, errlen) < 0)
		return -1;
	fprintf(r->csv.f, "%s\n", RESULTS_CSV_HEADER);
	return 0;
}

/*
 * The guest reads its TSC and calls what it read "cycles". Under
 * qemu-tcg-det (-icount shift=0) that TSC counts instructions executed at
 * a nominal 1 GHz, so a timing there is written as "instructions": only
 * here is the backend known, and everything downstream reads the unit
 * from the CSV. A metric the vocabulary calls something other than a
 * timing keeps its unit.
 */
static const char *row_unit(const struct results *r, const struct record *rec)
{
	const char *unit = rec_get(rec, "unit");
	if (r->backend != BACKEND_QEMU_TCG_DET || !unit ||
	    strcmp(unit, "cycles") != 0)
		return unit;
	const char *name = rec_get(rec, "metric");
	int m = name ? fb_metric_find(name) : -1;
	if (m >= 0 && fb_metric_kinds[m] != FB_K_TIMING)
		return unit;
	return FB_UNIT_INSTRUCTIONS;
}

#define TCG_PROBE_NA "no_tlb_or_cache_timing_under_tcg:the_emulator_has_no_" \
	"tlb_or_cache_costs"

/*
 * Under QEMU TCG a TLB or cache probe times the emulator's loop, flat by
 * construction: such a timing is NA, with the reason (the warm-up's
 * rows keep their "warmup" mark first). An NA the guest sent keeps its
 * own reason.
 */
static void probe_na(const struct results *r, const struct record *rec,
		     const char **value, const char **note, char *buf,
		     size_t len)
{
	const char *name = rec_get(rec, "metric");
	int m = name ? fb_metric_find(name) : -1;
	if (*value && strcmp(*value, "NA") == 0)
		return; /* the guest's own reason is the better one */
	if ((r->backend != BACKEND_QEMU_TCG &&
	     r->backend != BACKEND_QEMU_TCG_DET) ||
	    m < 0 || !fb_metric_is_probe_timing(m))
		return;
	size_t n = strlen(FB_WARMUP_NOTE);
	int warm = *note && strncmp(*note, FB_WARMUP_NOTE, n) == 0;
	snprintf(buf, len, "%s%s%s", warm ? FB_WARMUP_NOTE : "", warm ? ";" : "",
		 TCG_PROBE_NA);
	*value = "NA";
	*note = buf;
}

static void write_row(struct results *r, const struct record *rec)
{
	static const char *const cols[] = { "variant", "scenario", "size",
					    "rep", "metric", "value", "unit",
					    "note" };
	const char *v[sizeof(cols) / sizeof(*cols)];
	char note[160];
	for (size_t i = 0; i < sizeof(cols) / sizeof(*cols); i++)
		v[i] = rec_get(rec, cols[i]); /* NULL: an empty field */
	v[6] = row_unit(r, rec);
	probe_na(r, rec, &v[5], &v[7], note, sizeof(note));
	csv_row(r->csv.f, v, sizeof(cols) / sizeof(*cols));
	r->rows++;
}

static void copy_field(char *dst, size_t len, const struct record *rec,
		       const char *key)
{
	const char *v = rec_get(rec, key);
	snprintf(dst, len, "%s", v ? v : "");
}

void results_record(void *ctx, const struct record *rec)
{
	struct results *r = ctx;
	if (strcmp(rec->type, "metric") == 0 && r->csv.f) {
		write_row(r, rec);
	} else if (strcmp(rec->type, "calib") == 0) {
		r->have_calib = 1;
		calib_from_record(rec, &r->calib);
		copy_field(r->calib_cycles, sizeof(r->calib_cycles), rec, "cycles");
		copy_field(r->phase_timer, sizeof(r->phase_timer), rec,
			   "phase_timer_per_page");
		copy_field(r->tsc_overhead, sizeof(r->tsc_overhead), rec,
			   "tsc_overhead");
		copy_field(r->rdtscp, sizeof(r->rdtscp), rec, "rdtscp");
		copy_field(r->pmu, sizeof(r->pmu), rec, "pmu");
	} else if (strcmp(rec->type, "sim") == 0) {
		sim_note(&r->sim, rec);
	} else if (strcmp(rec->type, "hello") == 0) {
		copy_field(r->guest_tsc_khz, sizeof(r->guest_tsc_khz), rec,
			   "tsc_khz");
		copy_field(r->guest_mem_kib, sizeof(r->guest_mem_kib), rec,
			   "mem_kib");
	}
}

/* A number from a record, or null when the guest did not send it. */
static void json_number(FILE *f, const char *key, const char *digits)
{
	fprintf(f, "  \"%s\": %s,\n", key, digits && digits[0] ? digits : "null");
}

/* One privileged operation: the guest's cycles, in core cycles, judged. */
static void json_op(FILE *f, const struct results *r, const struct validity *v,
		    int i)
{
	fprintf(f, "%s\"%s\": {\"guest_cycles\": ", i ? ", " : "",
		fb_op_names[i]);
	if (r->calib.have_ops)
		fprintf(f, "%llu", (unsigned long long)r->calib.op_cycles[i]);
	else
		fprintf(f, "null");
	if (v->op_core[i] >= 0)
		fprintf(f, ", \"core_cycles\": %.1f", v->op_core[i]);
	else
		fprintf(f, ", \"core_cycles\": null");
	fprintf(f, ", \"hardware_range\": [%.0f, %.0f], \"state\": \"%s\"}",
		validity_op_range[i].lo, validity_op_range[i].hi,
		op_state_name(v->op_state[i]));
}

/* The names of the checks that failed, for machines (why is for people). */
static void json_failed(FILE *f, const struct validity *v)
{
	int n = 0;
	fprintf(f, "\"failed\": [");
	if (v->host_ok == 0)
		fprintf(f, "%s\"host_loop\"", n++ ? ", " : "");
	if (v->ratio_ok == 0)
		fprintf(f, "%s\"alu_loop\"", n++ ? ", " : "");
	for (int i = 0; i < FB_OP_COUNT; i++)
		if (v->op_state[i] == OP_TOO_SLOW || v->op_state[i] == OP_TOO_FAST)
			fprintf(f, "%s\"%s\"", n++ ? ", " : "", fb_op_names[i]);
	fprintf(f, "]");
}

static void json_validity(FILE *f, const struct results *r,
			  const struct options *o)
{
	struct validity v;
	char why[1024];
	validity_judge(o->backend, &r->calib, validity_host_cycles(), &v);
	json_escape(why, sizeof(why), v.why);
	fprintf(f, "  \"validity\": {\"verdict\": \"%s\", \"why\": \"%s\", ",
		v.verdict, why);
	if (v.ratio >= 0)
		fprintf(f, "\"ratio\": %.3f, ", v.ratio);
	else
		fprintf(f, "\"ratio\": null, ");
	fprintf(f, "\"ratio_band\": [%.2f, %.2f], ", VALIDITY_RATIO_LO,
		VALIDITY_RATIO_HI);
	fprintf(f, "\"guest_calib_cycles\": %s, \"host_calib_cycles\": %llu,\n",
		r->have_calib ? r->calib_cycles : "null",
		(unsigned long long)v.host_cycles);
	fprintf(f, "    \"ops\": {");
	for (int i = 0; i < FB_OP_COUNT; i++)
		json_op(f, r, &v, i);
	fprintf(f, "},\n    ");
	json_failed(f, &v);
	fprintf(f, "},\n");
}

/*
 * The guest reports why its counters are unusable; it cannot program
 * them yet, so when it reported anything they are not available.
 */
static void json_pmu(FILE *f, const struct results *r)
{
	int known = r->have_calib && r->pmu[0];
	struct pmu_event ev[PMU_METRICS];
	host_pmu_events(ev);
	fprintf(f, "  \"pmu\": {\"available\": %s, \"reason\": \"%s\",\n",
		known ? "false" : "null",
		known ? r->pmu : "guest sent no calibration record");
	fprintf(f, "    \"events\": {");
	for (int i = 0; i < PMU_METRICS; i++) {
		fprintf(f, "%s\"%s\": ", i ? ", " : "", pmu_metric_names[i]);
		if (ev[i].known)
			fprintf(f, "\"%02x.%02x\"", ev[i].event, ev[i].umask);
		else
			fprintf(f, "{\"unknown\": \"%s\"}", ev[i].why);
	}
	fprintf(f, "}},\n");
}

static int write_meta(FILE *f, const struct results *r,
		      const struct run_facts *x)
{
	struct hostinfo h;
	char err[256], when[32];
	hostinfo_collect(&h, x->src_dir, err, sizeof(err));
	utc_now(when, sizeof(when), UTC_ISO8601);
	fprintf(f, "{\n  \"schema\": \"forkbench-results-1\",\n");
	json_member_string(f, "created", when);
	json_member_command(f, NULL, x->argc, x->argv);
	json_member_string(f, "backend", backend_name(x->opt->backend));
	json_member_string(f, "guest_cmdline", x->opt->cmdline);
	fprintf(f, "  \"guest_mem_bytes\": %llu,\n",
		(unsigned long long)x->opt->mem_bytes);
	fprintf(f, "  \"tsc_khz\": %lu,\n", x->tsc_khz);
	json_member_string(f, "tsc_khz_source", x->tsc_khz_source);
	json_number(f, "tsc_overhead_cycles", r->tsc_overhead);
	json_number(f, "rdtscp", r->rdtscp);
	json_number(f, "phase_timer_per_page_cycles", r->phase_timer);
	json_pmu(f, r);
	json_validity(f, r, x->opt);
	sim_write_json(&r->sim, x->opt, f);
	json_member_string(f, "guest_status", x->guest_status);
	fprintf(f, "  \"rows\": %lu,\n", r->rows);
	json_member_string(f, "git_revision", h.git_rev);
	fprintf(f, "  \"host\": ");
	hostinfo_write_json(&h, f);
	fprintf(f, "\n}\n");
	return ferror(f) ? -1 : 0;
}

/* The metadata, whole or not at all. */
static int write_meta_file(const struct results *r, const struct run_facts *x,
			   char *err, size_t errlen)
{
	struct atomic_file a;
	if (atomic_open(&a, r->meta_path, err, errlen) < 0)
		return -1;
	write_meta(a.f, r, x); /* its write errors: atomic_close's to report */
	return atomic_close(&a, 1, err, errlen);
}

int results_close(struct results *r, int keep, const struct run_facts *f,
		  char *err, size_t errlen)
{
	int rc = atomic_close(&r->csv, keep, err, errlen);
	if (keep && rc == 0 && r->meta_path)
		rc = write_meta_file(r, f, err, errlen);
	return rc;
}
