/* One boot of the Linux peer per parent size (sweep_group.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_write.h"
#include "clock.h"
#include "fb_exit.h"
#include "fbvmm_run.h"
#include "resultset.h"
#include "sweep_group.h"
#include "sweep_sim.h"

size_t sweep_group_len(const struct config *cs, size_t n)
{
	size_t k = 1;
	while (k < n && k < SWEEP_GROUP_MAX && cs[k].size == cs[0].size)
		k++;
	return k;
}

/* "pairs=v:s,v:s..." for /init. -1 when it does not fit. */
static int pairs_arg(char *buf, size_t len, const struct config *cs, size_t n)
{
	size_t used = (size_t)snprintf(buf, len, "pairs=");
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s:%s",
					 i ? "," : "", cs[i].variant,
					 cs[i].scenario);
	return used < len ? 0 : -1;
}

/* The whole of a file (malloc'd), or NULL. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			char *b = realloc(buf, cap = cap * 2 + 8192);
			if (!b)
				break;
			buf = b;
		}
		size_t r = fread(buf + *len, 1, cap - *len - 1, f);
		*len += r;
		if (r == 0)
			break;
	}
	fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

/* What the boot's records say of c: its config record's fields. */
struct verdict {
	int found, ok;
	char reason[512];
};

/* The value of " key=VALUE" in a record line, into out. */
static void field(const char *line, const char *key, char *out, size_t len)
{
	char pat[48];
	snprintf(pat, sizeof(pat), " %s=", key);
	const char *at = strstr(line, pat);
	out[0] = '\0';
	if (at)
		snprintf(out, len, "%.*s", (int)strcspn(at + strlen(pat), " \n"),
			 at + strlen(pat));
}

static void find_verdict(const char *recs, const struct config *c,
			 struct verdict *v)
{
	char want[160], status[16];
	memset(v, 0, sizeof(*v));
	snprintf(want, sizeof(want), " type=config variant=%s scenario=%s ",
		 c->variant, c->scenario);
	const char *line = recs ? strstr(recs, want) : NULL;
	if (!line)
		return;
	const char *end = strchr(line, '\n');
	char one[1024];
	snprintf(one, sizeof(one), "%.*s", end ? (int)(end - line) : 1000, line);
	v->found = 1;
	field(one, "status", status, sizeof(status));
	field(one, "reason", v->reason, sizeof(v->reason));
	v->ok = strcmp(status, "ok") == 0;
}

/* The header and c's rows of the boot's CSV, as c's own CSV. */
static int split_csv(const char *csv, const struct config *c, const char *path,
		     char *err, size_t errlen)
{
	char *out = NULL, prefix[160];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return -1;
	snprintf(prefix, sizeof(prefix), "%s,%s,", c->variant, c->scenario);
	for (const char *l = csv; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l + 1) : strlen(l);
		if (l == csv || strncmp(l, prefix, strlen(prefix)) == 0)
			fwrite(l, 1, n, f);
		l += n;
	}
	fclose(f);
	int rc = atomic_write(path, out, len, err, errlen);
	free(out);
	return rc;
}

/*
 * c's result from the boot's: its config record decides, in a boot that
 * ended cleanly; otherwise the boot's own failure is c's.
 */
static void judge_one(const struct config_result *boot, const struct verdict *v,
		      size_t n, struct config_result *r)
{
	*r = *boot;
	/* the boot's host time, shared; its first record counted once */
	r->wall_s = boot->wall_s / (double)n;
	r->guest_s = boot->guest_s / (double)n;
	if (boot->write_fault)
		return;
	if (boot->exit_code != FB_EXIT_OK || !v->found) {
		r->ok = 0;
		if (!r->reason[0])
			snprintf(r->reason, sizeof(r->reason), "the boot ended "
				 "before this configuration reported");
		return;
	}
	r->ok = v->ok;
	snprintf(r->reason, sizeof(r->reason), "%s", v->ok ? "" : v->reason);
}

/* Write c's raw CSV, metadata and log from the boot's. */
static void write_one(const char *dir, const struct config *c,
		      const char *csv, const char *meta, size_t meta_len,
		      const char *log, size_t log_len, struct config_result *r)
{
	char path[4096], err[1024];
	int rc = 0;
	if (r->ok) {
		sweep_raw_path(path, sizeof(path), dir, c, "csv");
		rc = split_csv(csv, c, path, err, sizeof(err));
		sweep_raw_path(path, sizeof(path), dir, c, "json");
		if (rc == 0 && meta)
			rc = atomic_write(path, meta, meta_len, err, sizeof(err));
	}
	if (rc < 0 && !r->write_fault) {
		r->ok = 0;
		r->write_fault = 1;
		snprintf(r->reason, sizeof(r->reason), "%s", err);
	}
	sweep_raw_path(path, sizeof(path), dir, c, "log");
	fbvmm_save_log(path, log, log_len, r);
}

/* One boot runs the model when one of its configurations wants it. */
static int group_uses_sim(const struct sweep_params *p,
			  const struct config *cs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sweep_sim_applies(p, cs[i].scenario, cs[i].size))
			return 1;
	return 0;
}

void sweep_run_group(const struct sweep_params *p, const struct config *cs,
		     size_t n, const char *dir, struct config_result *res)
{
	char csv[4096], meta[4096], rec[4096], mem[32], timeout[16];
	char pairs[2048], size[48], reps[24];
	struct config_result boot;
	snprintf(csv, sizeof(csv), "%s/raw/.boot.csv", dir);
	snprintf(meta, sizeof(meta), "%s/raw/.boot.json", dir);
	snprintf(rec, sizeof(rec), "%s/raw/.boot.rec", dir);
	snprintf(mem, sizeof(mem), "%lluM",
		 (unsigned long long)(sweep_guest_mem(p, &cs[0]) >> 20));
	unsigned long t = (unsigned long)p->timeout_s * n;
	snprintf(timeout, sizeof(timeout), "%lu", t > 86400 ? 86400 : t);
	snprintf(size, sizeof(size), "size=%llu", (unsigned long long)cs[0].size);
	snprintf(reps, sizeof(reps), "reps=%u", p->reps);
	pairs_arg(pairs, sizeof(pairs), cs, n); /* 32 names always fit */
	char *argv[32] = { (char *)p->fbvmm, "-q", "--stats", "-b",
			   (char *)p->backend, "-m", mem, "-t", timeout,
			   "--csv", csv, "--meta", meta, "-r", rec };
	size_t a = 15;
	int sim = group_uses_sim(p, cs, n);
	if (sim)
		sweep_sim_fbvmm_args(p, argv, &a);
	char *words[] = { "--initrd", (char *)p->initrd, (char *)p->guest,
			  "bench", pairs, size, reps };
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		argv[a++] = words[i];
	if (sim)
		sweep_sim_guest_words(argv, &a);
	argv[a] = NULL;
	char *out, *csv_text, *meta_text, *rec_text;
	size_t len, csv_len, meta_len, rec_len;
	double t0 = now_seconds();
	fbvmm_run(argv, &boot, &out, &len);
	boot.wall_s = now_seconds() - t0;
	csv_text = read_all(csv, &csv_len);
	meta_text = read_all(meta, &meta_len);
	rec_text = read_all(rec, &rec_len);
	for (size_t i = 0; i < n; i++) {
		struct verdict v;
		find_verdict(rec_text, &cs[i], &v);
		judge_one(&boot, &v, n, &res[i]);
		if (i > 0)
			res[i].first_record_s = -1; /* one boot, one first record */
		write_one(dir, &cs[i], csv_text, meta_text, meta_len, out, len,
			  &res[i]);
	}
	free(out);
	free(csv_text);
	free(meta_text);
	free(rec_text);
	unlink(csv);
	unlink(meta);
	unlink(rec);
}
