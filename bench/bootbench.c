/*
 * bootbench: how long does a whole boot take, as a user sees it? Times
 * fork+execve+waitpid of (a) fbvmm booting the empty guest, (b) QEMU
 * microvm booting the same ELF, and (c) `fbvmm --version`, the cost of
 * merely starting our binary. The three are interleaved in every
 * repetition so that drift (frequency scaling, cache state, other load)
 * hits all of them alike. It prints figures; it never judges by exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "atomic_write.h"
#include "backend.h" /* MEM_MIN, MEM_MAX: reject what fbvmm would */
#include "errmsg.h"
#include "fb_abi.h"
#include "fb_exit.h"
#include "parse.h"

#define REPS_DEFAULT 21u
#define REPS_MAX 100000u
#define WARMUPS 2u
#define MEM_DEFAULT_BENCH (16ull << 20)
#define TARGET_RATIO 20.0
#define MAX_ARGV 32

/* isa-debug-exit ends QEMU with (value << 1) | 1: 33 is the guest's PASS. */
#define QEMU_PASS_STATUS ((FB_STATUS_PASS << 1) | 1)
/* The QEMU command line spells the exit port out; keep it in step. */
_Static_assert(FB_PORT_EXIT == 0xf4, "isa-debug-exit iobase below is 0xf4");

enum backend_id { B_FBVMM, B_QEMU, B_FLOOR, NBACKENDS };

static const char *const backend_label[NBACKENDS] = {
	[B_FBVMM] = "fbvmm",
	[B_QEMU] = "qemu-microvm",
	[B_FLOOR] = "spawn-floor",
};

struct config {
	unsigned reps;
	uint64_t mem_bytes;
	const char *fbvmm, *elf, *qemu, *csv;
};

/* One thing to time: its argv and the exit status that means success. */
struct command {
	const char *argv[MAX_ARGV];
	int pass_status;
};

struct spawn_result {
	int64_t wall_ns;
	int status;     /* from waitpid */
	int exec_errno; /* nonzero: execve itself failed */
};

/* Per-backend samples of the counted repetitions, in nanoseconds. */
struct samples {
	int64_t *ns[NBACKENDS];
	unsigned n;
};

struct stats {
	double median_us, min_us, p90_us;
};

enum parse_result { PARSE_RUN, PARSE_HELP, PARSE_ERROR };

static void usage(FILE *out)
{
	fprintf(out,
"usage: bootbench [options]\n"
"Wall time of whole boots (fork+execve+waitpid): fbvmm vs QEMU microvm on\n"
"the empty PVH guest, plus `fbvmm --version` as the process-spawn floor.\n"
"\n"
"  --reps N        counted repetitions (default %u; %u warm-ups each first)\n"
"  --mem SIZE      guest RAM for both VMMs, K/M/G suffix (default 16M)\n"
"  --fbvmm PATH    our VMM (default build/fbvmm)\n"
"  --elf PATH      guest ELF (default build/empty.elf)\n"
"  --qemu PATH     QEMU binary (default qemu-system-x86_64)\n"
"  --csv FILE      also write raw rows backend,rep,wall_us to FILE\n"
"  --help          this text\n"
"\n"
"Exit: 0 all runs succeeded (whatever the ratio), 1 a run failed,\n"
"2 bad option.\n",
		REPS_DEFAULT, WARMUPS);
}

static int parse_reps(const char *s, unsigned *out)
{
	char *end;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > REPS_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Both VMMs must get a size they accept, or the comparison is void. */
static int check_mem(const char *arg, uint64_t *out)
{
	if (parse_size(arg, out) == 0 && *out >= MEM_MIN && *out <= MEM_MAX &&
	    *out % 4096 == 0)
		return 0;
	fprintf(stderr,
		"bootbench: --mem '%s': expected a multiple of 4K from %lluM to %lluG\n",
		arg, (unsigned long long)(MEM_MIN >> 20),
		(unsigned long long)(MEM_MAX >> 30));
	return -1;
}

enum { OPT_REPS = 256, OPT_MEM, OPT_FBVMM, OPT_ELF, OPT_QEMU, OPT_CSV };

static const struct option long_opts[] = {
	{ "reps", required_argument, 0, OPT_REPS },
	{ "mem", required_argument, 0, OPT_MEM },
	{ "fbvmm", required_argument, 0, OPT_FBVMM },
	{ "elf", required_argument, 0, OPT_ELF },
	{ "qemu", required_argument, 0, OPT_QEMU },
	{ "csv", required_argument, 0, OPT_CSV },
	{ "help", no_argument, 0, 'h' },
	{ 0, 0, 0, 0 },
};

/* One option with its argument; prints the one-line error itself. */
static int apply_option(int c, const char *arg, struct config *cfg)
{
	switch (c) {
	case OPT_REPS:
		if (parse_reps(arg, &cfg->reps) == 0)
			return 0;
		fprintf(stderr, "bootbench: --reps '%s': expected 1..%u\n", arg,
			REPS_MAX);
		return -1;
	case OPT_MEM: return check_mem(arg, &cfg->mem_bytes);
	case OPT_FBVMM: cfg->fbvmm = arg; return 0;
	case OPT_ELF: cfg->elf = arg; return 0;
	case OPT_QEMU: cfg->qemu = arg; return 0;
	case OPT_CSV: cfg->csv = arg; return 0;
	}
	fprintf(stderr, "bootbench: internal: unhandled option %d\n", c);
	return -1;
}

static void report_getopt_error(int c, char **argv)
{
	char err[256];
	cli_bad_option(c, argv, err, sizeof(err));
	fprintf(stderr, "bootbench: %s (see --help)\n", err);
}

static enum parse_result parse_args(int argc, char **argv, struct config *cfg)
{
	*cfg = (struct config){ .reps = REPS_DEFAULT,
				.mem_bytes = MEM_DEFAULT_BENCH,
				.fbvmm = "build/fbvmm",
				.elf = "build/empty.elf",
				.qemu = "qemu-system-x86_64" };
	cli_reset();
	int c;
	while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		if (c == 'h')
			return PARSE_HELP;
		if (c == '?' || c == ':') {
			report_getopt_error(c, argv);
			return PARSE_ERROR;
		}
		if (apply_option(c, optarg, cfg) < 0)
			return PARSE_ERROR;
	}
	if (optind < argc) {
		fprintf(stderr, "bootbench: unexpected argument '%s'\n",
			argv[optind]);
		return PARSE_ERROR;
	}
	return PARSE_RUN;
}

/*
 * execve does no PATH search; resolve QEMU once, up front, so that a
 * missing QEMU is reported as such before any time is spent.
 */
static int find_in_path(const char *name, char *out, size_t outlen)
{
	if (strchr(name, '/')) {
		int n = snprintf(out, outlen, "%s", name);
		return (size_t)n < outlen && access(out, X_OK) == 0 ? 0 : -1;
	}
	const char *path = getenv("PATH");
	char *copy = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	if (!copy)
		return -1;
	int found = -1;
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && found < 0;
	     dir = strtok_r(NULL, ":", &save)) {
		int n = snprintf(out, outlen, "%s/%s", dir, name);
		if (n > 0 && (size_t)n < outlen && access(out, X_OK) == 0)
			found = 0;
	}
	free(copy);
	return found;
}

/* Both VMMs take the same spelling; K only when M would round. */
static void format_mem(uint64_t bytes, char *buf, size_t len)
{
	if (bytes % (1ull << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%lluK", (unsigned long long)(bytes >> 10));
}

static void set_argv(struct command *c, const char *const *words)
{
	size_t i = 0;
	for (; words[i] && i + 1 < MAX_ARGV; i++)
		c->argv[i] = words[i];
	c->argv[i] = NULL;
}

static void build_commands(const struct config *cfg, const char *qemu,
			   const char *mem, struct command cmd[NBACKENDS])
{
	set_argv(&cmd[B_FBVMM], (const char *const[]){
		cfg->fbvmm, "-q", "-m", mem, cfg->elf, NULL });
	cmd[B_FBVMM].pass_status = FB_EXIT_OK;
	/*
	 * -arch-capabilities: this machine's KVM rejects QEMU's write of
	 * MSR_IA32_ARCH_CAPABILITIES and QEMU aborts; the guest never
	 * reads it, so leaving it out does not change what is measured.
	 */
	set_argv(&cmd[B_QEMU], (const char *const[]){
		qemu, "-accel", "kvm", "-cpu", "host,-arch-capabilities",
		"-M", "microvm", "-m", mem, "-smp", "1", "-nodefaults",
		"-display", "none", "-no-reboot", "-kernel", cfg->elf,
		"-device", "isa-debug-exit,iobase=0xf4,iosize=4",
		"-serial", "stdio", "-monitor", "none", NULL });
	cmd[B_QEMU].pass_status = QEMU_PASS_STATUS;
	set_argv(&cmd[B_FLOOR], (const char *const[]){
		cfg->fbvmm, "--version", NULL });
	cmd[B_FLOOR].pass_status = FB_EXIT_OK;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * In the child between fork and execve: only async-signal-safe calls.
 * An execve failure is sent back through the close-on-exec pipe, so the
 * parent can tell "could not run" from "ran and failed".
 */
_Noreturn static void child_exec(const struct command *c, int devnull,
				 int errfd)
{
	dup2(devnull, STDIN_FILENO);
	dup2(devnull, STDOUT_FILENO);
	dup2(devnull, STDERR_FILENO);
	execve(c->argv[0], (char *const *)c->argv, environ);
	int e = errno;
	ssize_t n = write(errfd, &e, sizeof(e));
	(void)n;
	_exit(127);
}

static int read_exec_errno(int fd)
{
	int e = 0;
	ssize_t n;
	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(e) ? e : 0;
}

static int wait_child(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/*
 * Time exactly fork..waitpid: the pipe is made before the clock starts
 * and read after it stops, so only the process's own life is counted.
 */
static int spawn_timed(const struct command *c, int devnull,
		       struct spawn_result *res)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	int64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0)
		child_exec(c, devnull, pfd[1]);
	close(pfd[1]);
	int rc = pid < 0 ? -1 : wait_child(pid, &res->status);
	res->wall_ns = now_ns() - t0;
	int saved = errno;
	res->exec_errno = rc == 0 ? read_exec_errno(pfd[0]) : 0;
	close(pfd[0]);
	errno = saved;
	return rc;
}

static int run_ok(const struct command *c, const struct spawn_result *r)
{
	return r->exec_errno == 0 && WIFEXITED(r->status) &&
	       WEXITSTATUS(r->status) == c->pass_status;
}

/* What a failed status means for the backend that produced it. */
static const char *failure_hint(enum backend_id b, int code)
{
	if (b != B_QEMU && code == FB_EXIT_HOST_ERROR)
		return " (fbvmm host error: /dev/kvm unusable?)";
	if (b != B_QEMU && code == FB_EXIT_USAGE)
		return " (fbvmm rejected its arguments)";
	if (b != B_QEMU && code == FB_EXIT_BAD_IMAGE)
		return " (fbvmm rejected the guest ELF)";
	if (b == B_QEMU && code == 1)
		return " (QEMU failed to start; try it by hand)";
	return "";
}

static void report_failure(enum backend_id b, const struct command *c,
			   const char *phase, unsigned rep,
			   const struct spawn_result *r)
{
	fprintf(stderr, "bootbench: %s run failed (%s %u): ", backend_label[b],
		phase, rep);
	if (r->exec_errno)
		fprintf(stderr, "cannot execute %s: %s\n", c->argv[0],
			strerror(r->exec_errno));
	else if (WIFSIGNALED(r->status))
		fprintf(stderr, "killed by signal %d (%s)\n",
			WTERMSIG(r->status), strsignal(WTERMSIG(r->status)));
	else
		fprintf(stderr, "exit status %d, expected %d%s\n",
			WEXITSTATUS(r->status), c->pass_status,
			failure_hint(b, WEXITSTATUS(r->status)));
}

static void progress(const char *phase, unsigned i, unsigned n)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (tty)
		fprintf(stderr, "\rbootbench: %s %u/%u\033[K", phase, i, n);
}

static void progress_done(void)
{
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
}

/*
 * One repetition: a, b, c back to back. Warm-ups pass out == NULL.
 * Returns 0, or 1 after reporting a failed run.
 */
static int run_round(const struct command cmd[NBACKENDS], int devnull,
		     const char *phase, unsigned rep, int64_t *out[NBACKENDS])
{
	for (int b = 0; b < NBACKENDS; b++) {
		struct spawn_result r = { 0 };
		if (spawn_timed(&cmd[b], devnull, &r) < 0) {
			progress_done();
			fprintf(stderr, "bootbench: %s: fork/waitpid: %s\n",
				backend_label[b], strerror(errno));
			return 1;
		}
		if (!run_ok(&cmd[b], &r)) {
			progress_done();
			report_failure((enum backend_id)b, &cmd[b], phase, rep, &r);
			return 1;
		}
		if (out)
			out[b][rep - 1] = r.wall_ns;
	}
	return 0;
}

static int run_all(const struct command cmd[NBACKENDS], int devnull,
		   struct samples *s)
{
	for (unsigned i = 1; i <= WARMUPS; i++) {
		progress("warm-up", i, WARMUPS);
		if (run_round(cmd, devnull, "warm-up", i, NULL))
			return 1;
	}
	for (unsigned i = 1; i <= s->n; i++) {
		progress("rep", i, s->n);
		if (run_round(cmd, devnull, "rep", i, s->ns))
			return 1;
	}
	progress_done();
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Exact median; p90 by nearest rank: the ceil(0.9 n)-th smallest. */
static int summarize(const int64_t *ns, unsigned n, struct stats *st)
{
	int64_t *v = malloc(n * sizeof(*v));
	if (!v)
		return -1;
	memcpy(v, ns, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_i64);
	double mid = n % 2 ? (double)v[n / 2]
			   : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
	st->median_us = mid / 1e3;
	st->min_us = (double)v[0] / 1e3;
	st->p90_us = (double)v[(9 * (size_t)n + 9) / 10 - 1] / 1e3;
	free(v);
	return 0;
}

static void print_ratios(const struct stats st[NBACKENDS])
{
	double ratio = st[B_QEMU].median_us / st[B_FBVMM].median_us;
	double own = st[B_FBVMM].median_us - st[B_FLOOR].median_us;
	printf("ratio qemu/fbvmm (median): %.1fx  (target >= %.0fx)\n", ratio,
	       TARGET_RATIO);
	if (own > 0)
		printf("ratio qemu/(fbvmm - spawn floor): %.1fx  "
		       "(fbvmm's own VMM time, process creation excluded)\n",
		       st[B_QEMU].median_us / own);
	else
		printf("ratio qemu/(fbvmm - spawn floor): n/a  "
		       "(fbvmm median not above the spawn floor)\n");
	/* The target is the whole-process ratio, unrounded: no fudging. */
	printf("%s\n", ratio >= TARGET_RATIO ? "target met" : "target not met");
}

static int print_report(const struct config *cfg, const char *mem,
			const struct samples *s)
{
	struct stats st[NBACKENDS];
	for (int b = 0; b < NBACKENDS; b++)
		if (summarize(s->ns[b], s->n, &st[b]) < 0)
			return -1;
	printf("bootbench: empty PVH guest, mem %s, %u reps (+%u warm-up), "
	       "wall time of fork+execve+waitpid\n", mem, cfg->reps, WARMUPS);
	printf("%-14s %12s %12s %12s\n", "backend", "median_us", "min_us",
	       "p90_us");
	for (int b = 0; b < NBACKENDS; b++)
		printf("%-14s %12.1f %12.1f %12.1f\n", backend_label[b],
		       st[b].median_us, st[b].min_us, st[b].p90_us);
	print_ratios(st);
	return 0;
}

static void write_rows(FILE *f, const struct samples *s)
{
	fprintf(f, "backend,rep,wall_us\n");
	for (unsigned i = 0; i < s->n; i++)
		for (int b = 0; b < NBACKENDS; b++)
			fprintf(f, "%s,%u,%.3f\n", backend_label[b], i + 1,
				(double)s->ns[b][i] / 1e3);
}

/* Built in memory, then written whole: a reader never sees half a file. */
static int write_csv(const char *path, const struct samples *s)
{
	char *text = NULL, err[1024];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f)
		write_rows(f, s);
	int rc = !f || fclose(f) != 0 ? -1 : 0;
	if (rc < 0)
		errmsg_cannot(err, sizeof(err), "write", path, ENOMEM);
	else
		rc = atomic_write(path, text, len, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "bootbench: %s\n", err);
	free(text);
	return rc;
}

static int samples_alloc(struct samples *s, unsigned n)
{
	s->n = n;
	for (int b = 0; b < NBACKENDS; b++)
		s->ns[b] = calloc(n, sizeof(*s->ns[b]));
	for (int b = 0; b < NBACKENDS; b++)
		if (!s->ns[b])
			return -1;
	return 0;
}

static void samples_free(struct samples *s)
{
	for (int b = 0; b < NBACKENDS; b++)
		free(s->ns[b]);
}

/* Everything after option parsing; returns the exit code. */
static int bench(const struct config *cfg, const char *qemu, int devnull)
{
	char mem[32];
	struct command cmd[NBACKENDS];
	struct samples s;
	format_mem(cfg->mem_bytes, mem, sizeof(mem));
	build_commands(cfg, qemu, mem, cmd);
	int rc = 1;
	if (samples_alloc(&s, cfg->reps) < 0)
		fprintf(stderr, "bootbench: out of memory\n");
	else if (run_all(cmd, devnull, &s) == 0) {
		rc = print_report(cfg, mem, &s) < 0 ? 1 : 0;
		if (rc == 0 && cfg->csv && write_csv(cfg->csv, &s) < 0)
			rc = 1;
	}
	samples_free(&s);
	return rc;
}

int main(int argc, char **argv)
{
	struct config cfg;
	switch (parse_args(argc, argv, &cfg)) {
	case PARSE_HELP:
		usage(stdout);
		return 0;
	case PARSE_ERROR:
		return 2;
	case PARSE_RUN:
		break;
	}
	char qemu[PATH_MAX];
	if (find_in_path(cfg.qemu, qemu, sizeof(qemu)) < 0) {
		fprintf(stderr, "bootbench: %s not found\n", cfg.qemu);
		return 1;
	}
	/* Opened once, outside the timed region, shared by every child. */
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "bootbench: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	int rc = bench(&cfg, qemu, devnull);
	close(devnull);
	return rc;
}
