#!/usr/bin/env bash
# make fuzz: fuzz every target for SECONDS (and at most RUNS inputs each,
# if given), starting from the committed corpus and from what earlier
# campaigns found (BUILD/fuzz/work/TARGET/). Prints one line per target,
# then the total. A crashing input is copied into the target's committed
# corpus, so make test replays it until the bug is fixed. Exit 1 if any
# target crashed or failed.
# Usage: tests/fuzz/campaign.sh BUILD SECONDS [RUNS]
set -u
build=${1:?usage: campaign.sh BUILD SECONDS [RUNS]}
secs=${2:?usage: campaign.sh BUILD SECONDS [RUNS]}
runs=${3:-}
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/fuzz/lib.sh
. tests/fuzz/lib.sh

mkdir -p "$build/fuzz/logs"
total_execs=0 total_crashes=0 failed=0
while read -r t; do
	log=$build/fuzz/logs/$t.log
	art=$(mktemp -d)
	fuzz_run "$build/fuzz/$t" "$secs" "$runs" "$build/fuzz/work/$t" \
		"$art" "$log" "tests/fuzz/corpus/$t"
	rc=$?
	crashes=0 note=""
	if [ -n "$CRASH" ]; then
		crashes=1
		cp "$CRASH" "tests/fuzz/corpus/$t/"
		note=" (input saved as tests/fuzz/corpus/$t/${CRASH##*/}, log $log)"
	elif [ "$rc" -ne 0 ]; then
		failed=1
		note=" (libFuzzer exited $rc, log $log)"
	fi
	rm -rf "$art"
	printf '%-16s %12s execs  %d crashes%s\n' "$t:" "$EXECS" "$crashes" "$note"
	total_execs=$((total_execs + EXECS))
	total_crashes=$((total_crashes + crashes))
done < <(fuzz_targets)
printf '%-16s %12s execs  %d crashes\n' "total:" "$total_execs" "$total_crashes"
[ "$total_crashes" -eq 0 ] && [ "$failed" -eq 0 ]
