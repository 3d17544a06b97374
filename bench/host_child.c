/* The children of forkbench host's variants: start, reap. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_child.h"
#include "host_tsc.h"

#define CHILD_STACK (64u * 1024)

/* Exec'd with an empty environment: its cost must not depend on ours. */
static char *const exec_argv[] = { "true", NULL };
static char *const exec_envp[] = { NULL };

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
	host_region_unmap(&e->hot);
	memset(e, 0, sizeof(*e));
}

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

static int clone_vm(struct host_env *e, int flags, struct host_child *c)
{
	char *top = (char *)e->stack + e->stack_len; /* stacks grow down */
	c->pid = clone(clone_main, top, CLONE_VM | flags | SIGCHLD, e);
	return c->pid < 0 ? errno : 0;
}

int host_child_start(struct host_env *e, enum host_variant v, int execs,
		     struct host_child *c)
{
	pid_t pid;
	e->child_execs = execs;
	switch (v) {
	case HV_FORK:
	case HV_FORK_THP: /* the same call: the parent's pages differ */
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

int host_call_failed(enum host_variant v, int e, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", call_names[v], strerror(e));
	return -1;
}

int host_child_reap(enum host_variant v, const struct host_child *c,
		    char *err, size_t errlen)
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
