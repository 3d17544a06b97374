# Shared by the integration suites. FB_BUILD is set by tests/run.sh.
: "${FB_BUILD:=$BATS_TEST_DIRNAME/../../build}"
FBVMM=$FB_BUILD/fbvmm
GUEST=$FB_BUILD/guest.elf
EMPTY=$FB_BUILD/empty.elf
BACKENDS="kvm qemu-tcg qemu-tcg-det qemu-kvm"

# vmm ARGS...: fbvmm under an outer timeout, so a broken watchdog cannot
# hang the suite.
vmm() {
	timeout 300 "$FBVMM" "$@"
}

# need_backend NAME: skip, with fbvmm's own one-line reason, when the
# backend cannot run a guest on this machine.
need_backend() {
	local b=$1 out
	case $b in
	qemu-*)
		command -v qemu-system-x86_64 >/dev/null ||
			skip "$b: qemu-system-x86_64 not installed"
		;;
	esac
	out=$(vmm -q -b "$b" -m 16M -t 60 "$EMPTY" 2>&1)
	local rc=$?
	[ $rc -eq 7 ] && skip "$b unavailable: ${out#fbvmm: }"
	[ $rc -eq 0 ] || fail_with "$b cannot boot the empty guest (rc $rc): $out"
}

fail_with() {
	echo "$*" >&2
	return 1
}

# assert_exit CODE: $status from `run` must be CODE; print output if not.
assert_exit() {
	if [ "$status" -ne "$1" ]; then
		echo "expected exit $1, got $status; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# assert_line_has TEXT: some output line contains TEXT.
assert_output_has() {
	if ! grep -qF -- "$1" <<<"$output"; then
		echo "output lacks '$1'; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# The test records of a records file, without run-specific fields.
test_records() {
	grep ' type=test ' "$1" | sed 's/ #[0-9a-f]*$//'
}
