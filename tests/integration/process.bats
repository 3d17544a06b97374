#!/usr/bin/env bats
# The guest's process model: the in-guest tests on QEMU TCG (all of them)
# and on our VMM (a subset: ring 0 may be emulated, PLATFORM.md), and
# fork of parents of every sweep size up to 1 GiB.

load helpers

# Every PROCTEST in the sources must report, so none can silently vanish.
expected_tests() {
	cat "$BATS_TEST_DIRNAME"/../../guest/tests/test_*.c | grep -c '^PROCTEST('
}

@test "qemu-tcg: every in-guest process test passes, leak-checked" {
	need_backend qemu-tcg
	local rec=$BATS_TEST_TMPDIR/p.rec
	run vmm -b qemu-tcg -m 64M -t 300 -r "$rec" "$GUEST" proctest
	assert_exit 0
	assert_output_has "proctest: $(expected_tests) passed, 0 failed"
	[ "$(grep -c ' type=test .*result=pass' "$rec")" -eq "$(expected_tests)" ]
}

@test "kvm: the seed programs, counters, vfork and orphans pass" {
	need_backend kvm
	run vmm -b kvm -m 64M -t 600 "$GUEST" proctest seed_fork_cow \
		seed_fork_copy seed_vfork seed_clone_as_fork \
		seed_clone_as_vfork cow_counters copy_counters_text_shared \
		vfork_parent_waits_for_exec orphans_go_to_init
	assert_exit 0
	assert_output_has "proctest: 9 passed, 0 failed"
	assert_output_has "fork_copy child: cnt = 1"
	assert_output_has "vfork parent: cnt = 3"
}

@test "proctest: an unknown test name is rejected" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg "$GUEST" proctest no_such_test
	assert_exit 2
	assert_output_has "no test named 'no_such_test'"
}

forksize() { # BACKEND MEM SIZE VARIANT
	run vmm -b "$1" -m "$2" -t 600 "$GUEST" forksize "$3" "$4"
	assert_exit 0
	assert_output_has "child sees the parent's memory"
	assert_output_has "forksize: counters match"
}

@test "qemu-tcg: every forksize variant at parent sizes 0 to 64M" {
	need_backend qemu-tcg
	for size in 0 1M 4M 16M 64M; do
		for v in copy cow odf vfork clone_fork; do
			forksize qemu-tcg 160M "$size" "$v"
		done
	done
}

@test "qemu-tcg: naive and COW fork of a 1 GiB parent" {
	need_backend qemu-tcg
	forksize qemu-tcg 2300M 1G copy
	forksize qemu-tcg 2300M 1G cow
	# 1 GiB of 4 KiB pages needs 512 page tables, 1 directory, plus a
	# handful for text and stack: about 2 MiB of page tables
	assert_output_has "0 pages copied, 2621"
	assert_output_has "PTEs copied, 520 page-table pages"
	# on-demand fork shares the 512 heap tables plus text's and the
	# stack's, and allocates only the directories above them
	forksize qemu-tcg 2300M 1G odf
	assert_output_has "0 pages copied, 0 PTEs copied, 6 page-table pages, 514 shared"
}

@test "kvm: every variant at 1M" {
	need_backend kvm
	for v in copy cow odf vfork clone_fork; do
		forksize kvm 32M 1M "$v"
	done
}

@test "too little guest RAM for the parent: exit 1 saying so" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg -m 64M "$GUEST" forksize 40M copy
	assert_exit 1
	assert_output_has "guest RAM too small: the fork ran out of frames for a 40 MiB parent"
	run vmm -b qemu-tcg -m 64M "$GUEST" forksize 100M cow
	assert_exit 1
	assert_output_has "guest RAM too small: cannot allocate the parent"
}

@test "forksize: bad arguments are rejected" {
	need_backend qemu-tcg
	for args in "12Q cow" "4097 cow" "1M spoon" "1M"; do
		run vmm -b qemu-tcg "$GUEST" forksize $args
		assert_exit 2
		assert_output_has "forksize: usage"
	done
}
