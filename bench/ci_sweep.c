/* forkbench ci's sweeps, in parallel (ci_sweep.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ci_fs.h"
#include "ci_proc.h"
#include "ci_sweep.h"
#include "resultset.h"

#define MAX_JOBS 64

/* One forkbench run: a side's whole sweep, or one shard of it. */
struct job {
	struct ci_sweep *side;
	unsigned shard, shards; /* shard k of shards (1-based) */
	char dir[4200], log[4300];
	pid_t pid;
	int code;
};

static void job_paths(struct job *j, const char *work)
{
	/* built apart from j: gcc takes j->log and j->dir to overlap */
	char dir[sizeof(j->dir)];
	if (j->shards == 1)
		snprintf(dir, sizeof(dir), "%s/%s", work, j->side->label);
	else
		snprintf(dir, sizeof(dir), "%s/%s.%u", work, j->side->label,
			 j->shard);
	memcpy(j->dir, dir, sizeof(dir));
	snprintf(j->log, sizeof(j->log), "%s.log", dir);
}

static pid_t job_start(struct job *j, const struct ci_profile *p)
{
	char reps[16], shard[32];
	snprintf(reps, sizeof(reps), "%u", p->reps);
	snprintf(shard, sizeof(shard), "%u/%u", j->shard, j->shards);
	char *argv[] = { PROC_SELF, "run", "-b", CI_BACKEND, "--variants",
			 (char *)p->variants, "--scenarios",
			 (char *)p->scenarios, "--sizes", (char *)p->sizes,
			 "--reps", reps, "--timeout", CI_CONFIG_TIMEOUT,
			 "--fbvmm", (char *)j->side->fbvmm, "--guest",
			 (char *)j->side->guest, "-o", j->dir, "--shard", shard,
			 NULL };
	if (j->shards == 1) /* the whole sweep: no --shard */
		argv[20] = NULL;
	rmtree(j->dir);
	return proc_start(argv, NULL, j->log);
}

/* The first configuration configs.csv says failed, as "v/s/size: why". */
static int first_failure(const char *dir, char *buf, size_t len)
{
	char path[4300], line[2048];
	path_join(path, sizeof(path), dir, CONFIGS_CSV);
	FILE *f = fopen(path, "r");
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *fld[9];
		line[strcspn(line, "\r\n")] = '\0';
		if (csv_split(line, fld, 9) != 8 || strcmp(fld[3], "ok") == 0 ||
		    strcmp(fld[3], "status") == 0)
			continue;
		snprintf(buf, len, "%s/%s/%s: %s", fld[0], fld[1], fld[2],
			 fld[5]);
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

static void job_failure(const struct job *j, char *err, size_t errlen)
{
	char why[1500];
	/* exit 1: configurations failed, each with its reason */
	if (j->code != 1 || !first_failure(j->dir, why, sizeof(why)))
		proc_log_reason(j->log, why, sizeof(why));
	snprintf(err, errlen, "the %s sweep failed (forkbench run exit %d): "
		 "%s (log: %s)", j->side->label, j->code,
		 why[0] ? why : "no message", j->log);
}

/* Run every job, at most jobs at once; 0 when all exited 0. */
static int run_jobs(struct job *js, unsigned n, unsigned jobs,
		    const struct ci_profile *p, volatile sig_atomic_t *stop)
{
	unsigned next = 0, running = 0, told = 0;
	while (next < n || running) {
		while (!*stop && next < n && running < jobs) {
			js[next].pid = job_start(&js[next], p);
			js[next].code = js[next].pid < 0 ? -1 : 0;
			running += js[next].pid > 0;
			next++;
		}
		if (!running)
			break;
		if (*stop && !told) { /* a terminal's ^C reached them already */
			for (unsigned i = 0; i < next; i++)
				if (js[i].pid > 0)
					kill(js[i].pid, SIGINT);
			told = 1;
		}
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (unsigned i = 0; i < next; i++)
			if (js[i].pid == pid) {
				js[i].pid = 0;
				js[i].code = WIFEXITED(status)
						     ? WEXITSTATUS(status)
						     : 128 + WTERMSIG(status);
				running--;
			}
	}
	for (unsigned i = 0; i < n; i++)
		if (i >= next || js[i].code != 0)
			return -1;
	return 0;
}

/* Join a side's shards into work/LABEL (forkbench merge). */
static int merge_side(struct ci_sweep *s, const struct job *shards,
		      unsigned k, const char *work, char *err, size_t errlen)
{
	char log[4300];
	char *argv[MAX_JOBS + 4] = { PROC_SELF, "merge", s->dir };
	snprintf(log, sizeof(log), "%s/%s.merge.log", work, s->label);
	for (unsigned i = 0; i < k; i++)
		argv[3 + i] = (char *)shards[i].dir;
	rmtree(s->dir);
	int code = proc_run(argv, NULL, log);
	if (code == 0)
		return 0;
	char why[1024];
	proc_log_reason(log, why, sizeof(why));
	snprintf(err, errlen, "merging the %s sweep's shards failed (exit "
		 "%d): %s (log: %s)", s->label, code, why, log);
	return -1;
}

int ci_sweep_all(struct ci_sweep *sides, unsigned n,
		 const struct ci_profile *p, unsigned jobs, const char *work,
		 volatile sig_atomic_t *stop, unsigned *at_once, char *err,
		 size_t errlen)
{
	static struct job js[MAX_JOBS];
	unsigned k = jobs / n ? jobs / n : 1, total = 0;
	unsigned configs = ci_profile_configs(p);
	if (k * n > MAX_JOBS)
		k = MAX_JOBS / n;
	/* an empty shard would measure nothing, and its set says less */
	if (k > configs)
		k = configs ? configs : 1;
	for (unsigned s = 0; s < n; s++) {
		snprintf(sides[s].dir, sizeof(sides[s].dir), "%s/%s", work,
			 sides[s].label);
		for (unsigned i = 1; i <= k; i++) {
			struct job *j = &js[total++];
			*j = (struct job){ .side = &sides[s], .shard = i,
					   .shards = k };
			job_paths(j, work);
		}
	}
	*at_once = total < jobs ? total : jobs;
	if (run_jobs(js, total, jobs, p, stop) < 0) {
		for (unsigned i = 0; i < total; i++)
			if (js[i].code != 0) {
				job_failure(&js[i], err, errlen);
				break;
			}
		if (*stop)
			snprintf(err, errlen, "interrupted");
		return -1;
	}
	for (unsigned s = 0; k > 1 && s < n; s++)
		if (merge_side(&sides[s], &js[s * k], k, work, err, errlen) < 0)
			return -1;
	return 0;
}
