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

# backend_reason NAME: empty when the backend can boot a guest here, else
# fbvmm's own one-line reason why not. Status 2 when the backend is there
# but broken (it cannot boot the empty guest): a failure, never a skip.
backend_reason() {
	local b=$1 out rc=0
	case $b in
	qemu-*)
		command -v qemu-system-x86_64 >/dev/null || {
			echo "$b: qemu-system-x86_64 not installed"
			return 0
		}
		;;
	esac
	# `|| rc=$?`: under bats' set -e a bare failing assignment would end
	# the test before the skip could say why.
	out=$(vmm -q -b "$b" -m 16M -t 60 "$EMPTY" 2>&1) || rc=$?
	[ $rc -eq 0 ] && return 0
	if [ $rc -eq 7 ]; then
		out=${out#fbvmm: host error: }
		echo "$b unavailable: ${out% \[$b\]}"
		return 0
	fi
	echo "$b cannot boot the empty guest (rc $rc): $out"
	return 2
}

# need_backend NAME: skip, with fbvmm's own one-line reason, when the
# backend cannot run a guest on this machine.
need_backend() {
	local why rc=0
	why=$(backend_reason "$1") || rc=$?
	[ $rc -eq 0 ] || fail_with "$why"
	[ -z "$why" ] || skip "$why"
}

# have_backend NAME: true when the backend runs here (no skip).
have_backend() {
	[ -z "$(backend_reason "$1")" ]
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
