/* Loading a result set for plotting: its metrics and what meta.json says. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meta.h"
#include "plot_set.h"

/* A meta.json scalar, or "unknown": titles must still say something. */
static void meta_or_unknown(const char *path, const char *key, char *out,
			    size_t len)
{
	if (meta_get(path, key, out, len) < 0 || !out[0])
		snprintf(out, len, "unknown");
}

/* Control characters would end a gnuplot -e string early: blank them. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

const char *plot_verdict_text(const char *verdict)
{
	static const struct { const char *verdict, *text; } texts[] = {
		{ "valid", "valid: hardware virtualization" },
		{ "emulated", "emulated: not hardware timing" },
		{ "deterministic", "deterministic: not hardware cycles" },
		{ "native", "native: this host's Linux" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if (strcmp(verdict, texts[i].verdict) == 0)
			return texts[i].text;
	return "validity unknown";
}

void plot_set_describe(struct plot_set *s)
{
	const char *native = strcmp(s->backend, "linux") == 0 || s->peer
				     ? s->kernel : NULL;
	snprintf(s->subtitle, sizeof(s->subtitle), "%s%s%s, backend %s (%s)",
		 s->cpu, native ? ", " : "", native ? native : "", s->backend,
		 plot_verdict_text(s->verdict));
	printable(s->subtitle);
}

/* Drop variants whose names cannot be file names, saying so. */
static void keep_safe_variants(struct plot_set *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->variants.n; i++) {
		if (plot_name_safe(s->variants.name[i])) {
			memmove(s->variants.name[kept++], s->variants.name[i],
				sizeof(*s->variants.name));
			continue;
		}
		fprintf(stderr, "plot: %s: variant '%s' ignored (names must be "
			"letters, digits, '_', '.', '-')\n", s->dir,
			s->variants.name[i]);
	}
	s->variants.n = kept;
}

static int read_meta(struct plot_set *s, char *err, size_t errlen)
{
	char path[4096];
	if (path_join(path, sizeof(path), s->dir, META_JSON) < 0) {
		snprintf(err, errlen, "%s: path too long", s->dir);
		return -1;
	}
	if (access(path, R_OK) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	meta_or_unknown(path, "backend", s->backend, sizeof(s->backend));
	meta_or_unknown(path, "validity.verdict", s->verdict,
			sizeof(s->verdict));
	meta_or_unknown(path, "host.cpu_brand", s->cpu, sizeof(s->cpu));
	meta_or_unknown(path, "host.kernel", s->kernel, sizeof(s->kernel));
	char kind[32];
	s->peer = meta_get(path, "kind", kind, sizeof(kind)) == 0 &&
		  strcmp(kind, "linux-guest") == 0;
	if (s->peer) { /* the kernel that ran: its release, the version's
			  first word */
		meta_or_unknown(path, "linux-guest.kernel_version", s->kernel,
				sizeof(s->kernel));
		s->kernel[strcspn(s->kernel, " ")] = '\0';
	}
	/* No frequency: cycles cannot become time; figures needing it say so. */
	if (meta_get_number(path, "clock.tsc_khz", &s->tsc_khz) < 0 ||
	    !(s->tsc_khz > 0))
		s->tsc_khz = 0;
	return 0;
}

int plot_set_load(struct plot_set *s, const char *dir, char *err,
		  size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	err[0] = '\0';
	/* the warm-up is never drawn: its cold caches lie */
	if (metrics_read_set(dir, &s->t, err, errlen) < 0)
		return -1;
	if (read_meta(s, err, errlen) < 0 || plot_variants(&s->t, &s->variants)) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		plot_set_free(s);
		return -1;
	}
	keep_safe_variants(s);
	/* fbvmm writes a qemu-tcg-det set's timings in instructions. */
	for (size_t i = 0; i < s->t.n && !s->instructions; i++)
		s->instructions = strcmp(s->t.rows[i].unit, "instructions") == 0;
	plot_set_describe(s);
	return 0;
}

void plot_set_free(struct plot_set *s)
{
	metrics_free(&s->t);
	plot_names_free(&s->variants);
}
