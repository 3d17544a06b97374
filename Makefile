# forkbench: `make` builds the VMM and the guest kernels; `make test` runs
# every suite; `make sanitize` rebuilds the host code with ASan+UBSan.

BUILD    ?= build
CC       ?= cc
SANITIZE ?=

# Every host program sees include/ and lib/; vmm/ and bench/ headers only
# their own objects (and the tests) see, so forkbench cannot reach into
# the monitor. Header names are unique across all four directories.
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude -Ilib \
	-DFB_SRC_DIR='"$(CURDIR)"'
# libcpuid identifies the host CPU for results metadata (lib/hostinfo.c).
HOST_CFLAGS += $(shell pkg-config --cflags libcpuid)
HOST_LIBS   := $(shell pkg-config --libs libcpuid)
# json-c reads meta.json files back (bench/meta.c): forkbench, its tests
# and the fuzz targets; fbvmm only writes JSON and does not link it.
JSON_CFLAGS := $(shell pkg-config --cflags json-c)
JSON_LIBS   := $(shell pkg-config --libs json-c)
ifeq ($(SANITIZE),1)
HOST_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
HOST_LDFLAGS += -fsanitize=address,undefined
endif

GUEST_CFLAGS := -std=c11 -ffreestanding -fno-builtin -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-m64 -mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -O2 -g -Wall -Wextra -Werror \
	-Wstrict-prototypes -Wmissing-prototypes -Iinclude -Iguest
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
	-z noexecstack -Wl,--build-id=none -T guest/guest.ld

# lib/: what fbvmm and forkbench share (host facts, result writing,
# parsing, clocks); vmm/: the monitor only; bench/: forkbench only.
LIB_SRCS  := $(wildcard lib/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
VMM_SRCS  := $(filter-out vmm/main.c,$(wildcard vmm/*.c))
VMM_OBJS  := $(VMM_SRCS:%.c=$(BUILD)/%.o)
# The guest kernel's folders (README, "The guest's process model"); its
# includes name the folder: #include "kernel/fork.h".
GUEST_DIRS := boot kernel cmd tests
GUEST_SRCS := $(foreach d,$(GUEST_DIRS),$(wildcard guest/$(d)/*.c guest/$(d)/*.S))
GUEST_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(GUEST_SRCS)))
GUEST_HDRS := $(foreach d,$(GUEST_DIRS),$(wildcard guest/$(d)/*.h)) $(wildcard include/*.h)
BENCH_SRCS := $(filter-out bench/main.c bench/bootbench.c,$(wildcard bench/*.c))
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/%.o)
# The Linux peer's /init (peer/): static, never sanitized (no static ASan),
# built from the guest's record writer and forkbench host's scenarios.
PEER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude -Ilib \
	-Iguest -Ibench -Ipeer
PEER_HOST_SRCS := $(addprefix bench/host_,batch.c child.c emit.c measure.c note.c \
	opts.c order.c probes.c region.c samples.c tsc.c) bench/resultset.c \
	lib/parse.c lib/cli.c lib/csvjson.c lib/tsc_freq.c
PEER_SRCS := $(filter-out peer/mkinitramfs.c,$(wildcard peer/*.c)) \
	guest/kernel/record.c $(PEER_HOST_SRCS)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test sanitize clean bench figures odf-figure bootbench deps fuzz
all: $(BUILD)/fbvmm $(BUILD)/guest.elf $(BUILD)/empty.elf $(UNIT_BINS) \
	$(BUILD)/bootbench $(BUILD)/forkbench $(BUILD)/tests/fakekvm.so \
	$(BUILD)/peer/initramfs.cpio

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/vmm/%.o: vmm/%.c $(wildcard vmm/*.h lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Ivmm -c $< -o $@

$(BUILD)/fbvmm: $(BUILD)/vmm/main.o $(VMM_OBJS) $(LIB_OBJS)
	$(CC) $(HOST_LDFLAGS) $^ $(HOST_LIBS) -o $@

# bench/ sees plugin/sizes.h: forkbench run sizes the probes' passes by
# the fbsim model's own geometry (the plugin's rules, one implementation).
SIM_SIZES_OBJ := $(BUILD)/plugin/sizes.o

$(BUILD)/bench/%.o: bench/%.c $(wildcard bench/*.h lib/*.h include/*.h plugin/sizes.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(JSON_CFLAGS) -Ibench -Iplugin -c $< -o $@

$(SIM_SIZES_OBJ): plugin/sizes.c plugin/sizes.h
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iplugin -c $< -o $@

# No monitor object: forkbench drives fbvmm as a separate program.
$(BUILD)/forkbench: $(BUILD)/bench/main.o $(BENCH_OBJS) $(SIM_SIZES_OBJ) $(LIB_OBJS)
	$(CC) $(HOST_LDFLAGS) $^ $(HOST_LIBS) $(JSON_LIBS) -lm -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(VMM_OBJS) $(BENCH_OBJS) $(SIM_SIZES_OBJ) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(JSON_CFLAGS) -Ivmm -Ibench -Iplugin $< $(VMM_OBJS) \
		$(BENCH_OBJS) $(SIM_SIZES_OBJ) $(LIB_OBJS) $(HOST_LDFLAGS) -lcriterion \
		$(HOST_LIBS) $(JSON_LIBS) -lm -o $@

# A KVM device that opens but refuses (LD_PRELOAD), for the no-KVM tests.
# Not sanitized: it is preloaded ahead of the sanitizer runtime.
$(BUILD)/tests/fakekvm.so: tests/fakekvm/fakekvm.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC $< -ldl -o $@

$(BUILD)/guest/%.o: guest/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.o: guest/%.S $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest.elf: $(GUEST_OBJS) guest/guest.ld
	$(CC) $(GUEST_LDFLAGS) $(filter %.o,$^) -o $@

$(BUILD)/peer/init: $(PEER_SRCS) $(wildcard peer/*.h bench/*.h lib/*.h include/*.h guest/kernel/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(PEER_CFLAGS) -static $(PEER_SRCS) -lpthread -o $@

$(BUILD)/peer/true: peer/true.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -Wl,--build-id=none -z noexecstack $< -o $@

$(BUILD)/mkinitramfs: peer/mkinitramfs.c $(LIB_OBJS)
	$(CC) $(HOST_CFLAGS) $< $(LIB_OBJS) $(HOST_LDFLAGS) $(HOST_LIBS) -o $@

$(BUILD)/peer/initramfs.cpio: $(BUILD)/mkinitramfs $(BUILD)/peer/init $(BUILD)/peer/true
	$(BUILD)/mkinitramfs $@ init=$(BUILD)/peer/init bin/true=$(BUILD)/peer/true

# The boot benchmark's guest: PVH entry straight to the exit port.
$(BUILD)/empty.elf: $(BUILD)/guest/empty/empty.o guest/guest.ld
	$(CC) $(GUEST_LDFLAGS) $(filter %.o,$^) -o $@

$(BUILD)/guest/empty/%.o: guest/empty/%.S include/fb_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

# Boot benchmark: whole-process wall time of fbvmm vs QEMU microvm.
$(BUILD)/bootbench: bench/bootbench.c $(LIB_OBJS) $(wildcard include/*.h lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $< $(LIB_OBJS) $(HOST_LDFLAGS) $(HOST_LIBS) -o $@

bootbench: all
	$(BUILD)/bootbench --fbvmm $(BUILD)/fbvmm --elf $(BUILD)/empty.elf

# The main job: the default sweep; the Linux peer guest on the same
# backend (kvm's peer runs on qemu-kvm: the same TSC) for the figures'
# variants and scenarios; the host-native Linux baseline; the plots: ours
# beside the peer (one clock), the host-native set on its own; then the
# on-demand fork sweep, its figures and ratios. The peer and the baseline
# stop at 256M so that the whole job stays near 10 minutes on 2 cores
# (8.0 here: guest 5.2 with the fbsim model for tlb and cache up to 64M,
# peer 1.2, baseline 1.6 with tlb and cache; the on-demand fork sweep and
# its peer add about 1.8, estimated from the copy and cow timings).
# RUN names this run's result sets; results/latest points at the newest.
RUN ?= $(shell date -u +%Y%m%d-%H%M%S)
FORKBENCH := $(BUILD)/forkbench
PEER_SIZES := 0,1M,4M,16M,64M,256M
PEER_VARIANTS := linux_fork,linux_vfork,linux_posix_spawn
PEER_SCENARIOS := create,exec_wait
# The backend a guest sweep (DIR) chose, as the peer can run it.
backend_of = $$(sed -n 's/^  "backend": "\([a-z-]*\)",$$/\1/p' \
	$(1)/meta.json | sed 's/^kvm$$/qemu-kvm/')
peer_backend = $(call backend_of,results/$(RUN))
fig1_backend = $(call backend_of,results/$(RUN)-fig1)
# The on-demand fork figures and ratios (README, "The on-demand fork
# figures"): the fork variants, create and first_write, 3 reps, up to 1G
# (about 1.5 minutes here), and the Linux peer's fork of 4 KiB and of
# transparent huge pages on the same backend up to 256M (about 20 s; its
# 1G alone takes 30 s, so make odf-figure has it, and the ratios beside
# Linux's references).
ODF_VARIANTS := copy,cow,odf,huge_copy,huge_split,spawn
ODF_SCENARIOS := create,first_write
ODF_SIZES := 0,1M,16M,256M,1G
ODF_PEER_VARIANTS := linux_fork,linux_fork_thp
ODF_PEER_SIZES := 1M,16M,256M
odf_backend = $(call backend_of,results/$(RUN)-odf)

bench: all
	$(FORKBENCH) run -o results/$(RUN)
	$(FORKBENCH) run --os linux -b $(peer_backend) -o results/$(RUN)-peer \
		--sizes $(PEER_SIZES) --variants $(PEER_VARIANTS) \
		--scenarios $(PEER_SCENARIOS)
	$(FORKBENCH) host --out results/$(RUN)-linux --sizes $(PEER_SIZES)
	$(FORKBENCH) plot --out plots/out/$(RUN) results/$(RUN) results/$(RUN)-peer
	$(FORKBENCH) plot --out plots/out/$(RUN)-linux results/$(RUN)-linux
	ln -sfn $(RUN) results/latest
	ln -sfn $(RUN)-peer results/latest-peer
	ln -sfn $(RUN)-linux results/latest-linux
	$(FORKBENCH) run -o results/$(RUN)-odf --variants $(ODF_VARIANTS) \
		--scenarios $(ODF_SCENARIOS) --sizes $(ODF_SIZES) --reps 3
	$(FORKBENCH) run --os linux -b $(odf_backend) -o results/$(RUN)-odf-peer \
		--variants $(ODF_PEER_VARIANTS) --scenarios create \
		--sizes $(ODF_PEER_SIZES) --reps 3
	$(FORKBENCH) plot --out plots/out/$(RUN)-odf results/$(RUN)-odf \
		results/$(RUN)-odf-peer
	$(FORKBENCH) ratios results/$(RUN)-odf
	@echo "bench: results in results/$(RUN) (peer: -peer, host-native:" \
		"-linux, on-demand fork: -odf, -odf-peer), figures in" \
		"plots/out/$(RUN), plots/out/$(RUN)-linux and plots/out/$(RUN)-odf"

# "A fork() in the road", Figure 1: fork+exec, vfork+exec, posix_spawn
# against parent size: our guest beside the Linux peer guest on the same
# backend, and host-native Linux in its own figure.
figures: all
	$(FORKBENCH) run -o results/$(RUN)-fig1 --scenarios exec_wait \
		--variants cow,vfork --reps 5
	$(FORKBENCH) run --os linux -b $(fig1_backend) \
		-o results/$(RUN)-fig1-peer --scenarios exec_wait \
		--variants linux_fork,linux_vfork,linux_posix_spawn --reps 5
	$(FORKBENCH) host --out results/$(RUN)-fig1-linux --scenarios exec_wait \
		--variants linux_fork,linux_vfork,linux_posix_spawn
	$(FORKBENCH) plot --out plots/out/$(RUN)-fig1 results/$(RUN)-fig1 \
		results/$(RUN)-fig1-peer
	$(FORKBENCH) plot --out plots/out/$(RUN)-fig1-linux results/$(RUN)-fig1-linux
	@echo "figures: plots/out/$(RUN)-fig1/fork_in_the_road.png (and .svg)," \
		"host-native: plots/out/$(RUN)-fig1-linux"

# The on-demand fork figure over its whole range, 1M to 8G (README, "The
# on-demand fork figures"), our guest's variants beside the Linux peer's
# fork of 4 KiB and of huge pages on the same backend, then the ratios
# with Linux's references. Guest RAM follows the parent (forkbench run
# sizes it): an 8G parent needs about 16 GiB of host memory. About 20
# minutes here (qemu-tcg-det), most of it at 4G and 8G.
ODF_FULL_SIZES := 0,1M,4M,16M,64M,256M,1G,2G,4G,8G
ODF_FULL_PEER_SIZES := 1M,4M,16M,64M,256M,1G,2G,4G,8G
odf_full_backend = $(call backend_of,results/$(RUN)-odf-full)

odf-figure: all
	$(FORKBENCH) run -o results/$(RUN)-odf-full --variants $(ODF_VARIANTS) \
		--scenarios $(ODF_SCENARIOS) --sizes $(ODF_FULL_SIZES) --reps 3
	$(FORKBENCH) run --os linux -b $(odf_full_backend) \
		-o results/$(RUN)-odf-full-peer --variants $(ODF_PEER_VARIANTS) \
		--scenarios create --sizes $(ODF_FULL_PEER_SIZES) --reps 3
	$(FORKBENCH) plot --out plots/out/$(RUN)-odf-full \
		results/$(RUN)-odf-full results/$(RUN)-odf-full-peer
	$(FORKBENCH) ratios results/$(RUN)-odf-full results/$(RUN)-odf-full-peer
	@echo "odf-figure: plots/out/$(RUN)-odf-full/odf.png and" \
		"first_write.png (and .svg)"

# The performance check (README, "The performance check"): forkbench
# ci's profile on the working tree (its fbvmm and guest.elf in $(BUILD),
# built here first, with this make's flags: ci's own make then finds
# them up to date) against the committed baseline; skipped, saying why,
# where the compiler or QEMU differs from the baseline's. make
# perf-baseline measures a new baseline: commit it with the change that
# moved the numbers, the message saying why. tests/run.sh runs
# perf-check as its last suite.
PERF_BASELINE := results/baseline
PERF_DEPS := $(BUILD)/forkbench $(BUILD)/fbvmm $(BUILD)/guest.elf
.PHONY: perf-check perf-baseline
perf-check: $(PERF_DEPS)
	$(FORKBENCH) ci --baseline $(PERF_BASELINE) --build $(BUILD)

perf-baseline: $(PERF_DEPS)
	$(FORKBENCH) ci --save-baseline $(PERF_BASELINE) --build $(BUILD)

# Install the missing Debian packages (apt-get; needs root when any are).
deps:
	scripts/deps.sh

test: all
	tests/run.sh $(BUILD)

sanitize:
	$(MAKE) BUILD=build-san SANITIZE=1 test

clean:
	rm -rf build build-san

# fbsim (plugin/README.md): the TLB/cache model as a QEMU TCG plugin,
# built once scripts/qemu_plugin_header.sh (run by scripts/deps.sh) has
# put QEMU's plugin header in build/qemu-plugin (for every BUILD: the
# sanitized tree uses it too); without it `make` builds the rest and the
# plugin's tests skip. QEMU loads
# the plugin, so it is never sanitized. The model (plugin/*.c but
# fbsim.c) knows nothing of QEMU: its unit test links it, sanitized with
# the other tests. The smoke guest runs under the plugin in that test.
# -fvisibility=hidden: QEMU exports its own symbols to plugins (it has a
# tlb_init too), so the plugin's must bind inside it.
SIM_MODEL_SRCS := $(filter-out plugin/fbsim.c,$(wildcard plugin/*.c))
SIM_HDRS := $(wildcard plugin/*.h) include/fb_sim.h
SIM_PLUGIN_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude -Iplugin \
	-shared -fPIC -fvisibility=hidden
SMOKE_SRCS := $(wildcard plugin/smoke/*.c plugin/smoke/*.S)
QEMU_PLUGIN_HDR ?= build/qemu-plugin
ifneq ($(wildcard $(QEMU_PLUGIN_HDR)/qemu-plugin.h),)
all: $(BUILD)/plugin/fbsim.so $(BUILD)/plugin/smoke.elf
endif

$(BUILD)/plugin/fbsim.so: plugin/fbsim.c $(SIM_MODEL_SRCS) $(SIM_HDRS) \
		$(QEMU_PLUGIN_HDR)/qemu-plugin.h
	@mkdir -p $(dir $@)
	$(CC) $(SIM_PLUGIN_CFLAGS) -I$(QEMU_PLUGIN_HDR) \
		$$(pkg-config --cflags glib-2.0) plugin/fbsim.c \
		$(SIM_MODEL_SRCS) -o $@

$(BUILD)/plugin/smoke.elf: $(SMOKE_SRCS) plugin/smoke/smoke.ld \
		plugin/smoke/smoke.h include/fb_sim.h include/fb_abi.h
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -Iplugin/smoke -nostdlib -static -no-pie \
		-z max-page-size=0x1000 -z noexecstack -Wl,--build-id=none \
		-T plugin/smoke/smoke.ld $(SMOKE_SRCS) -o $@

$(BUILD)/tests/test_sim_model: tests/unit/test_sim_model.c tests/unit/testutil.h \
		$(SIM_MODEL_SRCS) $(SIM_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -Iplugin $< $(SIM_MODEL_SRCS) $(HOST_LDFLAGS) \
		-lcriterion -o $@

include tests/fuzz/fuzz.mk
