/*
 * fbsim: a QEMU TCG plugin (API 1, QEMU 7.2) that runs a data-TLB and
 * cache model over the guest's memory accesses and counts, between the
 * guest's BEGIN and END markers (include/fb_sim.h), instructions, loads,
 * stores and the model's misses. This file is the QEMU glue only: the
 * model and the protocol live in simulator.c and below, which unit tests
 * drive without QEMU. See plugin/README.md.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <qemu-plugin.h>

#include "plugin_args.h"
#include "insn.h"
#include "simulator.h"
#include "sizes.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/*
 * One vCPU (install refuses more), so plain globals: the callbacks run
 * on its thread, the exit callback after it stopped.
 */
static struct sim sim;
static uint64_t insns; /* every instruction but markers adds 1 inline */
static FILE *out;

static void on_marker(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	uintptr_t v = (uintptr_t)udata;
	sim_marker(&sim, (unsigned)(v >> 8), (unsigned)(v & 0xff));
}

static void on_cr3_write(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	sim_cr3_write(&sim);
}

static void on_invlpg(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	sim_invlpg(&sim);
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info,
		   uint64_t va, void *udata)
{
	(void)vcpu;
	(void)udata;
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, va);
	int io = !hw || qemu_plugin_hwaddr_is_io(hw);
	uint64_t pa = io ? 0 : qemu_plugin_hwaddr_phys_addr(hw);
	sim_access(&sim, va, pa, qemu_plugin_mem_size_shift(info),
		   qemu_plugin_mem_is_store(info), io);
}

/*
 * Counting is per instruction and inline (an add, no call), so a region
 * may begin anywhere in a translation block and still count exactly.
 * Markers get a callback and no count; CR3 writes and invlpg a callback
 * as well as their count.
 */
static void instrument(struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);
	size_t len = qemu_plugin_insn_size(insn);
	unsigned op, tag;
	if (insn_marker(b, len, &op, &tag)) {
		qemu_plugin_register_vcpu_insn_exec_cb(
			insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
			(void *)(uintptr_t)(op << 8 | tag));
		return;
	}
	qemu_plugin_register_vcpu_insn_exec_inline(
		insn, QEMU_PLUGIN_INLINE_ADD_U64, &insns, 1);
	if (insn_cr3_write(b, len))
		qemu_plugin_register_vcpu_insn_exec_cb(
			insn, on_cr3_write, QEMU_PLUGIN_CB_NO_REGS, NULL);
	else if (insn_invlpg(b, len))
		qemu_plugin_register_vcpu_insn_exec_cb(
			insn, on_invlpg, QEMU_PLUGIN_CB_NO_REGS, NULL);
	qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS,
					 QEMU_PLUGIN_MEM_RW, NULL);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	for (size_t i = 0; i < n; i++)
		instrument(qemu_plugin_tb_get_insn(tb, i));
}

static void on_qemu_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	sim_finish(&sim);
	fclose(out);
	out = NULL;
	sim_free(&sim);
}

static int refuse(const char *why)
{
	fprintf(stderr, "fbsim: %s\n", why);
	return -1;
}

static int model_sizes(const char *preset, struct sim_sizes *sz, char *err,
		       size_t errlen)
{
	if (strcmp(preset, "cpuid") != 0)
		return sim_sizes_preset(preset, sz);
	char why[200];
	if (sim_sizes_cpuid(sim_host_cpuid, sz, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "preset=cpuid: %s (give preset=skylake or "
		 "preset=zen3)", why);
	return -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	char err[300];
	struct sim_args a;
	struct sim_sizes sz;
	if (sim_args_parse(argc, argv, &a, err, sizeof(err)))
		return refuse(err);
	if (!info->system_emulation)
		return refuse("system emulation only (qemu-system-*)");
	if (info->system.smp_vcpus != 1 || info->system.max_vcpus != 1)
		return refuse("one vCPU only (-smp 1): the model is one core's");
	if (model_sizes(a.preset, &sz, err, sizeof(err)) ||
	    sim_sizes_check(&sz, err, sizeof(err)))
		return refuse(err);
	out = fopen(a.out, "w");
	if (!out) {
		snprintf(err, sizeof(err), "out=%s: %s", a.out, strerror(errno));
		return refuse(err);
	}
	if (sim_init(&sim, &sz, &a, &insns, out, err, sizeof(err))) {
		fclose(out);
		return refuse(err);
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
