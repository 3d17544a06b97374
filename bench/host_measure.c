/*
 * The guest's scenarios on Linux. A child does as little as possible:
 * write its TSC to the shared page, then _exit or execve. It never
 * touches the parent region (cow writes happen in the parent).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_measure.h"
#include "host_tsc.h"
#include "parse.h"

#define WORDS_PER_PAGE (HOST_PAGE / sizeof(uint64_t))
#define CHILD_STACK (64u * 1024)

/* Exec'd with an empty environment: its cost must not depend on ours. */
static char *const exec_argv[] = { "true", NULL };
static char *const exec_envp[] = { NULL };

/* MemAvailable from /proc/meminfo in bytes; 0 when it cannot be read. */
static uint64_t mem_available(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

/*
 * A parent larger than the free memory would be swapped or OOM-killed
 * while being dirtied (the kernel overcommits): refuse it up front, so it
 * becomes a failed configuration instead.
 */
static int region_fits(uint64_t size, char *err, size_t errlen)
{
	uint64_t avail = mem_available();
	if (avail == 0 || size <= avail)
		return 0;
	char s[24];
	size_text(size, s, sizeof(s));
	snprintf(err, errlen, "a %s parent does not fit in the %llu MiB of "
		 "MemAvailable", s, (unsigned long long)(avail >> 20));
	return -1;
}

int host_region_map(struct host_region *r, uint64_t size, char *err,
		    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->pages = size / HOST_PAGE;
	if (size == 0)
		return 0;
	if (region_fits(size, err, errlen) < 0)
		return -1;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		char s[24];
		size_text(size, s, sizeof(s));
		snprintf(err, errlen, "mmap %s: %s", s, strerror(errno));
		return -1;
	}
	/* 4K pages like the guest: a THP parent would copy PMDs, not PTEs. */
	madvise(p, size, MADV_NOHUGEPAGE);
	r->base = p;
	return 0;
}

void host_region_dirty(const struct host_region *r)
{
	volatile uint64_t *w = r->base;
	for (uint64_t p = 0; p < r->pages; p++)
		w[p * WORDS_PER_PAGE] = p;
}

void host_region_unmap(struct host_region *r)
{
	if (r->base)
		munmap(r->base, r->size);
	memset(r, 0, sizeof(*r));
}

static const char *find_exec_path(void)
{
	static const char *const paths[] = { "/bin/true", "/usr/bin/true" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

int host_env_init(struct host_env *e, uint64_t writes, char *err,
		  size_t errlen)
{
	memset(e, 0, sizeof(*e));
	e->writes = writes;
	e->exec_path = find_exec_path();
	void *page = mmap(NULL, HOST_PAGE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	void *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (page == MAP_FAILED || stack == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		if (page != MAP_FAILED)
			munmap(page, HOST_PAGE);
		if (stack != MAP_FAILED)
			munmap(stack, CHILD_STACK);
		return -1;
	}
	e->child_tsc = page;
	e->stack = stack;
	e->stack_len = CHILD_STACK;
	return 0;
}

void host_env_free(struct host_env *e)
{
	if (e->child_tsc)
		munmap((void *)e->child_tsc, HOST_PAGE);
	if (e->stack)
		munmap(e->stack, e->stack_len);
	memset(e, 0, sizeof(*e));
}

/* ---- the children ------------------------------------------------------ */

/* First thing a child does: say when it ran; then exit or exec. */
static void __attribute__((noreturn)) child_main(const struct host_env *e,
						 int execs)
{
	*e->child_tsc = host_tsc_end();
	if (execs)
		execve(e->exec_path, exec_argv, exec_envp);
	_exit(execs ? 127 : 0);
}

/*
 * A CLONE_VM child: it shares our memory and even our TLS (no
 * CLONE_SETTLS), so it touches only the shared page and, should execve
 * fail, errno. Returning ends it (glibc's clone calls exit).
 */
static int clone_main(void *arg)
{
	const struct host_env *e = arg;
	*e->child_tsc = host_tsc_end();
	if (e->child_execs)
		execve(e->exec_path, exec_argv, exec_envp);
	return e->child_execs ? 127 : 0;
}

static void *thread_main(void *arg)
{
	const struct host_env *e = arg;
	*e->child_tsc = host_tsc_end();
	return NULL;
}

struct child {
	pid_t pid;
	pthread_t thread;
};

static int clone_vm(struct host_env *e, int flags, struct child *c)
{
	char *top = (char *)e->stack + e->stack_len; /* stacks grow down */
	c->pid = clone(clone_main, top, CLONE_VM | flags | SIGCHLD, e);
	return c->pid < 0 ? errno : 0;
}

/*
 * Create the child of variant v; it exits at once or execs the exec
 * program. 0, or the errno of the call. Timed by the callers, so nothing
 * here but the call itself.
 */
static int start_child(struct host_env *e, enum host_variant v, int execs,
		       struct child *c)
{
	pid_t pid;
	e->child_execs = execs;
	switch (v) {
	case HV_FORK:
		pid = fork();
		if (pid == 0)
			child_main(e, execs);
		c->pid = pid;
		return pid < 0 ? errno : 0;
	case HV_VFORK:
		pid = vfork();
		if (pid == 0)
			child_main(e, execs);
		c->pid = pid;
		return pid < 0 ? errno : 0;
	case HV_CLONE_VM:
		return clone_vm(e, 0, c);
	case HV_CLONE_VM_VFORK:
		return clone_vm(e, CLONE_VFORK, c);
	case HV_POSIX_SPAWN:
		return posix_spawn(&c->pid, e->exec_path, NULL, NULL, exec_argv,
				   exec_envp);
	case HV_THREAD:
		return pthread_create(&c->thread, NULL, thread_main, e);
	default:
		return EINVAL;
	}
}

static const char *const call_names[HV_COUNT] = {
	"fork()", "vfork()", "clone(CLONE_VM)", "clone(CLONE_VM|CLONE_VFORK)",
	"posix_spawn()", "pthread_create()",
};

static int call_failed(enum host_variant v, int e, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", call_names[v], strerror(e));
	return -1;
}

/* Wait for the child; anything but a clean exit 0 is a failure. */
static int reap(enum host_variant v, const struct child *c, char *err,
		size_t errlen)
{
	if (v == HV_THREAD) {
		int rc = pthread_join(c->thread, NULL);
		if (rc)
			snprintf(err, errlen, "pthread_join: %s", strerror(rc));
		return rc ? -1 : 0;
	}
	int st;
	pid_t r;
	do
		r = waitpid(c->pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(err, errlen, "waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		snprintf(err, errlen, "child exited with status %d%s",
			 WEXITSTATUS(st),
			 WEXITSTATUS(st) == 127 ? " (exec failed)" : "");
	else
		snprintf(err, errlen, "child killed by signal %d",
			 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -1;
}

/* ---- rows -------------------------------------------------------------- */

struct rep_ctx {
	enum host_variant v;
	enum host_scenario s;
	uint64_t size;
	unsigned rep;
	struct metric_table *out;
	char *err;
	size_t errlen;
};

/* Metric m (name and unit from fb_vocab.h), as the guest reports it. */
static int emit(const struct rep_ctx *x, enum fb_metric m, int has_value,
		double value, const char *note)
{
	struct metric_row r;
	memset(&r, 0, sizeof(r));
	snprintf(r.variant, sizeof(r.variant), "%s", host_variant_names[x->v]);
	snprintf(r.scenario, sizeof(r.scenario), "%s", host_scenario_names[x->s]);
	snprintf(r.metric, sizeof(r.metric), "%s", fb_metric_names[m]);
	snprintf(r.unit, sizeof(r.unit), "%s", fb_metric_units[m]);
	snprintf(r.note, sizeof(r.note), "%s", note);
	r.size = x->size;
	r.rep = x->rep;
	r.has_value = has_value;
	r.value = value;
	if (metrics_append(x->out, &r) == 0)
		return 0;
	snprintf(x->err, x->errlen, "out of memory for metric rows");
	return -1;
}

static int emit_value(const struct rep_ctx *x, enum fb_metric m,
		      uint64_t value)
{
	return emit(x, m, 1, (double)value, "");
}

/* ---- scenarios --------------------------------------------------------- */

static int run_create(struct host_env *e, const struct rep_ctx *x)
{
	struct child c;
	*e->child_tsc = 0;
	uint64_t t0 = host_tsc_start();
	int rc = start_child(e, x->v, x->v == HV_POSIX_SPAWN, &c);
	uint64_t t_ret = host_tsc_end();
	if (rc)
		return call_failed(x->v, rc, x->err, x->errlen);
	if (reap(x->v, &c, x->err, x->errlen) < 0)
		return -1;
	if (emit_value(x, FB_M_CYCLES_TO_RETURN, host_tsc_cycles(t0, t_ret)) < 0)
		return -1;
	if (x->v == HV_POSIX_SPAWN) /* no code of ours runs in its child */
		return 0;
	if (*e->child_tsc == 0) {
		snprintf(x->err, x->errlen, "the child did not report its TSC");
		return -1;
	}
	return emit_value(x, FB_M_CYCLES_TO_CHILD,
			  host_tsc_cycles(t0, *e->child_tsc));
}

/* Create, the child exits or execs at once, the parent waits. */
static int run_lifecycle(struct host_env *e, const struct rep_ctx *x,
			 int execs, enum fb_metric m)
{
	struct child c;
	uint64_t t0 = host_tsc_start();
	int rc = start_child(e, x->v, execs, &c);
	if (rc)
		return call_failed(x->v, rc, x->err, x->errlen);
	if (reap(x->v, &c, x->err, x->errlen) < 0)
		return -1;
	uint64_t t1 = host_tsc_end();
	return emit_value(x, m, host_tsc_cycles(t0, t1));
}

static void write_pages(const struct host_region *r, uint64_t n)
{
	volatile uint64_t *w = r->base;
	for (uint64_t p = 0; p < n; p++)
		w[p * WORDS_PER_PAGE] = ~p;
}

/*
 * The cow child: alive, sharing every page, until the parent says go. It
 * closes its copy of the write end so a parent that dies gives it EOF.
 */
static void __attribute__((noreturn)) cow_child(const int fd[2])
{
	char b;
	close(fd[1]);
	_exit(read(fd[0], &b, 1) == 1 ? 0 : 1);
}

/*
 * cow (fork only): the parent writes k pages while the child still maps
 * them, so each write is a copy-on-write fault with a copy.
 */
static int run_cow(const struct host_env *e, const struct host_region *r,
		   const struct rep_ctx *x)
{
	uint64_t k = e->writes < r->pages ? e->writes : r->pages;
	if (k == 0) /* as the guest: nothing to write is not a zero */
		return emit(x, FB_M_CYCLES_PER_WRITE, 0, 0,
			    "parent_has_no_pages");
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0) {
		snprintf(x->err, x->errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	struct child c = { .pid = fork() };
	if (c.pid == 0)
		cow_child(fd);
	int fork_errno = errno;
	uint64_t cycles = 0;
	if (c.pid > 0) {
		uint64_t t0 = host_tsc_start();
		write_pages(r, k);
		cycles = host_tsc_cycles(t0, host_tsc_end());
		/* If this fails, the close below gives the child EOF and its
		 * exit status 1 fails the repetition. */
		ssize_t sent = write(fd[1], "g", 1);
		(void)sent;
	}
	close(fd[0]);
	close(fd[1]);
	if (c.pid < 0)
		return call_failed(HV_FORK, fork_errno, x->err, x->errlen);
	if (reap(HV_FORK, &c, x->err, x->errlen) < 0)
		return -1;
	if (emit_value(x, FB_M_CYCLES_PER_WRITE, cycles / k) < 0 ||
	    emit_value(x, FB_M_WRITE_CYCLES_TOTAL, cycles) < 0)
		return -1;
	return emit_value(x, FB_M_PAGES_WRITTEN, k);
}

static int needs_exec(enum host_variant v, enum host_scenario s)
{
	return s == HS_EXEC_WAIT || v == HV_POSIX_SPAWN;
}

int host_measure(struct host_env *e, enum host_variant v,
		 enum host_scenario s, const struct host_region *r,
		 unsigned rep, struct metric_table *out, char *err,
		 size_t errlen)
{
	const struct rep_ctx x = { v, s, r->size, rep, out, err, errlen };
	if (!host_applies(v, s)) {
		snprintf(err, errlen, "%s does not apply to %s",
			 host_scenario_names[s], host_variant_names[v]);
		return -1;
	}
	if (needs_exec(v, s) && !e->exec_path) {
		snprintf(err, errlen, "neither /bin/true nor /usr/bin/true exists");
		return -1;
	}
	switch (s) {
	case HS_CREATE: return run_create(e, &x);
	case HS_EXIT_WAIT:
		return run_lifecycle(e, &x, 0, FB_M_CYCLES_CREATE_EXIT_WAIT);
	case HS_EXEC_WAIT:
		return run_lifecycle(e, &x, 1, FB_M_CYCLES_CREATE_EXEC_WAIT);
	case HS_COW: return run_cow(e, r, &x);
	default: return -1;
	}
}
