/* Writing forkbench host's result set. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "hostinfo.h"
#include "host_batch.h"
#include "host_note.h"
#include "host_out.h"
#include "mkdirp.h"
#include "rsmeta.h"
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
	struct config_row row = { host_variant_names[c->v],
				  host_scenario_names[c->s], c->size, c->ok,
				  c->ok ? 0 : 1, c->reason, c->wall_s, -1 };
	configs_write_row(o->configs.f, &row);
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

/* The configured names of one list (a bit mask over names) into v. */
static unsigned picked(const char *const *names, unsigned count,
		       unsigned mask, const char **v)
{
	unsigned n = 0;
	for (unsigned i = 0; i < count; i++)
		if (mask >> i & 1)
			v[n++] = names[i];
	return n;
}

/*
 * "native": nothing of forkbench between the code and the CPU. When the
 * CPU reports a hypervisor, this Linux is itself a virtual machine, and
 * the why says so rather than the verdict pretending otherwise.
 */
static const char *native_why(const struct hostinfo *h)
{
	return h->hypervisor == 1
		? "measured directly on this host's Linux, no forkbench VMM "
		  "in between; CPUID reports a hypervisor, so this Linux is "
		  "itself a virtual machine and its costs include that "
		  "hypervisor's"
		: "measured directly on this host's Linux, no forkbench VMM "
		  "in between";
}

struct linux_ctx {
	const struct host_out *o;
	const struct host_facts *x;
	const char *notes;
};

/* meta.json's "linux" object: what only a host run has. */
static void linux_members(struct rsmeta_obj *m, const void *ctx)
{
	const struct linux_ctx *c = ctx;
	const struct host_facts *x = c->x;
	char load[96];
	rsmeta_number(m, "warmup_reps", 1, "%.0f");
	rsmeta_number(m, "writes", (double)x->opts->writes, "%.0f");
	rsmeta_number(m, "rdtscp", x->rdtscp, "%.0f");
	rsmeta_number(m, "invariant_tsc", x->invariant_tsc, "%.0f");
	rsmeta_string(m, "parent_memory", "MAP_PRIVATE|MAP_ANONYMOUS, "
		      "MADV_NOHUGEPAGE, one word per 4K page written before "
		      "each configuration's warm-up, and before every sample "
		      "of linux_fork (whose call write-protects it)");
	rsmeta_string(m, "exec_program", x->exec_path);
	rsmeta_number(m, "rows", (double)c->o->rows, "%.0f");
	rsmeta_raw(m, "complete", c->o->ok + c->o->failed == x->planned
					  ? "true" : "false");
	rsmeta_raw(m, "interrupted", x->interrupted ? "true" : "false");
	rsmeta_number(m, "cpus_online", (double)x->cpus, "%.0f");
	/* Where the samples ran, and what made a sample count as disturbed. */
	rsmeta_number(m, "cpu", x->cpu, "%.0f");
	rsmeta_string(m, "cpus_allowed", x->cpus_allowed);
	rsmeta_number(m, "batch_min_cycles", (double)x->batch_min_cycles,
		      "%.0f");
	rsmeta_number(m, "batch_max", HOST_BATCH_MAX, "%.0f");
	rsmeta_number(m, "load_disturbed_above", host_load_threshold(x->cpus),
		      "%.2f");
	/* How busy the machine was: other runnable work inflates the waits. */
	snprintf(load, sizeof(load), x->load_start < 0 ? "{\"start\": null" :
		 "{\"start\": %.2f", x->load_start);
	size_t n = strlen(load);
	snprintf(load + n, sizeof(load) - n, x->load_end < 0 ?
		 ", \"end\": null}" : ", \"end\": %.2f}", x->load_end);
	rsmeta_raw(m, "load_avg_1min", load);
	rsmeta_string(m, "host_notes", c->notes);
}

int host_write_meta(FILE *f, const struct host_out *o,
		    const struct host_facts *x)
{
	struct hostinfo h;
	char err[512];
	const char *variants[HV_COUNT], *scenarios[HS_COUNT];
	hostinfo_collect(&h, FB_SRC_DIR, err, sizeof(err));
	const struct host_opts *op = x->opts;
	struct linux_ctx c = { o, x, err };
	struct rsmeta m = {
		.kind = "linux", .created = x->created,
		/* "forkbench host --sizes ...": the command as typed */
		.command_prefix = "forkbench", .argc = x->argc, .argv = x->argv,
		.backend = "linux",
		.backend_reason = "forkbench host: this host's own Linux",
		.tsc_khz = x->tsc_khz ? (double)x->tsc_khz : -1,
		.tsc_khz_source = x->tsc_khz_source,
		.tsc_overhead_cycles = (double)x->tsc_overhead,
		.verdict = "native", .why = native_why(&h), .ratio = -1,
		.sweep = { variants, scenarios,
			   picked(host_variant_names, HV_COUNT, op->variants,
				  variants),
			   picked(host_scenario_names, HS_COUNT, op->scenarios,
				  scenarios),
			   op->sizes, op->n_sizes, op->reps, 0, 0 },
		.planned = x->planned, .ok = o->ok, .failed = o->failed,
		.not_run = x->planned - o->ok - o->failed,
		.wall_s = -1,
		.kind_members = linux_members, .kind_ctx = &c,
		.host = &h,
	};
	return rsmeta_write(f, &m);
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
