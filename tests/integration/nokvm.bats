#!/usr/bin/env bats
# The no-KVM paths, simulated on every host (with or without a real KVM):
# the KVM device is pointed at a missing path, at a file that is not KVM,
# at a directory, and at a device that opens but refuses (tests/fakekvm).
# Whatever the reason, the kvm backends end with exit 7 and a message
# naming the device and the reason, and auto picks qemu-tcg-det.

load helpers

FAKEKVM=$FB_BUILD/tests/fakekvm.so
FORKBENCH=$FB_BUILD/forkbench

# The guest commands the kvm test suites run; none may get past the check.
KVM_COMMANDS=("selftest" "fault triple" "proctest seed_fork_cow"
	"forksize 1M cow" "bench scenario=create variant=vfork size=0 reps=1")

# expect_unusable DEVICE TEXT [env...]: every kvm backend and every kvm
# test command gives exit 7 and TEXT, by option and by environment.
expect_unusable() {
	local dev=$1 text=$2 b c
	shift 2
	for b in kvm qemu-kvm; do
		for c in "${KVM_COMMANDS[@]}"; do
			# shellcheck disable=SC2086
			run env "$@" "$FBVMM" -q -b "$b" --kvm-device "$dev" \
				"$GUEST" $c
			assert_exit 7
			assert_output_has "$text"
		done
		run env "$@" FBVMM_KVM_DEVICE="$dev" "$FBVMM" -q -b "$b" "$EMPTY"
		assert_exit 7
		assert_output_has "$text"
	done
}

# fake MODE: the environment that makes /fake/kvm refuse at MODE.
fake() {
	echo "LD_PRELOAD=$FAKEKVM" "FAKEKVM_PATH=/fake/kvm" "FAKEKVM_FAIL=$1" \
		"ASAN_OPTIONS=verify_asan_link_order=0"
}

@test "no KVM device: exit 7 naming the path and the reason" {
	expect_unusable "$BATS_TEST_TMPDIR/none" \
		"$BATS_TEST_TMPDIR/none: No such file or directory"
}

@test "a file that is not KVM (/dev/null): exit 7, not a KVM device" {
	expect_unusable /dev/null "/dev/null: not a KVM device"
}

@test "a directory as the KVM device: exit 7" {
	expect_unusable "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR: Is a directory"
}

@test "a KVM with another API version: exit 7 naming both versions" {
	# shellcheck disable=SC2046
	expect_unusable /fake/kvm "/fake/kvm: API version 11, need 12" $(fake api)
}

@test "a KVM without a needed capability: exit 7 naming it" {
	# shellcheck disable=SC2046
	expect_unusable /fake/kvm "/fake/kvm lacks KVM_CAP_USER_MEMORY" $(fake cap)
}

@test "a KVM that refuses KVM_CREATE_VM: exit 7 with the errno" {
	# shellcheck disable=SC2046
	expect_unusable /fake/kvm \
		"/fake/kvm: KVM_CREATE_VM: Operation not permitted" $(fake create_vm)
}

# slots MEM: what fakekvm saw of our VMM's memory slots for MEM of RAM.
slots() {
	# shellcheck disable=SC2046
	env $(fake vcpu) "$FBVMM" -q -b kvm --kvm-device /fake/kvm -m "$1" \
		"$GUEST" selftest 2>&1 | grep '^fakekvm: slot'
}

# QEMU's microvm layout: up to 3 GiB at GPA 0, the rest from 4 GiB, one
# host mapping in that order. Made before the vCPU, so checked without KVM.
@test "our VMM's memory slots: low RAM at 0, RAM past 3 GiB from 4 GiB" {
	local g=$((1 << 30))
	# shellcheck disable=SC2046
	run env $(fake vcpu) "$FBVMM" -q -b kvm --kvm-device /fake/kvm -m 20G \
		"$GUEST" selftest
	assert_exit 7
	assert_output_has "KVM_CREATE_VCPU: Operation not permitted"
	[ "$(slots 64M)" = "$(printf 'fakekvm: slot 0: GPA 0x0, 0x%x bytes at host +0x0' $((64 << 20)))" ]
	[ "$(slots 3G)" = "$(printf 'fakekvm: slot 0: GPA 0x0, 0x%x bytes at host +0x0' $((3 * g)))" ]
	[ "$(slots 20G)" = "$(printf 'fakekvm: slot 0: GPA 0x0, 0x%x bytes at host +0x0\nfakekvm: slot 1: GPA 0x%x, 0x%x bytes at host +0x%x' \
		$((3 * g)) $((4 * g)) $((17 * g)) $((3 * g)))" ]
	[ "$(slots 3073M)" = "$(printf 'fakekvm: slot 0: GPA 0x0, 0x%x bytes at host +0x0\nfakekvm: slot 1: GPA 0x%x, 0x%x bytes at host +0x%x' \
		$((3 * g)) $((4 * g)) $((1 << 20)) $((3 * g)))" ]
}

@test "need_backend skips kvm with fbvmm's reason when KVM is unusable" {
	local why
	why=$(FBVMM_KVM_DEVICE=/dev/null backend_reason kvm)
	[[ $why == "kvm unavailable: "*"/dev/null: not a KVM device"* ]]
	why=$(FBVMM_KVM_DEVICE=/dev/null backend_reason qemu-kvm)
	[[ $why == "qemu-kvm unavailable: "*"/dev/null: not a KVM device"* ]]
}

@test "auto without KVM: runs on qemu-tcg-det and says why on stderr" {
	need_backend qemu-tcg-det
	local d
	for d in "$BATS_TEST_TMPDIR/none" /dev/null; do
		run env FBVMM_KVM_DEVICE="$d" "$FBVMM" "$GUEST" selftest
		assert_exit 0
		assert_output_has "fbvmm: backend qemu-tcg-det: no usable KVM ($d: "
		assert_output_has "guest passed (7 records) [qemu-tcg-det]"
	done
}

@test "--which-backend without KVM: qemu-tcg-det, tab, the reason" {
	run env FBVMM_KVM_DEVICE=/dev/null "$FBVMM" --which-backend "$GUEST"
	assert_exit 0
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == $'qemu-tcg-det\tno usable KVM (/dev/null: not a KVM device'* ]]
}

@test "a bad image is exit 6 before the KVM device is looked at" {
	echo junk >"$BATS_TEST_TMPDIR/junk.elf"
	local b
	for b in auto kvm qemu-kvm; do
		run env FBVMM_KVM_DEVICE=/dev/null "$FBVMM" -b "$b" \
			"$BATS_TEST_TMPDIR/junk.elf"
		assert_exit 6
		assert_output_has "bad guest image"
	done
}

@test "forkbench run without KVM chooses qemu-tcg-det and says why" {
	need_backend qemu-tcg-det
	local out=$BATS_TEST_TMPDIR/sweep
	run env FBVMM_KVM_DEVICE="$BATS_TEST_TMPDIR/none" "$FORKBENCH" run \
		-o "$out" --variants vfork --scenarios create --sizes 0 --reps 1
	assert_exit 0
	assert_output_has "qemu-tcg-det"
	assert_output_has "no usable KVM ($BATS_TEST_TMPDIR/none: No such file or directory)"
	grep -q '^qemu-tcg-det	no usable KVM' "$out/sweep.backend"
}
