/* Writing forkbench host's result set. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "csvjson.h"
#include "errmsg.h"
#include "hostinfo.h"
#include "host_out.h"
#include "mkdirp.h"
#include "schema.h"

#ifndef FB_SRC_DIR
#define FB_SRC_DIR NULL /* the Makefile defines it; git_rev "unknown" */
#endif

/* An open CSV with its header, or -1 with "cannot write PATH: reason". */
static int open_csv(struct atomic_file *a, const char *dir, const char *name,
		    const char *header, char *err, size_t errlen)
{
	char path[2100];
	if (path_join(path, sizeof(path), dir, name) < 0) {
		errmsg_cannot(err, errlen, "write", dir, ENAMETOOLONG);
		return -1;
	}
	if (atomic_open(a, path, err, errlen) < 0)
		return -1;
	fprintf(a->f, "%s\n", header);
	return 0;
}

int host_out_open(struct host_out *o, const char *dir, char *err,
		  size_t errlen)
{
	char existing[2100], why[1024];
	memset(o, 0, sizeof(*o));
	if (snprintf(o->dir, sizeof(o->dir), "%s", dir) >= (int)sizeof(o->dir) ||
	    path_join(existing, sizeof(existing), dir, METRICS_CSV) < 0) {
		snprintf(err, errlen, "--out '%s': path too long", dir);
		return -1;
	}
	if (mkdirp(dir, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "--out '%s': %s", dir, why);
		return -1;
	}
	if (access(existing, F_OK) == 0) {
		snprintf(err, errlen, "--out '%s': already holds a %s (choose "
			 "another directory)", dir, METRICS_CSV);
		return -1;
	}
	if (open_csv(&o->metrics, dir, METRICS_CSV, RESULTS_CSV_HEADER, why,
		     sizeof(why)) == 0 &&
	    open_csv(&o->configs, dir, CONFIGS_CSV, CONFIGS_CSV_HEADER, why,
		     sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "--out '%s': %s", dir, why);
	atomic_close(&o->metrics, 0, why, sizeof(why));
	return -1;
}

int host_out_config(struct host_out *o, const struct host_config *c,
		    const struct metric_table *rows)
{
	for (size_t i = 0; c->ok && i < rows->n; i++)
		metrics_write_row(o->metrics.f, &rows->rows[i]);
	if (c->ok)
		o->rows += rows->n;
	fprintf(o->configs.f, "%s,%s,%llu,%s,%d,", host_variant_names[c->v],
		host_scenario_names[c->s], (unsigned long long)c->size,
		c->ok ? "ok" : "failed", c->ok ? 0 : 1);
	csv_field(o->configs.f, c->reason);
	fprintf(o->configs.f, ",%.3f,\n", c->wall_s);
	if (c->ok)
		o->ok++;
	else
		o->failed++;
	/* Flushed per configuration: a crash loses at most this one. */
	int bad = fflush(o->metrics.f) != 0;
	bad |= fflush(o->configs.f) != 0;
	return bad ? -1 : 0;
}

/* ---- meta.json --------------------------------------------------------- */

static void json_names(FILE *f, const char *key, const char *const *names,
		       unsigned count, unsigned mask)
{
	fprintf(f, "\"%s\": [", key);
	const char *sep = "";
	for (unsigned i = 0; i < count; i++)
		if (mask >> i & 1) {
			fprintf(f, "%s\"%s\"", sep, names[i]);
			sep = ", ";
		}
	fprintf(f, "]");
}

static void json_sweep(FILE *f, const struct host_opts *o)
{
	fprintf(f, "  \"sweep\": {");
	json_names(f, "variants", host_variant_names, HV_COUNT, o->variants);
	fprintf(f, ", ");
	json_names(f, "scenarios", host_scenario_names, HS_COUNT, o->scenarios);
	fprintf(f, ", \"sizes\": [");
	for (unsigned i = 0; i < o->n_sizes; i++)
		fprintf(f, "%s%llu", i ? ", " : "",
			(unsigned long long)o->sizes[i]);
	fprintf(f, "], \"reps\": %u, \"warmup_reps\": 1, \"writes\": %llu},\n",
		o->reps, (unsigned long long)o->writes);
}

/*
 * "native": nothing of forkbench between the code and the CPU. When the
 * CPU reports a hypervisor, this Linux is itself a virtual machine, and
 * the why says so rather than the verdict pretending otherwise.
 */
static void json_validity(FILE *f, const struct hostinfo *h)
{
	fprintf(f, "  \"validity\": {\"verdict\": \"native\", \"why\": \"measured "
		   "directly on this host's Linux, no forkbench VMM in between%s\"},\n",
		h->hypervisor == 1
			? "; CPUID reports a hypervisor, so this Linux is itself "
			  "a virtual machine and its costs include that "
			  "hypervisor's"
			: "");
}

static void json_configs(FILE *f, const struct host_out *o,
			 const struct host_facts *x)
{
	fprintf(f, "  \"configs\": {\"planned\": %u, \"ok\": %u, \"failed\": %u},\n",
		x->planned, o->ok, o->failed);
	fprintf(f, "  \"rows\": %lu,\n", o->rows);
	fprintf(f, "  \"complete\": %s,\n  \"interrupted\": %s,\n",
		o->ok + o->failed == x->planned ? "true" : "false",
		x->interrupted ? "true" : "false");
}

static void json_number(FILE *f, double v)
{
	if (v < 0)
		fprintf(f, "null");
	else
		fprintf(f, "%.2f", v);
}

/* How busy the machine was: other runnable work inflates the waits. */
static void json_load(FILE *f, const struct host_facts *x)
{
	fprintf(f, "  \"cpus_online\": %ld,\n  \"load_avg_1min\": {\"start\": ",
		x->cpus);
	json_number(f, x->load_start);
	fprintf(f, ", \"end\": ");
	json_number(f, x->load_end);
	fprintf(f, "},\n");
}

int host_write_meta(FILE *f, const struct host_out *o,
		    const struct host_facts *x)
{
	struct hostinfo h;
	char err[512];
	hostinfo_collect(&h, FB_SRC_DIR, err, sizeof(err));
	fprintf(f, "{\n  \"schema\": \"forkbench-resultset-1\",\n");
	json_member_string(f, "kind", "linux");
	json_member_string(f, "created", x->created);
	/* "forkbench host --sizes ...": the command as typed */
	json_member_command(f, "forkbench", x->argc, x->argv);
	json_member_string(f, "backend", "linux");
	fprintf(f, "  \"tsc_khz\": %lu,\n", x->tsc_khz);
	json_member_string(f, "tsc_khz_source", x->tsc_khz_source ? x->tsc_khz_source
							      : "none");
	fprintf(f, "  \"tsc_overhead_cycles\": %llu,\n",
		(unsigned long long)x->tsc_overhead);
	fprintf(f, "  \"rdtscp\": %d,\n  \"invariant_tsc\": %d,\n", x->rdtscp,
		x->invariant_tsc);
	json_validity(f, &h);
	json_member_string(f, "git_revision", h.git_rev);
	json_sweep(f, x->opts);
	json_member_string(f, "parent_memory", "MAP_PRIVATE|MAP_ANONYMOUS, "
		    "MADV_NOHUGEPAGE, one word per 4K page written before "
		    "every repetition");
	json_member_string(f, "exec_program", x->exec_path ? x->exec_path : "none");
	json_configs(f, o, x);
	json_load(f, x);
	json_member_string(f, "host_notes", err);
	fprintf(f, "  \"host\": ");
	hostinfo_write_json(&h, f);
	fprintf(f, "\n}\n");
	return ferror(f) ? -1 : 0;
}

/* meta.json, whole or not at all. */
static int write_meta_file(const struct host_out *o,
			   const struct host_facts *x, char *err,
			   size_t errlen)
{
	char path[2100];
	struct atomic_file a;
	if (path_join(path, sizeof(path), o->dir, META_JSON) < 0) {
		errmsg_cannot(err, errlen, "write", o->dir, ENAMETOOLONG);
		return -1;
	}
	if (atomic_open(&a, path, err, errlen) < 0)
		return -1;
	host_write_meta(a.f, o, x); /* its write errors: atomic_close's */
	return atomic_close(&a, 1, err, errlen);
}

/* Both CSVs in place, then meta.json; the first failure is reported. */
int host_out_close(struct host_out *o, const struct host_facts *f, char *err,
		   size_t errlen)
{
	char later[1024];
	int rc = atomic_close(&o->metrics, 1, err, errlen);
	if (atomic_close(&o->configs, 1, rc ? later : err,
			 rc ? sizeof(later) : errlen) < 0)
		rc = -1;
	return rc ? rc : write_meta_file(o, f, err, errlen);
}
