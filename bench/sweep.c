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
#include "sweep.h"

static int find(const char *const *names, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

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
	int v = find(host_variant_names, HV_COUNT, variant);
	int s = find(host_scenario_names, HS_COUNT, scenario);
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
	/*
	 * parent + a full child copy + page tables + kernel and hot set;
	 * Linux needs more for itself and its initramfs
	 */
	uint64_t mem = 2 * c->size + (sweep_is_linux(p) ? 256ull << 20
							: 128ull << 20);
	return mem > MEM_MAX ? MEM_MAX : mem;
}

static void raw_path(char *buf, size_t len, const char *dir,
		     const struct config *c, const char *ext)
{
	snprintf(buf, len, "%s/raw/%s.%s", dir, c->key, ext);
}

int sweep_done(const char *dir, const struct config *c)
{
	char path[4096];
	raw_path(path, sizeof(path), dir, c, "status");
	return access(path, F_OK) == 0;
}

/*
 * The next line of text at *p (without its newline) into line, moving *p
 * past it; 0 at the end.
 */
static int next_line(const char **p, char *line, size_t len)
{
	if (!**p)
		return 0;
	size_t n = strcspn(*p, "\n");
	snprintf(line, len, "%.*s", (int)(n < len ? n : len - 1), *p);
	*p += n + ((*p)[n] == '\n');
	return 1;
}

/*
 * A "fbvmm: " message (not a stats line) from fbvmm's stderr: the first
 * one starting with want, or with want NULL the last one. 1 if found.
 */
static int find_message(const char *out, const char *want, char *msg,
			size_t len)
{
	char line[1024];
	int found = 0;
	while (next_line(&out, line, sizeof(line))) {
		if (strncmp(line, "fbvmm: ", 7) != 0 ||
		    strncmp(line, "fbvmm: stats:", 13) == 0 ||
		    (want && strncmp(line + 7, want, strlen(want)) != 0))
			continue;
		snprintf(msg, len, "%.*s", (int)len - 1, line + 7);
		found = 1;
		if (want)
			break;
	}
	return found;
}

/*
 * A time from fbvmm --stats' line ("..., guest X ms, first record Y ms"):
 * what follows label, in seconds, or -1.
 */
static double stats_seconds(const char *out, const char *label)
{
	char line[1024];
	double ms = -1;
	while (next_line(&out, line, sizeof(line))) {
		const char *g = strstr(line, label);
		if (strncmp(line, "fbvmm: stats: setup", 19) == 0 && g)
			ms = strtod(g + strlen(label), NULL);
	}
	return ms < 0 ? -1 : ms / 1e3;
}

/*
 * fork+exec fbvmm with its output fd (1 or 2) into a pipe (*fd), not
 * straight into a log: when the log cannot be written (a full disk),
 * fbvmm's reason must still reach us. Its pid, or -1.
 */
static pid_t spawn(char *const argv[], int out_fd, int *fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(p[1], out_fd) < 0)
			_exit(127);
		dup2(null, 0);
		dup2(null, 3 - out_fd); /* the other of 1 and 2 */
		execv(argv[0], argv);
		dprintf(out_fd, "fbvmm: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

#define OUTPUT_MAX (1u << 20) /* fbvmm -q says a few lines; more is noise */

/* All fd says until it closes, NUL-terminated (malloc'd; NULL: no memory). */
static char *slurp(int fd, size_t *len)
{
	char *buf = malloc(OUTPUT_MAX + 1);
	size_t n = 0;
	char sink[4096];
	for (;;) {
		int full = !buf || n == OUTPUT_MAX;
		ssize_t r = read(fd, full ? sink : buf + n,
				 full ? sizeof(sink) : OUTPUT_MAX - n);
		if (r < 0 && errno == EINTR)
			continue; /* SIGINT: fbvmm decides, we wait for it */
		if (r <= 0)
			break;
		n += full ? 0 : (size_t)r;
	}
	close(fd);
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* fbvmm's exit status, or -1. */
static int wait_exit(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * How a configuration went, from fbvmm's exit code and stderr. Exit 7
 * with "cannot write" is the host failing to write results (fbvmm names
 * the file and the reason), not a result: the first such message is the
 * cause, and fbvmm's later lines (how the guest ended) are not.
 */
static void judge(struct config_result *res, int code, const char *out)
{
	res->exit_code = code;
	res->ok = code == FB_EXIT_OK;
	res->guest_s = stats_seconds(out, ", guest ");
	res->first_record_s = stats_seconds(out, ", first record ");
	res->reason[0] = '\0';
	res->write_fault = code == FB_EXIT_HOST_ERROR &&
			   find_message(out, "cannot write ", res->reason,
					sizeof(res->reason));
	if (!res->ok && !res->write_fault)
		find_message(out, NULL, res->reason, sizeof(res->reason));
	if (!res->ok && !res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "fbvmm exited %d", code);
}

/* Run fbvmm, collect its stderr, judge the outcome. */
static void run_fbvmm(char *const argv[], struct config_result *res,
		      char **out, size_t *len)
{
	int fd;
	pid_t pid = spawn(argv, 2, &fd);
	*out = NULL;
	*len = 0;
	if (pid < 0) {
		res->ok = res->write_fault = 0;
		res->exit_code = -1;
		res->guest_s = res->first_record_s = -1;
		snprintf(res->reason, sizeof(res->reason), "cannot start %s: %s",
			 argv[0], strerror(errno));
		return;
	}
	*out = slurp(fd, len);
	judge(res, wait_exit(pid), *out ? *out : "");
}

/*
 * Keep fbvmm's stderr as the configuration's log. A log that cannot be
 * written is a write fault too, unless fbvmm already reported one.
 */
static void save_log(const char *log, const char *out, size_t len,
		     struct config_result *res)
{
	char err[sizeof(res->reason)];
	if (atomic_write(log, out ? out : "", out ? len : 0, err,
			     sizeof(err)) == 0 || res->write_fault)
		return;
	res->ok = 0;
	res->write_fault = 1;
	snprintf(res->reason, sizeof(res->reason), "%s", err);
}

void sweep_run_one(const struct sweep_params *p, const struct config *c,
		   const char *dir, struct config_result *res)
{
	char csv[4096], meta[4096], log[4096], mem[32], timeout[16];
	char scen[48], var[48], size[48], reps[24];
	raw_path(csv, sizeof(csv), dir, c, "csv");
	raw_path(meta, sizeof(meta), dir, c, "json");
	raw_path(log, sizeof(log), dir, c, "log");
	snprintf(mem, sizeof(mem), "%lluM",
		 (unsigned long long)(sweep_guest_mem(p, c) >> 20));
	snprintf(timeout, sizeof(timeout), "%u", p->timeout_s);
	snprintf(scen, sizeof(scen), "scenario=%s", c->scenario);
	snprintf(var, sizeof(var), "variant=%s", c->variant);
	snprintf(size, sizeof(size), "size=%llu", (unsigned long long)c->size);
	snprintf(reps, sizeof(reps), "reps=%u", p->reps);
	char *argv[] = { (char *)p->fbvmm, "-q", "--stats", "-b",
			 (char *)p->backend, "-m", mem, "-t", timeout, "--csv",
			 csv, "--meta", meta, "--initrd", (char *)p->initrd,
			 (char *)p->guest, "bench", scen, var, size, reps, NULL };
	if (!p->initrd) /* our guest: no --initrd */
		memmove(&argv[13], &argv[15], sizeof(argv) - 15 * sizeof(*argv));
	char *out;
	size_t len;
	double t0 = now_seconds();
	run_fbvmm(argv, res, &out, &len);
	res->wall_s = now_seconds() - t0;
	save_log(log, out, len, res);
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
	raw_path(path, sizeof(path), dir, c, "status");
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
	pid_t pid = spawn(argv, 1, &fd);
	if (pid < 0) {
		snprintf(why, whylen, "cannot start %s: %s", p->fbvmm,
			 strerror(errno));
		return -1;
	}
	char *out = slurp(fd, &len);
	int code = wait_exit(pid);
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
