#!/usr/bin/env bash
# Run every test suite and end with one line: "N passed, N failed[, N skipped]".
# Suites speak TAP (Criterion with --tap, bats with --tap); a suite that
# exits non-zero without reporting a failure counts as one failure, so a
# crash can never pass silently. Exit status: 0 when nothing failed, 1
# otherwise.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export FB_BUILD="$top/$build"

passed=0 failed=0 skipped=0
skips=() failures=()

# tally SUITE: read TAP on stdin, echo it, count it.
tally() {
	local suite=$1 line
	local -i before=$failed
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"not ok "*)
			failed+=1; failures+=("$suite: ${line#not ok }") ;;
		"ok "*"# skip"* | "ok "*"# SKIP"*)
			skipped+=1; skips+=("$suite: ${line#ok }") ;;
		"ok "*)
			passed+=1 ;;
		esac
	done
	return $((failed - before))
}

run_suite() {
	local suite=$1; shift
	local out rc
	echo "# suite $suite"
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	tally "$suite" <"$out"
	local reported=$?
	rm -f "$out"
	if [ "$rc" -ne 0 ] && [ "$reported" -eq 0 ]; then
		failed=$((failed + 1))
		failures+=("$suite: exited $rc without reporting a failure")
	fi
}

declare -i passed failed skipped
for t in "$FB_BUILD"/tests/test_*; do
	# a binary whose source is gone (renamed or split) is not a suite
	[ -x "$t" ] && [ -f "tests/unit/$(basename "$t").c" ] || continue
	run_suite "unit/$(basename "$t")" "$t" --tap=- --jobs=1
done
for b in tests/integration/*.bats; do
	run_suite "integration/$(basename "$b" .bats)" bats --tap "$b"
done
# Every fuzz target replays its corpus, then fuzzes briefly (tests/fuzz/).
run_suite fuzz tests/fuzz/run_tap.sh "$build" "${FUZZ_TEST_SECONDS:-2}"
# Last, the performance check (make perf-check; tests/perf/): it judges
# the tree the suites above have passed, and its verdict still comes
# before the summary line.
run_suite perf-check bats --tap tests/perf/perf_check.bats

for s in "${skips[@]+"${skips[@]}"}"; do echo "skipped: $s"; done
for f in "${failures[@]+"${failures[@]}"}"; do echo "FAILED: $f"; done
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
