#!/usr/bin/env bats
# The fbsim TCG plugin (plugin/README.md) under plain qemu-system-x86_64:
# this QEMU accepts its plugin API version, it counts the smoke guest's
# regions (plugin/smoke/) exactly, and the project's guest boots under it.

load helpers

PLUGIN=$FB_BUILD/plugin/fbsim.so
SMOKE=$FB_BUILD/plugin/smoke.elf
PASS_STATUS=33 # isa-debug-exit: FB_STATUS_PASS (0x10) << 1 | 1

setup() {
	[ -f "$PLUGIN" ] || skip "no $PLUGIN (needs QEMU's plugin header: scripts/qemu_plugin_header.sh build/qemu-plugin, which scripts/deps.sh runs, then make)"
	command -v qemu-system-x86_64 >/dev/null ||
		skip "qemu-system-x86_64 not installed"
	TMP=$(mktemp -d)
}

teardown() {
	[ -z "${TMP:-}" ] || rm -rf "$TMP"
}

# sim KERNEL PLUGIN-ARGS [QEMU ARGS...]: the qemu-tcg-det backend's
# command line (vmm/qemu.c) with the plugin added.
sim() {
	local kernel=$1 args=$2
	shift 2
	timeout 120 qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off \
		-cpu max -M microvm -m 128M -smp 1 -nodefaults -display none \
		-no-reboot -kernel "$kernel" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -serial stdio \
		-monitor none -plugin "$PLUGIN,$args" "$@"
}

# After `run`: QEMU failed (not the guest's pass, not 0).
refused() {
	[ "$status" -ne 0 ] || return 1
	[ "$status" -ne $PASS_STATUS ]
}

# The smoke guest's regions under skylake (64-entry 4-way L1 dTLB, 1536-entry
# STLB, 32 KiB 8-way L1D with 64 sets, 256 KiB 4-way L2 with 1024 sets),
# with its page G (0x5f0000) global:
#  1: 16 loads, one per 4 KiB page, 4 instructions each, all cold: every
#     translation and line misses everywhere.
#  2: the same again: the TLBs hold all 16; the 16 lines are 4 KiB apart,
#     so all in L1D set 0 (8 ways): cyclic LRU misses each; in L2 they
#     fall in 16 sets and hit.
#  3: 8192 8-byte stores over 64 KiB, cold: 16 pages, 1024 lines.
#  error lines: END 9 with no region; BEGIN 8 inside region 4 (tag 7).
#  5: tag 8, empty.
#  6: announced invlpg of P, then P and Q: invlpg + 2 loads, P walks;
#     the announcement's marker and 6 loads are not counted.
#  7: CR3 write (mov from and to CR3), then G and N: G is global and
#     survives, N walks.
#  8: fb_sim_invlpg() from C: the compiler's instructions, 1 load, 1 walk.
#  9: one load per line over 16 KiB (4 pages, 256 lines), cold: all miss.
#  10: the same again: 256 lines in 64 L1D sets, 4 a set of 8 ways: it
#     fits, so no miss anywhere.
#  end: 9 regions; the unannounced invlpg between 7 and 8; CR3 writes by
#  the boot code and region 7; invlpg in 6, between, and in 8.
@test "the smoke guest's regions count exactly" {
	run sim "$SMOKE" "out=$TMP/o,preset=skylake,global=0x5f0000-0x5f1000"
	[ "$status" -eq $PASS_STATUS ] || fail_with "exit $status: $output"
	# compiler-made regions: their instruction counts are the compiler's
	sed -E 's/^(region (5|8) tag=[0-9]+ insns=)[0-9]+/\1N/' "$TMP/o" >"$TMP/got"
	cat >"$TMP/want" <<'EOF'
fbsim 1 source=skylake l1dtlb_4k=64/4 l1dtlb_2m=32/4 stlb=1536/12 stlb_2m=shared l1d=32/8/64 l2=256/4/64 llc=8192/16/64 global=0x5f0000-0x5f1000
region 1 tag=1 insns=64 loads=16 stores=0 dtlb_l1_misses=16 stlb_misses=16 l1d_misses=16 l2_misses=16 llc_misses=16
region 2 tag=2 insns=64 loads=16 stores=0 dtlb_l1_misses=0 stlb_misses=0 l1d_misses=16 l2_misses=0 llc_misses=0
region 3 tag=3 insns=32768 loads=0 stores=8192 dtlb_l1_misses=16 stlb_misses=16 l1d_misses=1024 l2_misses=1024 llc_misses=1024
error 3 end tag=9 without begin
error 4 begin tag=8 inside region tag=7 (dropped)
region 5 tag=8 insns=N loads=0 stores=0 dtlb_l1_misses=0 stlb_misses=0 l1d_misses=0 l2_misses=0 llc_misses=0
region 6 tag=4 insns=3 loads=2 stores=0 dtlb_l1_misses=1 stlb_misses=1 l1d_misses=0 l2_misses=0 llc_misses=0
region 7 tag=5 insns=4 loads=2 stores=0 dtlb_l1_misses=1 stlb_misses=1 l1d_misses=0 l2_misses=0 llc_misses=0
region 8 tag=6 insns=N loads=1 stores=0 dtlb_l1_misses=1 stlb_misses=1 l1d_misses=0 l2_misses=0 llc_misses=0
region 9 tag=10 insns=1024 loads=256 stores=0 dtlb_l1_misses=4 stlb_misses=4 l1d_misses=256 l2_misses=256 llc_misses=256
region 10 tag=11 insns=1024 loads=256 stores=0 dtlb_l1_misses=0 stlb_misses=0 l1d_misses=0 l2_misses=0 llc_misses=0
end regions=9 invlpg_unannounced=1 cr3_writes=2 invlpg=3
EOF
	diff "$TMP/want" "$TMP/got"
}

@test "huge= makes the smoke guest's 16 pages one translation" {
	run sim "$SMOKE" "out=$TMP/o,preset=zen3,huge=0x400000-0x600000"
	[ "$status" -eq $PASS_STATUS ] || fail_with "exit $status: $output"
	grep -qx 'region 1 tag=1 insns=64 loads=16 stores=0 dtlb_l1_misses=1 stlb_misses=1 l1d_misses=16 l2_misses=16 llc_misses=16' "$TMP/o" ||
		fail_with "$(cat "$TMP/o")"
}

@test "finished regions are in the output when QEMU is killed" {
	run timeout -s KILL 20 qemu-system-x86_64 -accel tcg \
		-icount shift=0,sleep=off -cpu max -M microvm -m 128M -smp 1 \
		-nodefaults -display none -no-reboot -kernel "$SMOKE" \
		-append hang -serial stdio -monitor none \
		-plugin "$PLUGIN,out=$TMP/o,preset=skylake"
	[ "$status" -eq 137 ] || fail_with "exit $status: $output"
	grep -q '^region 8 tag=6 ' "$TMP/o" || fail_with "$(cat "$TMP/o")"
	run grep -q '^end ' "$TMP/o"
	[ "$status" -eq 1 ]
}

@test "the project's guest passes its selftest under the plugin" {
	run sim "$GUEST" "out=$TMP/o,preset=skylake" -append "tsc_khz=1000000 selftest"
	[ "$status" -eq $PASS_STATUS ] || fail_with "exit $status: $output"
	assert_output_has "selftest: PASS"
	head -n 1 "$TMP/o" | grep -q '^fbsim 1 source=skylake l1dtlb_4k=64/4 '
	# the guest kernel loads its page tables: at least one CR3 write
	tail -n 1 "$TMP/o" | grep -qE '^end regions=[0-9]+ invlpg_unannounced=[0-9]+ cr3_writes=[1-9][0-9]* invlpg=[0-9]+$' ||
		fail_with "$(cat "$TMP/o")"
}

@test "two runs of the same guest give the same output" {
	sim "$GUEST" "out=$TMP/a,preset=zen3" -append "tsc_khz=1000000 selftest" >/dev/null || true
	sim "$GUEST" "out=$TMP/b,preset=zen3" -append "tsc_khz=1000000 selftest" >/dev/null || true
	[ -s "$TMP/a" ]
	cmp "$TMP/a" "$TMP/b"
}

@test "bad arguments: the plugin refuses and QEMU stops" {
	run sim "$SMOKE" "out=$TMP/o,preset=skylake,colour=blue"
	refused
	assert_output_has 'fbsim: unknown argument "colour" (out, preset, huge, global)'
	run sim "$SMOKE" "preset=skylake"
	refused
	assert_output_has "fbsim: out=PATH is required"
	run sim "$SMOKE" "out=$TMP/o,huge=0x1000-0x2000"
	refused
	assert_output_has "fbsim: range \"0x1000-0x2000\" is not aligned to 0x200000"
	run sim "$SMOKE" "out=$TMP/o,preset=skylake" -smp 2
	refused
	assert_output_has "fbsim: one vCPU only"
}

@test "preset=cpuid runs with this CPU's sizes or refuses saying why" {
	run sim "$SMOKE" "out=$TMP/o"
	if [ "$status" -eq $PASS_STATUS ]; then
		head -n 1 "$TMP/o" | grep -q '^fbsim 1 source=cpuid[ :]'
	else
		assert_output_has "fbsim: preset=cpuid: "
	fi
}
