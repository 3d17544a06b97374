/* Enumerating and running the configurations of a sweep. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_write.h"
#include "backend.h"
#include "clock.h"
#include "errmsg.h"
#include "fb_exit.h"
#include "fb_vocab.h"
#include "host_opts.h"
#include "resultset.h"
#include "fbvmm_run.h"
#include "sweep.h"
#include "sweep_sim.h"

/*
 * Which scenario makes sense with which variant: fb_vocab.h for our
 * guest, forkbench host's rule (host_opts.h) for the Linux peer.
 */
static int applies(const struct sweep_params *p, const char *variant,
		   const char *scenario)
{
	if (!sweep_is_linux(p))
		return fb_variant_applies(fb_variant_find(variant),
					  fb_scenario_find(scenario));
	int v = fb_vocab_find(host_variant_names, HV_COUNT, variant);
	int s = fb_vocab_find(host_scenario_names, HS_COUNT, scenario);
	return v >= 0 && s >= 0 && host_applies(v, s);
}

size_t sweep_configs(const struct sweep_params *p, struct config *out,
		     size_t max)
{
	size_t n = 0;
	for (unsigned s = 0; s < p->nsizes; s++)
		for (unsigned sc = 0; sc < p->nscenarios; sc++)
			for (unsigned v = 0; v < p->nvariants; v++) {
				if (!applies(p, p->variants[v], p->scenarios[sc]) ||
				    n == max)
					continue;
				struct config *c = &out[n++];
				c->variant = p->variants[v];
				c->scenario = p->scenarios[sc];
				c->size = p->sizes[s];
				snprintf(c->key, sizeof(c->key), "%s_%s_%llu",
					 c->variant, c->scenario,
					 (unsigned long long)c->size);
			}
	return n;
}

size_t sweep_shard(struct config *cs, size_t count, unsigned k, unsigned n)
{
	size_t kept = 0;
	for (size_t i = 0; n && i < count; i++)
		if (i % n == k - 1)
			cs[kept++] = cs[i];
	return n ? kept : count;
}

uint64_t sweep_guest_mem(const struct sweep_params *p, const struct config *c)
{
	if (p->mem)
		return p->mem;
	/*
	 * parent + a full child copy + page tables + kernel and hot set;
	 * Linux needs more for itself and its initramfs
	 */
	uint64_t mem = 2 * c->size + (sweep_is_linux(p) ? 256ull << 20
							: 128ull << 20);
	return mem > MEM_MAX ? MEM_MAX : mem;
}

void sweep_raw_path(char *buf, size_t len, const char *dir,
		    const struct config *c, const char *ext)
{
	snprintf(buf, len, "%s/raw/%s.%s", dir, c->key, ext);
}

int sweep_done(const char *dir, const struct config *c)
{
	char path[4096];
	sweep_raw_path(path, sizeof(path), dir, c, "status");
	return access(path, F_OK) == 0;
}

void sweep_run_one(const struct sweep_params *p, const struct config *c,
		   const char *dir, struct config_result *res)
{
	char csv[4096], meta[4096], log[4096], mem[32], timeout[16];
	char scen[48], var[48], size[48], reps[24];
	sweep_raw_path(csv, sizeof(csv), dir, c, "csv");
	sweep_raw_path(meta, sizeof(meta), dir, c, "json");
	sweep_raw_path(log, sizeof(log), dir, c, "log");
	snprintf(mem, sizeof(mem), "%lluM",
		 (unsigned long long)(sweep_guest_mem(p, c) >> 20));
	snprintf(timeout, sizeof(timeout), "%u", p->timeout_s);
	snprintf(scen, sizeof(scen), "scenario=%s", c->scenario);
	snprintf(var, sizeof(var), "variant=%s", c->variant);
	snprintf(size, sizeof(size), "size=%llu", (unsigned long long)c->size);
	snprintf(reps, sizeof(reps), "reps=%u", p->reps);
	char *argv[32] = { (char *)p->fbvmm, "-q", "--stats", "-b",
			   (char *)p->backend, "-m", mem, "-t", timeout,
			   "--csv", csv, "--meta", meta };
	size_t n = 13;
	int sim = sweep_sim_applies(p, c->scenario, c->size);
	if (sim)
		sweep_sim_fbvmm_args(p, argv, &n);
	if (p->initrd) { /* the Linux peer */
		argv[n++] = "--initrd";
		argv[n++] = (char *)p->initrd;
	}
	char *words[] = { (char *)p->guest, "bench", scen, var, size, reps };
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		argv[n++] = words[i];
	/* Only when asked: a guest without the word still runs the rest. */
	if (strcmp(sweep_parent_pages(p), SWEEP_PAGES_2M) == 0)
		argv[n++] = "parent_pages=" SWEEP_PAGES_2M;
	if (sim)
		sweep_sim_guest_words(argv, &n);
	argv[n] = NULL;
	char *out;
	size_t len;
	double t0 = now_seconds();
	fbvmm_run(argv, res, &out, &len);
	res->wall_s = now_seconds() - t0;
	fbvmm_save_log(log, out, len, res);
	free(out);
}

/* One configuration's line of configs.csv, in memory (malloc'd). */
static char *status_line(const struct config *c,
			 const struct config_result *res, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (!f)
		return NULL;
	struct config_row row = { c->variant, c->scenario, c->size, res->ok,
				  res->exit_code, res->reason, res->wall_s,
				  res->guest_s };
	configs_write_row(f, &row);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int sweep_write_status(const char *dir, const struct config *c,
		       const struct config_result *res, char *err,
		       size_t errlen)
{
	char path[4096];
	size_t len;
	sweep_raw_path(path, sizeof(path), dir, c, "status");
	char *text = status_line(c, res, &len);
	if (!text) {
		errmsg_cannot(err, errlen, "write", path, errno);
		return -1;
	}
	int rc = atomic_write(path, text, len, err, errlen);
	free(text);
	return rc;
}

int sweep_which_backend(const struct sweep_params *p, char *name,
			size_t namelen, char *why, size_t whylen)
{
	char *argv[] = { (char *)p->fbvmm, "--which-backend", "-t", "300",
			 "--initrd", (char *)p->initrd, (char *)p->guest, NULL };
	if (!p->initrd)
		memmove(&argv[4], &argv[6], sizeof(argv) - 6 * sizeof(*argv));
	int fd;
	size_t len;
	pid_t pid = fbvmm_spawn(argv, 1, &fd);
	if (pid < 0) {
		snprintf(why, whylen, "cannot start %s: %s", p->fbvmm,
			 strerror(errno));
		return -1;
	}
	char *out = fbvmm_slurp(fd, &len);
	int code = fbvmm_wait(pid);
	char *tab = out ? strchr(out, '\t') : NULL;
	if (code != 0 || !tab) {
		snprintf(why, whylen, "%s --which-backend failed (exit %d)",
			 p->fbvmm, code);
		free(out);
		return -1;
	}
	*tab = '\0';
	tab[1 + strcspn(tab + 1, "\n")] = '\0';
	snprintf(name, namelen, "%s", out);
	snprintf(why, whylen, "%s", tab + 1);
	free(out);
	return 0;
}
