/* Writing forkbench host's result set. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostinfo.h"
#include "host_out.h"
#include "results.h"

#ifndef FB_SRC_DIR
#define FB_SRC_DIR NULL /* the Makefile defines it; git_rev "unknown" */
#endif

void host_utc_stamp(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
}

/* mkdir -p: each prefix ending at a '/' first, then the whole path. */
static int make_dirs(const char *dir)
{
	char path[2048];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0777);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static FILE *open_tmp(char *tmp, size_t len, const char *dir,
		      const char *name, const char *header)
{
	char path[2100];
	if (path_join(path, sizeof(path), dir, name) < 0 ||
	    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid()) >= (int)len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	FILE *f = fopen(tmp, "w");
	if (f)
		fprintf(f, "%s\n", header);
	return f;
}

int host_out_open(struct host_out *o, const char *dir, char *err,
		  size_t errlen)
{
	char existing[2100];
	memset(o, 0, sizeof(*o));
	if (snprintf(o->dir, sizeof(o->dir), "%s", dir) >= (int)sizeof(o->dir) ||
	    path_join(existing, sizeof(existing), dir, METRICS_CSV) < 0) {
		snprintf(err, errlen, "--out '%s': path too long", dir);
		return -1;
	}
	if (make_dirs(dir) < 0) {
		snprintf(err, errlen, "--out '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (access(existing, F_OK) == 0) {
		snprintf(err, errlen, "--out '%s': already holds a %s (choose "
			 "another directory)", dir, METRICS_CSV);
		return -1;
	}
	o->metrics = open_tmp(o->metrics_tmp, sizeof(o->metrics_tmp), dir,
			      METRICS_CSV, RESULTS_CSV_HEADER);
	if (o->metrics)
		o->configs = open_tmp(o->configs_tmp, sizeof(o->configs_tmp),
				      dir, CONFIGS_CSV, CONFIGS_CSV_HEADER);
	if (!o->configs) {
		snprintf(err, errlen, "--out '%s': %s", dir, strerror(errno));
		if (o->metrics) {
			fclose(o->metrics);
			unlink(o->metrics_tmp);
		}
		return -1;
	}
	return 0;
}

int host_out_config(struct host_out *o, const struct host_config *c,
		    const struct metric_table *rows)
{
	for (size_t i = 0; c->ok && i < rows->n; i++)
		metrics_write_row(o->metrics, &rows->rows[i]);
	if (c->ok)
		o->rows += rows->n;
	fprintf(o->configs, "%s,%s,%llu,%s,%d,", host_variant_names[c->v],
		host_scenario_names[c->s], (unsigned long long)c->size,
		c->ok ? "ok" : "failed", c->ok ? 0 : 1);
	csv_field(o->configs, c->reason);
	fprintf(o->configs, ",%.3f,\n", c->wall_s);
	if (c->ok)
		o->ok++;
	else
		o->failed++;
	/* Flushed per configuration: a crash loses at most this one. */
	int bad = fflush(o->metrics) != 0;
	bad |= fflush(o->configs) != 0;
	return bad ? -1 : 0;
}

/* ---- meta.json --------------------------------------------------------- */

static void json_string(FILE *f, const char *key, const char *s)
{
	char buf[8192];
	hostinfo_json_escape(buf, sizeof(buf), s ? s : "");
	fprintf(f, "  \"%s\": \"%s\",\n", key, buf);
}

/* "forkbench host --sizes ...": the command as typed, joined by spaces. */
static void json_command(FILE *f, int argc, char **argv)
{
	char line[8192];
	size_t n = (size_t)snprintf(line, sizeof(line), "forkbench");
	for (int i = 0; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s", argv[i]);
	json_string(f, "command", line);
}

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
	json_string(f, "kind", "linux");
	json_string(f, "created", x->created);
	json_command(f, x->argc, x->argv);
	json_string(f, "backend", "linux");
	fprintf(f, "  \"tsc_khz\": %lu,\n", x->tsc_khz);
	json_string(f, "tsc_khz_source", x->tsc_khz_source ? x->tsc_khz_source
							      : "none");
	fprintf(f, "  \"tsc_overhead_cycles\": %llu,\n",
		(unsigned long long)x->tsc_overhead);
	fprintf(f, "  \"rdtscp\": %d,\n  \"invariant_tsc\": %d,\n", x->rdtscp,
		x->invariant_tsc);
	json_validity(f, &h);
	json_string(f, "git_revision", h.git_rev);
	json_sweep(f, x->opts);
	json_string(f, "parent_memory", "MAP_PRIVATE|MAP_ANONYMOUS, "
		    "MADV_NOHUGEPAGE, one word per 4K page written before "
		    "every repetition");
	json_string(f, "exec_program", x->exec_path ? x->exec_path : "none");
	json_configs(f, o, x);
	json_load(f, x);
	json_string(f, "host_notes", err);
	fprintf(f, "  \"host\": ");
	hostinfo_write_json(&h, f);
	fprintf(f, "\n}\n");
	return ferror(f) ? -1 : 0;
}

static int write_meta_file(const struct host_out *o,
			   const struct host_facts *x)
{
	char path[2100], tmp[2200];
	if (path_join(path, sizeof(path), o->dir, META_JSON) < 0 ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
		    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	int bad = host_write_meta(f, o, x) < 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/* Close tmp's stream and rename it to dir/name; -1 keeps errno. */
static int settle(FILE **f, const char *tmp, const char *dir,
		  const char *name)
{
	char path[2100];
	errno = 0;
	int bad = ferror(*f) != 0;
	bad |= fclose(*f) != 0;
	*f = NULL;
	if (bad || path_join(path, sizeof(path), dir, name) < 0 ||
	    rename(tmp, path) < 0) {
		int e = errno ? errno : EIO;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int host_out_close(struct host_out *o, const struct host_facts *f, char *err,
		   size_t errlen)
{
	const char *what = NULL;
	int e = 0;
	if (settle(&o->metrics, o->metrics_tmp, o->dir, METRICS_CSV) < 0) {
		e = errno;
		what = METRICS_CSV;
	}
	if (settle(&o->configs, o->configs_tmp, o->dir, CONFIGS_CSV) < 0 &&
	    !what) {
		e = errno;
		what = CONFIGS_CSV;
	}
	if (!what && write_meta_file(o, f) < 0) {
		e = errno;
		what = META_JSON;
	}
	if (what)
		snprintf(err, errlen, "cannot write %s/%s: %s", o->dir, what,
			 strerror(e));
	return what ? -1 : 0;
}
