/*
 * Splitting the command line: kernel parameters (key=value words, which
 * the host puts first), then the command and its arguments. A malformed
 * word ends the run as a bad command naming it, before anything runs.
 */
#include "boot/cmdline.h"
#include "cmd/pmu.h"
#include "kernel/bootinfo.h"
#include "kernel/end.h"
#include "kernel/lib.h"

static const char *set_tsc_khz(const char *v)
{
	return parse_u64(v, strlen(v), &boot.tsc_khz) < 0 ? "is not a number"
							  : 0;
}

static const char *set_pmu(const char *v)
{
	const char *why = pmu_events_problem(v);
	if (!why)
		memcpy(boot.pmu_events, v, strlen(v) + 1);
	return why;
}

static const struct param {
	const char *key;
	const char *(*set)(const char *val); /* NULL, or what is wrong */
} params[] = {
	{ "tsc_khz", set_tsc_khz },
	{ "pmu", set_pmu },
};

/* The host sets each parameter once: a second one would override it. */
static unsigned params_seen;

static const struct param *find_param(const char *key, size_t klen)
{
	for (unsigned i = 0; i < ARRAY_SIZE(params); i++)
		if (strlen(params[i].key) == klen &&
		    strncmp(key, params[i].key, klen) == 0)
			return &params[i];
	return 0;
}

/* boot.bats and users grep for this prefix; the reason follows it. */
#define BAD_PARAM "cmdline: unknown or malformed kernel parameter"

__attribute__((noreturn)) static void unknown_param(const char *word)
{
	char known[64];
	size_t n = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(params) && n < sizeof(known); i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, " %s",
				      params[i].key);
	badcmd(BAD_PARAM " '%s': no such parameter (known:%s)", word, known);
}

static void set_param(const char *word)
{
	const char *eq = word;
	while (*eq != '=')
		eq++;
	const struct param *p = find_param(word, (size_t)(eq - word));
	if (!p)
		unknown_param(word);
	const char *val = eq + 1, *why;
	if (!*val)
		badcmd(BAD_PARAM " '%s': no value", word);
	/* The value first: a malformed one says more than "given twice". */
	if ((why = p->set(val)))
		badcmd(BAD_PARAM " '%s': the value %s", word, why);
	unsigned bit = 1u << (p - params);
	if (params_seen & bit)
		badcmd(BAD_PARAM " '%s': %s given twice (the host sets it)",
		       word, p->key);
	params_seen |= bit;
}

static int has_equals(const char *s)
{
	for (; *s; s++)
		if (*s == '=')
			return 1;
	return 0;
}

/* The next space-separated word, terminated in place; NULL at the end. */
static char *next_word(char **p)
{
	while (**p == ' ')
		*(*p)++ = '\0';
	if (!**p)
		return 0;
	char *w = *p;
	while (**p && **p != ' ')
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	return w;
}

/* Every message may quote a word: bound them all here, once. */
static void check_length(const char *w)
{
	size_t n = strlen(w);
	if (n <= ARG_LEN_MAX)
		return;
	char head[25];
	memcpy(head, w, sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	badcmd("cmdline: a word of %zu bytes, more than %d: '%s...'", n,
	       ARG_LEN_MAX, head);
}

void cmdline_parse(void)
{
	char *p = boot.cmdline, *w;
	boot.argc = 0;
	while ((w = next_word(&p))) {
		check_length(w);
		if (boot.argc == 0 && has_equals(w)) {
			set_param(w);
			continue;
		}
		if (boot.argc == MAX_ARGS)
			badcmd("cmdline: more than %d words for the command "
			       "and its arguments", MAX_ARGS);
		boot.argv[boot.argc++] = w;
	}
}
