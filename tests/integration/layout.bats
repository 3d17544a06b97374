#!/usr/bin/env bats
# The tree's architecture, checked: no include cycles (files, modules,
# folders), no header name twice, and forkbench linking no part of the
# monitor (it drives fbvmm as a separate program).

load helpers

TOP=$BATS_TEST_DIRNAME/../..
CHECK=$TOP/scripts/check_layout.py

@test "layout: the guest has no include cycles and no header name twice" {
	run python3 "$CHECK" "$TOP" guest
	assert_exit 0
	assert_output_has "module include cycles: 0"
	assert_output_has "folder include cycles: 0"
}

@test "layout: the host code (lib, vmm, bench, plugin) likewise" {
	run python3 "$CHECK" "$TOP" lib vmm bench plugin
	assert_exit 0
	assert_output_has "header names used twice: 0"
}

@test "layout: the checker finds a cycle and a twice-used header name" {
	local t=$BATS_TEST_TMPDIR/t
	mkdir -p "$t/src/a" "$t/src/b" "$t/include"
	printf '#include "b/y.h"\n' >"$t/src/a/x.h"
	printf '#include "a/x.h"\n' >"$t/src/b/y.h"
	printf '#include "x.h"\n' >"$t/src/b/x.h"
	run python3 "$CHECK" "$t" src
	assert_exit 1
	assert_output_has "module include cycles: 1"
	assert_output_has "header names used twice: 1"
}

@test "layout: forkbench links no monitor object" {
	run nm "$FB_BUILD/forkbench"
	assert_exit 0
	! grep -Eiw 'run_kvm|run_qemu|vm_create|vm_destroy|elf_load|stream_feed|watchdog_arm|outcome_decide' <<<"$output"
	# and the monitor does have them, so the names above are the right ones
	run nm "$FB_BUILD/fbvmm"
	grep -qw run_kvm <<<"$output"
	grep -qw run_qemu <<<"$output"
}
