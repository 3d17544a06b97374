#!/usr/bin/env bash
# make test's fuzz suite: one TAP line per fuzz target. Each replays its
# committed corpus (tests/fuzz/corpus/TARGET/) and then fuzzes for SECONDS;
# what it finds goes to a temporary directory, not into the corpus. A
# crashing input is kept in BUILD/fuzz/crashes/TARGET/. Without clang or
# libFuzzer every target is skipped, with the reason.
# Usage: tests/fuzz/run_tap.sh [BUILD [SECONDS]]   (default build, 2)
set -u
build=${1:-build}
secs=${2:-2}
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/fuzz/lib.sh
. tests/fuzz/lib.sh

mapfile -t targets < <(fuzz_targets)
missing=$(fuzz_missing)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Say what went wrong: the end of libFuzzer's log as TAP comments.
explain() {
	tail -n 25 "$1" | sed 's/^/# /'
}

echo "1..${#targets[@]}"
n=0 bad=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin=$build/fuzz/$t corpus=tests/fuzz/corpus/$t log=$tmp/$t.log
	if [ -n "$missing" ]; then
		echo "ok $n - $t # skip $missing"
		continue
	fi
	if [ ! -x "$bin" ]; then
		echo "not ok $n - $t: $bin not built (make BUILD=$build fuzz-build)"
		bad=1
		continue
	fi
	fuzz_run "$bin" "$secs" "" "$tmp/$t.work" "$tmp/$t.crash" "$log" "$corpus"
	rc=$?
	if [ -n "$CRASH" ]; then
		mkdir -p "$build/fuzz/crashes/$t"
		cp "$CRASH" "$build/fuzz/crashes/$t/"
		echo "not ok $n - $t: crash after $EXECS execs, input in" \
			"$build/fuzz/crashes/$t/${CRASH##*/}"
		explain "$log"
		bad=1
	elif [ "$rc" -ne 0 ]; then
		echo "not ok $n - $t: libFuzzer exited $rc"
		explain "$log"
		bad=1
	else
		seeds=$(find "$corpus" -type f | wc -l)
		echo "ok $n - $t: $seeds seeds replayed, $EXECS execs in ${SECS}s"
	fi
done
exit "$bad"
