/* A result set's meta.json: the one shape (results/README.md). */
#include <string.h>

#include "clock.h"
#include "csvjson.h"
#include "rsmeta.h"

static void key(struct rsmeta_obj *o, const char *k)
{
	fprintf(o->f, "%s%s\"%s\": ", o->count++ ? "," : "", o->indent, k);
}

void rsmeta_string(struct rsmeta_obj *o, const char *k, const char *s)
{
	char buf[8192];
	key(o, k);
	if (!s) {
		fputs("null", o->f);
		return;
	}
	json_escape(buf, sizeof(buf), s);
	fprintf(o->f, "\"%s\"", buf);
}

void rsmeta_number(struct rsmeta_obj *o, const char *k, double v,
		   const char *fmt)
{
	key(o, k);
	if (v < 0)
		fputs("null", o->f);
	else
		fprintf(o->f, fmt, v);
}

void rsmeta_raw(struct rsmeta_obj *o, const char *k, const char *json)
{
	key(o, k);
	fputs(json, o->f);
}

/* A JSON array of strings (ours: names without quotes or backslashes). */
static void names(FILE *f, const char *const *v, unsigned n)
{
	fputc('[', f);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", v[i]);
	fputc(']', f);
}

/* The small objects go on one line each: greppable, short. */
static void sweep(struct rsmeta_obj *top, const struct rsmeta_sweep *s)
{
	FILE *f = top->f;
	key(top, "sweep");
	fprintf(f, "{\"variants\": ");
	names(f, s->variants, s->nvariants);
	fprintf(f, ", \"scenarios\": ");
	names(f, s->scenarios, s->nscenarios);
	fprintf(f, ", \"sizes\": [");
	for (unsigned i = 0; i < s->nsizes; i++)
		fprintf(f, "%s%llu", i ? ", " : "",
			(unsigned long long)s->sizes[i]);
	fprintf(f, "], \"reps\": %u, \"shard\": ", s->reps);
	if (s->shard_n)
		fprintf(f, "\"%u/%u\"", s->shard_k, s->shard_n);
	else
		fprintf(f, "null");
	fprintf(f, ", \"parent_pages\": \"%s\"}",
		s->parent_pages ? s->parent_pages : "4K");
}

static void clock_and_validity(struct rsmeta_obj *top, const struct rsmeta *m)
{
	struct rsmeta_obj o = { top->f, 0, "" };
	key(top, "clock");
	fputc('{', top->f);
	rsmeta_number(&o, "tsc_khz", m->tsc_khz, "%.0f");
	o.indent = " ";
	rsmeta_string(&o, "tsc_khz_source", m->tsc_khz_source);
	rsmeta_number(&o, "tsc_overhead_cycles", m->tsc_overhead_cycles, "%.0f");
	fputc('}', top->f);
	o.count = 0;
	o.indent = "";
	key(top, "validity");
	fputc('{', top->f);
	rsmeta_string(&o, "verdict", m->verdict);
	o.indent = " ";
	rsmeta_string(&o, "why", m->why);
	rsmeta_number(&o, "ratio", m->ratio, "%.3f");
	rsmeta_raw(&o, "ops", m->validity_ops ? m->validity_ops : "null");
	rsmeta_raw(&o, "failed",
		   m->validity_failed ? m->validity_failed : "null");
	fputc('}', top->f);
}

static void counts(struct rsmeta_obj *top, const struct rsmeta *m)
{
	key(top, "configs");
	fprintf(top->f, "{\"planned\": %u, \"ok\": %u, \"failed\": %u, "
		"\"not_run\": %u}", m->planned, m->ok, m->failed, m->not_run);
	key(top, "overhead");
	if (m->wall_s >= 0)
		fprintf(top->f, "{\"wall_s\": %.3f, \"guest_s\": %.3f}",
			m->wall_s, m->guest_s);
	else /* not measured here (merge assembles other runs') */
		fputs("null", top->f);
}

static void kind_object(struct rsmeta_obj *top, const struct rsmeta *m)
{
	struct rsmeta_obj o = { top->f, 0, "\n    " };
	key(top, m->kind);
	fputc('{', top->f);
	if (m->kind_members)
		m->kind_members(&o, m->kind_ctx);
	fprintf(top->f, "%s}", o.count ? "\n  " : "");
}

int rsmeta_write(FILE *f, const struct rsmeta *m)
{
	char when[32], command[8192] = "";
	struct rsmeta_obj top = { f, 0, "\n  " };
	if (!m->created)
		utc_now(when, sizeof(when), UTC_ISO8601);
	size_t n = m->command_prefix ?
		(size_t)snprintf(command, sizeof(command), "%s",
				 m->command_prefix) : 0;
	for (int i = 0; i < m->argc && n < sizeof(command); i++)
		n += (size_t)snprintf(command + n, sizeof(command) - n, "%s%s",
				      n ? " " : "", m->argv[i]);
	fputc('{', f);
	rsmeta_string(&top, "schema", RSMETA_SCHEMA);
	rsmeta_string(&top, "kind", m->kind);
	rsmeta_string(&top, "created", m->created ? m->created : when);
	rsmeta_string(&top, "command", command);
	rsmeta_string(&top, "git_revision", m->git_revision ? m->git_revision
							     : m->host->git_rev);
	rsmeta_string(&top, "backend", m->backend);
	rsmeta_string(&top, "backend_reason", m->backend_reason);
	clock_and_validity(&top, m);
	sweep(&top, &m->sweep);
	counts(&top, m);
	kind_object(&top, m);
	key(&top, "host");
	hostinfo_write_json(m->host, f);
	fputs("\n}\n", f);
	return ferror(f) ? -1 : 0;
}
