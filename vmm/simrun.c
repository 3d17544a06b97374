/* The fbsim model's plugin argument, records and rows (simrun.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvjson.h"
#include "fb_sim.h"
#include "fb_vocab.h"
#include "simrun.h"

/* Our guest's kernel half: the boot identity map, 2M global pages. */
#define GUEST_KERNEL_MAP "0x0-0x8000000000"

/* plugin/fbsim.so beside this program (build/fbvmm, build/plugin/). */
static int default_plugin(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	int w = snprintf(buf, len, "%s/plugin/fbsim.so", self);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

static int choose_out(struct sim_run *s, const struct options *o, char *err,
		      size_t errlen)
{
	if (o->sim_out) {
		snprintf(s->out, sizeof(s->out), "%s", o->sim_out);
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(s->out, sizeof(s->out), "%s/fbsim-XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	int fd = mkstemp(s->out);
	if (fd < 0) {
		snprintf(err, errlen, "--sim: a file for the model's output: %s",
			 strerror(errno));
		return -1;
	}
	close(fd);
	s->out_is_temp = 1;
	return 0;
}

int sim_prepare(struct sim_run *s, const struct options *o, char *err,
		size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (!o->sim)
		return 0;
	if (o->sim_plugin)
		snprintf(s->plugin, sizeof(s->plugin), "%s", o->sim_plugin);
	else if (default_plugin(s->plugin, sizeof(s->plugin)) < 0)
		snprintf(s->plugin, sizeof(s->plugin), "plugin/fbsim.so");
	if (access(s->plugin, R_OK) < 0) {
		snprintf(err, errlen, "--sim: %s: %s (scripts/deps.sh fetches "
			 "QEMU's plugin header, then make builds it)", s->plugin,
			 strerror(errno));
		return -1;
	}
	if (choose_out(s, o, err, errlen) < 0)
		return -1;
	/* the Linux peer's mappings are the kernel's: modelled as 4K ones */
	int n = snprintf(s->arg, sizeof(s->arg), "%s,out=%s%s%s%s", s->plugin,
			 s->out, o->sim_preset ? ",preset=" : "",
			 o->sim_preset ? o->sim_preset : "",
			 o->linux_kernel ? "" : ",huge=" GUEST_KERNEL_MAP
						 ",global=" GUEST_KERNEL_MAP);
	if (n < 0 || (size_t)n >= sizeof(s->arg) || strchr(s->out, ',')) {
		snprintf(err, errlen, "--sim: the plugin's paths may not hold "
			 "',' (QEMU splits its arguments there)");
		return -1;
	}
	return 0;
}

static int field_u64(const struct record *rec, const char *key, uint64_t *v)
{
	const char *s = rec_get(rec, key);
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno ? -1 : 0;
}

void sim_note(struct sim_run *s, const struct record *rec)
{
	struct sim_pass p;
	uint64_t rep, tag;
	memset(&p, 0, sizeof(p));
	const char *v = rec_get(rec, "variant"), *sc = rec_get(rec, "scenario");
	const char *pass = rec_get(rec, "pass");
	if (!v || !sc || !pass || field_u64(rec, "size", &p.size) < 0 ||
	    field_u64(rec, "rep", &rep) < 0 ||
	    field_u64(rec, "region", &p.region) < 0 ||
	    field_u64(rec, "tag", &tag) < 0 || rep > 1000000 || tag > 255) {
		s->bad_record = 1;
		return;
	}
	snprintf(p.variant, sizeof(p.variant), "%s", v);
	snprintf(p.scenario, sizeof(p.scenario), "%s", sc);
	p.rep = (unsigned)rep;
	p.tag = (unsigned)tag;
	p.pass = strcmp(pass, "after") == 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct sim_pass *grown = realloc(s->passes, cap * sizeof(*grown));
		if (!grown) {
			s->bad_record = 1;
			return;
		}
		s->passes = grown;
		s->cap = cap;
	}
	s->passes[s->n++] = p;
}

/* One "region" line of the plugin's output. */
struct sim_region {
	uint64_t seq;
	unsigned tag;
	uint64_t count[FB_SIM_COUNT];
};

struct sim_table {
	struct sim_region *r;
	size_t n, cap;
};

/* "key=N" for the count named key; -1 when absent or not a number. */
static int count_of(const char *line, const char *key, uint64_t *v)
{
	size_t k = strlen(key);
	for (const char *p = strstr(line, key); p; p = strstr(p + 1, key)) {
		if (p[-1] != ' ' || p[k] != '=')
			continue;
		char *end;
		errno = 0;
		*v = strtoull(p + k + 1, &end, 10);
		return (*end == ' ' || *end == '\n' || !*end) && !errno &&
				       end != p + k + 1 ? 0 : -1;
	}
	return -1;
}

static int parse_region(const char *line, struct sim_region *out)
{
	uint64_t tag;
	char *end;
	memset(out, 0, sizeof(*out));
	out->seq = strtoull(line + strlen("region "), &end, 10);
	if (*end != ' ' || count_of(line, "tag", &tag) < 0 || tag > 255)
		return -1;
	out->tag = (unsigned)tag;
	for (int i = 0; i < FB_SIM_COUNT; i++)
		if (count_of(line, fb_sim_count_names[i], &out->count[i]) < 0)
			return -1;
	return 0;
}

static int table_add(struct sim_table *t, const struct sim_region *r)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct sim_region *grown = realloc(t->r, cap * sizeof(*grown));
		if (!grown)
			return -1;
		t->r = grown;
		t->cap = cap;
	}
	t->r[t->n++] = *r;
	return 0;
}

/* src without its newline; a longer line is cut (it is for people). */
static void chomp_copy(char *dst, size_t len, const char *src)
{
	size_t n = strcspn(src, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* One line of the output; -1 with err for what cannot be trusted. */
static int read_line(struct sim_run *s, struct sim_table *t, const char *line,
		     unsigned no, char *err, size_t errlen)
{
	struct sim_region r;
	if (strncmp(line, "fbsim 1 ", 8) == 0) {
		chomp_copy(s->model, sizeof(s->model), line + 8);
		return 0;
	}
	if (strncmp(line, "end ", 4) == 0) {
		chomp_copy(s->totals, sizeof(s->totals), line + 4);
		return 0;
	}
	if (strncmp(line, "error ", 6) == 0) {
		char what[256];
		chomp_copy(what, sizeof(what), line + 6);
		snprintf(err, errlen, "the model's markers went wrong: %s",
			 what);
		return -1;
	}
	if (strncmp(line, "region ", 7) == 0 && parse_region(line, &r) == 0) {
		if (table_add(t, &r) == 0)
			return 0;
		snprintf(err, errlen, "out of memory for the model's regions");
		return -1;
	}
	snprintf(err, errlen, "%s line %u: not fbsim output", s->out, no);
	return -1;
}

static int read_output(struct sim_run *s, struct sim_table *t, char *err,
		       size_t errlen)
{
	FILE *f = fopen(s->out, "r");
	if (!f) {
		snprintf(err, errlen, "the model's output %s: %s", s->out,
			 strerror(errno));
		return -1;
	}
	char line[1024];
	unsigned no = 0;
	int rc = 0;
	s->model[0] = s->totals[0] = '\0';
	while (rc == 0 && fgets(line, sizeof(line), f))
		rc = read_line(s, t, line, ++no, err, errlen);
	fclose(f);
	if (rc == 0 && (!s->model[0] || !s->totals[0])) {
		snprintf(err, errlen, "the model's output %s has no %s line "
			 "(did QEMU run the plugin to the end?)", s->out,
			 s->model[0] ? "end" : "fbsim");
		rc = -1;
	}
	return rc;
}

/* The region numbered seq; they come in order, so usually at seq - 1. */
static const struct sim_region *find_region(const struct sim_table *t,
					    uint64_t seq)
{
	if (seq >= 1 && seq <= t->n && t->r[seq - 1].seq == seq)
		return &t->r[seq - 1];
	for (size_t i = 0; i < t->n; i++)
		if (t->r[i].seq == seq)
			return &t->r[i];
	return NULL;
}

static int expected_tag(const struct sim_pass *p)
{
	if (strcmp(p->scenario, fb_scenario_names[FB_SC_TLB]) == 0)
		return FB_SIM_TAG(FB_SIM_PROBE_TLB, p->pass);
	if (strcmp(p->scenario, fb_scenario_names[FB_SC_CACHE]) == 0)
		return FB_SIM_TAG(FB_SIM_PROBE_CACHE, p->pass);
	return -1;
}

static void write_pass_rows(FILE *csv, const struct sim_pass *p,
			    const struct sim_region *r, unsigned long *rows)
{
	char size[24], rep[16], value[24];
	snprintf(size, sizeof(size), "%" PRIu64, p->size);
	snprintf(rep, sizeof(rep), "%u", p->rep);
	for (int i = 0; i < FB_SIM_COUNT; i++) {
		enum fb_metric m = FB_M_SIM(p->pass, i);
		snprintf(value, sizeof(value), "%" PRIu64, r->count[i]);
		const char *cols[8] = { p->variant, p->scenario, size, rep,
					fb_metric_names[m], value,
					fb_metric_units[m],
					p->rep == 0 ? FB_WARMUP_NOTE : "" };
		csv_row(csv, cols, 8);
		(*rows)++;
	}
}

/* Every noted pass has its region, under the tag of that pass. */
static int match_passes(const struct sim_run *s, const struct sim_table *t,
			FILE *csv, unsigned long *rows, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sim_pass *p = &s->passes[i];
		const struct sim_region *r = find_region(t, p->region);
		int want = expected_tag(p);
		if (!r || want < 0 || r->tag != (unsigned)want ||
		    p->tag != (unsigned)want) {
			snprintf(err, errlen, "the model's region %" PRIu64
				 " (%s %s rep %u %s): %s", p->region,
				 p->variant, p->scenario, p->rep,
				 p->pass ? "after" : "before",
				 !r ? "not in its output" : want < 0
				 ? "not a tlb or cache probe"
				 : "another tag than that pass's");
			return -1;
		}
		if (csv)
			write_pass_rows(csv, p, r, rows);
	}
	return 0;
}

int sim_write_rows(struct sim_run *s, const struct options *o, FILE *csv,
		   unsigned long *rows, char *err, size_t errlen)
{
	if (s->bad_record) {
		snprintf(err, errlen, "a sim record could not be kept (bad "
			 "number, or out of memory)");
		return -1;
	}
	if (!o->sim) {
		if (s->n == 0)
			return 0;
		snprintf(err, errlen, "the guest reported model regions (sim "
			 "records), but no model ran (fbvmm --sim)");
		return -1;
	}
	struct sim_table t = { 0 };
	int rc = read_output(s, &t, err, errlen);
	if (rc == 0)
		rc = match_passes(s, &t, csv, rows, err, errlen);
	free(t.r);
	return rc;
}

void sim_write_json(const struct sim_run *s, const struct options *o, FILE *f)
{
	if (!o->sim) {
		fprintf(f, "  \"sim\": null,\n");
		return;
	}
	char buf[sizeof(s->model) * 2];
	fprintf(f, "  \"sim\": {");
	json_escape(buf, sizeof(buf), s->plugin);
	fprintf(f, "\"plugin\": \"%s\", ", buf);
	json_escape(buf, sizeof(buf), s->model);
	fprintf(f, "\"model\": \"%s\", ", buf);
	json_escape(buf, sizeof(buf), s->totals);
	fprintf(f, "\"totals\": \"%s\", \"regions_reported\": %zu},\n", buf,
		s->n);
}

void sim_free(struct sim_run *s)
{
	if (s->out_is_temp)
		unlink(s->out);
	free(s->passes);
	s->passes = NULL;
	s->n = s->cap = 0;
}
