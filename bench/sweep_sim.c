/* The sweep's use of the fbsim model (sweep_sim.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fb_vocab.h"
#include "sizes.h"
#include "sweep_sim.h"

/* The model's geometry for the sweep's preset (plugin/sizes.c's rules). */
static struct sim_sizes model;

void sweep_sim_plugin(const struct sweep_params *p, char *buf, size_t len)
{
	const char *slash = strrchr(p->fbvmm, '/');
	int dir = slash ? (int)(slash - p->fbvmm) : 0;
	snprintf(buf, len, "%.*s%splugin/fbsim.so", dir, p->fbvmm,
		 slash ? "/" : "");
}

static int is_tcg(const char *backend)
{
	return strcmp(backend, "qemu-tcg") == 0 ||
	       strcmp(backend, "qemu-tcg-det") == 0;
}

int sweep_sim_resolve(struct sweep_params *p, char *why, size_t len)
{
	char plugin[4096];
	int on = p->sim && strcmp(p->sim, "on") == 0;
	p->sim_on = 0;
	if (p->sim && strcmp(p->sim, "off") == 0) {
		snprintf(why, len, "off (--sim off)");
		return 0;
	}
	if (!is_tcg(p->backend)) {
		snprintf(why, len, "off: the model is a QEMU TCG plugin and the "
			 "backend is %s", p->backend);
		return on ? -1 : 0;
	}
	char err[256];
	const char *preset = p->sim_preset ? p->sim_preset : "cpuid";
	int sized = strcmp(preset, "cpuid") == 0
			    ? sim_sizes_cpuid(sim_host_cpuid, &model, err,
					      sizeof(err))
			    : sim_sizes_preset(preset, &model);
	if (sized < 0) {
		snprintf(why, len, "off: --sim-preset %s: %s", preset,
			 strcmp(preset, "cpuid") == 0
				 ? err : "not cpuid, skylake or zen3");
		return on ? -1 : 0;
	}
	sweep_sim_plugin(p, plugin, sizeof(plugin));
	if (access(plugin, R_OK) < 0) {
		snprintf(why, len, "off: %s: %s (scripts/deps.sh fetches QEMU's "
			 "plugin header, then make builds it)", plugin,
			 strerror(errno));
		return on ? -1 : 0;
	}
	p->sim_on = 1;
	p->sim_all = on;
	snprintf(why, len, "on for tlb and cache%s (%s, %s)",
		 on ? "" : " up to " SWEEP_SIM_AUTO_MAX_NAME, plugin,
		 model.source);
	return 0;
}

int sweep_sim_applies(const struct sweep_params *p, const char *scenario,
		      uint64_t size)
{
	return p->sim_on && (p->sim_all || size <= SWEEP_SIM_AUTO_MAX) &&
	       (strcmp(scenario, fb_scenario_names[FB_SC_TLB]) == 0 ||
		strcmp(scenario, fb_scenario_names[FB_SC_CACHE]) == 0);
}

void sweep_sim_fbvmm_args(const struct sweep_params *p, char **argv,
			  size_t *n)
{
	argv[(*n)++] = "--sim";
	if (p->sim_preset) {
		argv[(*n)++] = "--sim-preset";
		argv[(*n)++] = (char *)p->sim_preset;
	}
}

void sweep_sim_guest_words(char **words, size_t *n)
{
	static char stlb[32], hot[32];
	snprintf(stlb, sizeof(stlb), "stlb=%u", model.stlb.entries);
	snprintf(hot, sizeof(hot), "hot_kb=%llu",
		 (unsigned long long)(model.l2.bytes / 1024 / 2));
	words[(*n)++] = "sim=on";
	words[(*n)++] = stlb;
	words[(*n)++] = hot;
}
