# libFuzzer targets, one per parser of outside input (tests/fuzz/fuzz_*.c),
# included by the top-level Makefile. `make fuzz` fuzzes each target for
# FUZZ_SECONDS (FUZZ_RUNS, if set, also stops it after that many inputs);
# `make test` replays every committed corpus and fuzzes each target for a
# few seconds (tests/fuzz/run_tap.sh).

FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?=
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

# libFuzzer comes with clang's runtime (Debian: libclang-rt-14-dev); with
# no clang or no runtime the targets are not built and make test skips them.
# (-print-runtime-dir: one clang call per make run, to find the archive.)
FUZZ_RT := $(wildcard $(shell $(FUZZ_CC) -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-x86_64.a)

# The host code's own flags, minus what only gcc takes and minus SANITIZE's
# sanitizers (replaced by the fuzzing set); every object is instrumented so
# the fuzzer sees coverage inside the parsers, not just in the harnesses.
FUZZ_GCC_ONLY := -fanalyzer -Wlogical-op -Wduplicated-cond \
	-Wduplicated-branches -Wjump-misses-init -Wformat-truncation=% \
	-Wformat-overflow=% -Wstringop-overflow=% -Wstringop-truncation
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS := $(filter-out $(FUZZ_GCC_ONLY) -fsanitize=% \
	-fno-sanitize-recover=%,$(HOST_CFLAGS)) $(FUZZ_SAN) \
	$(JSON_CFLAGS) -fsanitize=fuzzer-no-link -Ivmm -Ibench -Itests/fuzz

# The library, the VMM and the bench parsers as one archive: the linker
# takes from it only the objects a target needs, so a target's link
# follows its parser's dependencies (metrics_read pulls csvjson.c...).
# Of bench/ only the parsers: the rest is not needed and not all of it is
# clang-clean (clang's __get_cpuid_max returns int). Members are named
# dir-file.o so that two directories' files of one name could never
# replace each other in the archive.
# run.c's --sim check names the plugin beside fbvmm (sweep_sim.c), whose
# model sizes come from plugin/sizes.c; --parent-pages is sweep_pages.c's.
FUZZ_BENCH_SRCS := bench/resultset.c bench/meta.c bench/host_opts.c \
	bench/sweep_sim.c bench/sweep_pages.c
FUZZ_LIB_OBJS := $(LIB_SRCS:lib/%.c=$(FUZZ_DIR)/lib/lib-%.o) \
	$(VMM_SRCS:vmm/%.c=$(FUZZ_DIR)/lib/vmm-%.o) \
	$(FUZZ_BENCH_SRCS:bench/%.c=$(FUZZ_DIR)/lib/bench-%.o) \
	$(FUZZ_DIR)/lib/plugin-sizes.o

$(FUZZ_DIR)/lib/lib-%.o: lib/%.c $(wildcard lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/lib/vmm-%.o: vmm/%.c $(wildcard vmm/*.h lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/lib/bench-%.o: bench/%.c $(wildcard bench/*.h lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iplugin -c $< -o $@

$(FUZZ_DIR)/lib/plugin-sizes.o: plugin/sizes.c plugin/sizes.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iplugin -c $< -o $@

$(FUZZ_DIR)/libforkbench.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/obj/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h \
		$(wildcard bench/*.h vmm/*.h lib/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# It compiles bench/run.c itself to reach the static option parsers.
$(FUZZ_DIR)/obj/fuzz_run_opts.o: bench/run.c

$(FUZZ_BINS): $(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/%.o $(FUZZ_DIR)/obj/common.o \
		$(FUZZ_DIR)/libforkbench.a
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -Wl,--as-needed \
		$(HOST_LIBS) $(JSON_LIBS) -lm -o $@

.PHONY: fuzz fuzz-build
ifeq ($(FUZZ_RT),)
fuzz fuzz-build:
	@echo "fuzz: $(FUZZ_CC) with libFuzzer not found (scripts/deps.sh" \
		"installs clang-14 and libclang-rt-14-dev)" >&2; exit 1
else
fuzz-build: $(FUZZ_BINS)

# make test replays the corpora through run_tap.sh: build the targets first.
test: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	tests/fuzz/campaign.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_RUNS)
endif
