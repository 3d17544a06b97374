#!/usr/bin/env bats
# The project checks itself (README, "The performance check"): make
# perf-check runs forkbench ci's profile on the working tree against the
# committed baseline, results/baseline. tests/run.sh runs this suite after
# every other, so a change that slows the guest's fork paths beyond the
# threshold fails the test command unless it updates the baseline too
# (make perf-baseline). A baseline made with another compiler or QEMU is
# skipped with ci's reason, which the summary lists.

load ../integration/helpers

@test "make perf-check: the working tree against results/baseline" {
	need_backend qemu-tcg-det
	cd "$BATS_TEST_DIRNAME/../.."
	run make -s --no-print-directory BUILD="$FB_BUILD" perf-check
	local why
	why=$(sed -n 's/^forkbench ci: skipped: //p' <<<"$output")
	[ -z "$why" ] || skip "$why"
	assert_exit 0
}
