/* Enumerating and running the configurations of a sweep. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fb_exit.h"
#include "options.h"
#include "results.h"
#include "resultset.h"
#include "run.h"
#include "sweep.h"

/* Writing pages makes no sense where parent and child share memory. */
static int applies(const char *variant, const char *scenario)
{
	return strcmp(scenario, "cow") != 0 ||
	       strcmp(variant, "copy") == 0 || strcmp(variant, "cow") == 0;
}

size_t sweep_configs(const struct sweep_params *p, struct config *out,
		     size_t max)
{
	size_t n = 0;
	for (unsigned s = 0; s < p->nsizes; s++)
		for (unsigned sc = 0; sc < p->nscenarios; sc++)
			for (unsigned v = 0; v < p->nvariants; v++) {
				if (!applies(p->variants[v], p->scenarios[sc]) ||
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

uint64_t sweep_guest_mem(const struct config *c)
{
	/* parent + a full child copy + page tables + kernel and hot set */
	uint64_t mem = 2 * c->size + (128ull << 20);
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

/* fbvmm's last "fbvmm: ..." line: why a configuration failed. */
static void last_message(const char *log, char *out, size_t len)
{
	FILE *f = fopen(log, "r");
	char line[512];
	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "fbvmm: ", 7) == 0 &&
		    strncmp(line, "fbvmm: stats:", 13) != 0)
			snprintf(out, len, "%.*s", (int)len - 1, line + 7);
	}
	fclose(f);
}

/* Time inside the guest, from fbvmm --stats ("guest X ms"). */
static double guest_seconds(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[512];
	double ms = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *g = strstr(line, ", guest ");
		if (strncmp(line, "fbvmm: stats: setup", 19) == 0 && g)
			ms = strtod(g + 8, NULL);
	}
	fclose(f);
	return ms < 0 ? -1 : ms / 1e3;
}


/* fork+exec fbvmm with stderr to log; its exit status, or -1. */
static int spawn_wait(char *const argv[], const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int null = open("/dev/null", O_RDWR);
		if (fd < 0 || null < 0)
			_exit(127);
		dup2(null, 0);
		dup2(null, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		dprintf(fd, "fbvmm: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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
		 (unsigned long long)(sweep_guest_mem(c) >> 20));
	snprintf(timeout, sizeof(timeout), "%u", p->timeout_s);
	snprintf(scen, sizeof(scen), "scenario=%s", c->scenario);
	snprintf(var, sizeof(var), "variant=%s", c->variant);
	snprintf(size, sizeof(size), "size=%llu", (unsigned long long)c->size);
	snprintf(reps, sizeof(reps), "reps=%u", p->reps);
	char *argv[] = { (char *)p->fbvmm, "-q", "--stats", "-b",
			 (char *)p->backend, "-m", mem, "-t", timeout, "--csv",
			 csv, "--meta", meta, (char *)p->guest, "bench", scen,
			 var, size, reps, NULL };
	double t0 = now_seconds();
	int code = spawn_wait(argv, log);
	res->wall_s = now_seconds() - t0;
	res->guest_s = guest_seconds(log);
	res->exit_code = code;
	res->ok = code == FB_EXIT_OK;
	res->reason[0] = '\0';
	if (!res->ok)
		last_message(log, res->reason, sizeof(res->reason));
	if (!res->ok && !res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "fbvmm exited %d", code);
}

int sweep_write_status(const char *dir, const struct config *c,
		       const struct config_result *res)
{
	char path[4096], tmp[4200];
	raw_path(path, sizeof(path), dir, c, "status");
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%s,%s,%llu,%s,%d,", c->variant, c->scenario,
		(unsigned long long)c->size, res->ok ? "ok" : "failed",
		res->exit_code);
	csv_field(f, res->reason);
	fprintf(f, ",%.3f,", res->wall_s);
	if (res->guest_s >= 0)
		fprintf(f, "%.3f", res->guest_s);
	fputc('\n', f);
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
