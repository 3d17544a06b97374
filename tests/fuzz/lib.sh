# Shared by run_tap.sh and campaign.sh (bash): which targets there are and
# how one libFuzzer run goes. Sourced with the working directory at the top
# of the tree.

# The targets: one per tests/fuzz/fuzz_*.c, as fuzz.mk builds them.
fuzz_targets() {
	local src
	for src in tests/fuzz/fuzz_*.c; do
		src=${src##*/}
		echo "${src%.c}"
	done
}

# Why the targets cannot be built here, or nothing when they can.
fuzz_missing() {
	local cc=${FUZZ_CC:-clang-14} rt
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "$cc not found (scripts/deps.sh installs clang-14)"
		return
	fi
	rt=$("$cc" -print-runtime-dir 2>/dev/null)
	[ -f "$rt/libclang_rt.fuzzer-x86_64.a" ] ||
		echo "libFuzzer not found in '$rt' (scripts/deps.sh installs libclang-rt-14-dev)"
}

# fuzz_run BIN SECONDS RUNS WORK ARTIFACTS LOG CORPUS...
# Fuzz BIN for SECONDS (and at most RUNS inputs, if RUNS is not empty):
# the corpora are replayed first, new inputs go to WORK (never into the
# committed corpus), a crashing input to ARTIFACTS/, which must be empty.
# Sets EXECS (inputs run), SECS (how long it took) and CRASH (the saved
# input, empty if none); returns libFuzzer's status.
fuzz_run() {
	local bin=$1 secs=$2 runs=$3 work=$4 art=$5 log=$6 rc
	shift 6
	local dict=tests/fuzz/dict/${bin##*/}.dict
	local args=(-max_total_time="$secs" -print_final_stats=1 -timeout=10
		-rss_limit_mb=2048 -artifact_prefix="$art/")
	[ -n "$runs" ] && args+=(-runs="$runs")
	[ -f "$dict" ] && args+=(-dict="$dict")
	mkdir -p "$work" "$art"
	"$bin" "${args[@]}" "$work" "$@" >"$log" 2>&1
	rc=$?
	# The final stats when it ended by itself, else the last status line.
	EXECS=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -n 1)
	[ -n "$EXECS" ] ||
		EXECS=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
	EXECS=${EXECS:-0}
	# libFuzzer checks the time in whole seconds: say what it took.
	SECS=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	SECS=${SECS:-$secs}
	CRASH=$(find "$art" -maxdepth 1 -type f | head -n 1)
	return "$rc"
}
