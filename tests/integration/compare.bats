#!/usr/bin/env bats
# forkbench compare: the regression report between two result sets, on
# small result sets written here (10 reps of two timings with jitter, an
# exact counter, a metric that is NA everywhere), and on fixtures for the
# statistics: ties, too few reps, many rows of pure noise, instructions.

load helpers

FORKBENCH=$FB_BUILD/forkbench

# result_set DIR [SLOW [PTES]]: a result set whose 16M cycles_to_return is
# SLOW times the base (default 1) and whose ptes_copied is PTES (4096).
result_set() {
	local dir=$BATS_TEST_TMPDIR/$1
	mkdir -p "$dir"
	awk -v slow="${2:-1}" -v ptes="${3:-4096}" 'BEGIN {
		print "variant,scenario,size,rep,metric,value,unit,note"
		for (r = 0; r < 10; r++) {
			j = (r * 7) % 10 - 5   # jitter of -5..+4 per mille
			printf "cow,create,16777216,%d,cycles_to_return,%d,cycles,\n",
				r, (100000 + j * 100) * slow
			printf "cow,create,4096,%d,cycles_to_return,%d,cycles,\n",
				r, 50000 + j * 50
			printf "cow,create,16777216,%d,ptes_copied,%d,ptes,\n", r, ptes
			printf "cow,create,16777216,%d,pmu_cycles,NA,count,no_pmu\n", r
		}
	}' >"$dir/metrics.csv"
	echo "$CONFIGS_CSV_HEADER" >"$dir/configs.csv"
	echo '{}' >"$dir/meta.json"
	echo "$dir"
}

# run_compare ARGS...: `run forkbench compare ARGS`, failing on any
# sanitizer report: under ASan a leak exits 1, which compare's own exit 1
# for a regression would otherwise hide.
run_compare() {
	run "$FORKBENCH" compare "$@"
	if grep -qE 'Sanitizer|runtime error:' <<<"$output"; then
		echo "$output" >&2
		return 1
	fi
}

# compare BASE NEW [options]: compare two result sets in the tmpdir.
compare() {
	local base=$BATS_TEST_TMPDIR/$1 new=$BATS_TEST_TMPDIR/$2
	shift 2
	run_compare "$@" "$base" "$new"
}

# row_has METRIC SIZE ERE: the table row of cow/create/SIZE/METRIC matches
# ERE; print the output if not.
row_has() {
	local line
	line=$(grep -F "| cow | create | $2 | $1 |" <<<"$output")
	if ! grep -qE -- "$3" <<<"$line"; then
		echo "row $2 $1 does not match /$3/; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

setup() {
	CONFIGS_CSV_HEADER="variant,scenario,size,status,exit_code,reason,wall_s,guest_s"
	result_set base >/dev/null
}

@test "identical result sets: exit 0, nothing changed, no table" {
	result_set same >/dev/null
	compare base same
	assert_exit 0
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches, 4 unchanged (of 4 metrics)"
	assert_output_has "4 unchanged rows not shown (--all shows them)"
	! grep -q '^|' <<<"$output" || fail_with "a table of nothing: $output"
}

@test "--all: every row, with raw and adjusted p" {
	result_set same >/dev/null
	compare base same --all
	assert_exit 0
	assert_output_has "| variant | scenario | size | metric | base median | new median | change % | p-value | adjusted p | verdict |"
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches, 4 unchanged (of 4 metrics)"
	row_has cycles_to_return 16M "\| 99950 \| 99950 \| \+0\.0 \| 1 \| 1 \| same \|"
	row_has ptes_copied 16M "\| - \| - \| match \|"
	row_has pmu_cycles 16M "\| NA \| NA \| - \| - \| - \| n/a \|"
	assert_output_has "noisy: 2 rows by a two-sided Mann-Whitney test (2 exact, 0 normal approx.), Holm-adjusted p < 0.05 and a change beyond 5%"
	assert_output_has "exact counters: 1 rows, every value must match"
}

@test "rows are sorted by variant, scenario, size (numerically), metric" {
	result_set same >/dev/null
	compare base same --all
	local metrics
	metrics=$(grep '^| cow ' <<<"$output" | awk -F' [|] ' '{ print $3 "/" $4 }')
	[ "$metrics" = "$(printf '%s\n' 4K/cycles_to_return 16M/cycles_to_return \
		16M/pmu_cycles 16M/ptes_copied)" ]
}

@test "metrics.csv paths work like result-set directories" {
	result_set same >/dev/null
	run_compare "$BATS_TEST_TMPDIR/base/metrics.csv" \
		"$BATS_TEST_TMPDIR/same"
	assert_exit 0
	assert_output_has "0 regressions"
}

@test "20% slowdown on one metric: exit 1, that row is a regression" {
	result_set slow 1.2 >/dev/null
	compare base slow
	assert_exit 1
	row_has cycles_to_return 16M "\| \+20\.0 \|"
	row_has cycles_to_return 16M "\| regression \|$"
	assert_output_has "1 regressions, 0 improvements, 0 counter mismatches, 3 unchanged (of 4 metrics)"
	# only the changed row by default; --all adds the unchanged ones
	[ "$(grep -c '^| cow ' <<<"$output")" -eq 1 ] || fail_with "$output"
	compare base slow --all
	assert_exit 1
	row_has cycles_to_return 4K "\| same \|$"
	[ "$(grep -c '^| cow ' <<<"$output")" -eq 4 ] || fail_with "$output"
}

@test "20% speedup: an improvement, exit 0" {
	result_set fast 0.8 >/dev/null
	compare base fast
	assert_exit 0
	row_has cycles_to_return 16M "\| -20.0 \| .* \| improvement \|$"
	assert_output_has "0 regressions, 1 improvements"
}

@test "2% slowdown: significant but under the threshold, exit 0" {
	result_set slow2 1.02 >/dev/null
	compare base slow2 --all
	assert_exit 0
	row_has cycles_to_return 16M "\| \+2.0 \| [0-9.e-]+ \| [0-9.e-]+ \| same \|$"
	assert_output_has "0 regressions"
}

@test "--threshold 1 makes the 2% slowdown a regression" {
	result_set slow2 1.02 >/dev/null
	compare base slow2 --threshold 1
	assert_exit 1
	row_has cycles_to_return 16M "\| regression \|$"
}

@test "--alpha too strict for 10 reps: refused, exit 2, saying why" {
	result_set slow 1.2 >/dev/null
	compare base slow --alpha 1e-9
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "with 10 vs 10 reps the smallest two-sided p is 1.1e-05, not below alpha 1e-09"
}

@test "changed counter: exit 1, MISMATCH" {
	result_set ctr 1 4097 >/dev/null
	compare base ctr
	assert_exit 1
	row_has ptes_copied 16M "\| 4096 \| 4097 \|"
	row_has ptes_copied 16M "\| - \| - \| MISMATCH \|$"
	assert_output_has "0 regressions, 0 improvements, 1 counter mismatches, 3 unchanged (of 4 metrics)"
}

@test "a counter that stops being measurable is a MISMATCH" {
	local dir
	dir=$(result_set gone)
	sed -i 's/^\(cow,create,16777216,[0-9]*,ptes_copied\),4096,ptes,$/\1,NA,ptes,broken/' \
		"$dir/metrics.csv"
	compare base gone
	assert_exit 1
	row_has ptes_copied 16M "MISMATCH \(NA in NEW only\)"
}

@test "fewer than 9 reps are flagged" {
	local dir
	dir=$(result_set short)
	awk -F, 'NR == 1 || $4 < 5' "$dir/metrics.csv" >"$dir/m" &&
		mv "$dir/m" "$dir/metrics.csv"
	compare short short --all
	assert_exit 0
	row_has cycles_to_return 16M "same \(few reps\)"
}

@test "a key missing from NEW: exit 2 naming it" {
	local dir
	dir=$(result_set less)
	grep -v ',4096,[0-9]*,cycles_to_return,' "$BATS_TEST_TMPDIR/base/metrics.csv" \
		>"$dir/metrics.csv"
	compare base less
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output_has "forkbench compare: NEW lacks cow/create/4096/cycles_to_return"
}

@test "keys missing from BASE are counted: (and N more)" {
	local dir
	dir=$(result_set more)
	sed 's/^cow,/fork,/' "$BATS_TEST_TMPDIR/base/metrics.csv" | tail -n +2 \
		>>"$dir/metrics.csv"
	compare base more
	assert_exit 2
	assert_output_has "BASE lacks fork/create/4096/cycles_to_return (and 3 more)"
}

@test "corrupt CSV line: exit 2 naming file:line" {
	local dir
	dir=$(result_set bad)
	sed -i '7s/,cycles_to_return,[0-9]*,/,cycles_to_return,12x,/' "$dir/metrics.csv"
	compare base bad
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output_has "forkbench compare: $dir/metrics.csv:7: value is neither a number nor NA"
	sed -i '7d' "$dir/metrics.csv"
	echo 'cow,create,4096,1,cycles_to_return,50000,cycles' >>"$dir/metrics.csv"
	compare base bad
	assert_exit 2
	assert_output_has "$dir/metrics.csv:41: expected 8 fields"
}

@test "a repeated repetition: exit 2 naming file:line" {
	local dir
	dir=$(result_set dup)
	sed -n 2p "$dir/metrics.csv" >>"$dir/metrics.csv"
	compare base dup
	assert_exit 2
	assert_output_has "$dir/metrics.csv:42: rep 0 of cow/create/16777216/cycles_to_return repeats line 2"
}

@test "a unit that changes between the sets: exit 2" {
	local dir
	dir=$(result_set unit)
	sed -i 's/,ptes_copied,4096,ptes,/,ptes_copied,4096,pages,/' "$dir/metrics.csv"
	compare base unit
	assert_exit 2
	assert_output_has "cow/create/16777216/ptes_copied is in ptes in BASE but in pages in NEW"
}

@test "a unit that changes within a set: exit 2 naming both lines" {
	local dir
	dir=$(result_set unit1)
	sed -i '8s/,ptes,$/,pages,/' "$dir/metrics.csv"
	compare unit1 base
	assert_exit 2
	assert_output_has "$dir/metrics.csv:8: unit 'pages' of cow/create/16777216/ptes_copied differs from 'ptes' on line 4"
}

@test "header only: exit 2, nothing to compare" {
	local dir
	dir=$(result_set empty)
	head -1 "$BATS_TEST_TMPDIR/base/metrics.csv" >"$dir/metrics.csv"
	compare base empty
	assert_exit 2
	assert_output_has "$dir/metrics.csv: no metric rows"
}

@test "missing directory: exit 2 naming it" {
	compare base nonexistent
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/nonexistent: No such file or directory"
}

@test "result set without metrics.csv: exit 2 naming the file" {
	mkdir "$BATS_TEST_TMPDIR/hollow"
	compare hollow base
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/hollow/metrics.csv: No such file or directory"
}

@test "unknown option: one line, exit 2" {
	result_set same >/dev/null
	compare base same --bogus
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output_has "forkbench compare: --bogus: unknown option"
}

@test "bad option values: exit 2 naming the value" {
	result_set same >/dev/null
	compare base same --threshold abc
	assert_exit 2
	assert_output_has "--threshold 'abc': not a percentage"
	compare base same --alpha 1.5
	assert_exit 2
	assert_output_has "--alpha '1.5'"
	run_compare base --threshold
	assert_exit 2
	assert_output_has "--threshold: needs an argument"
}

@test "wrong number of result sets: exit 2" {
	run_compare "$BATS_TEST_TMPDIR/base"
	assert_exit 2
	assert_output_has "expected BASE and NEW"
	run_compare a b c
	assert_exit 2
	assert_output_has "'c': only BASE and NEW are expected"
}

@test "--help: usage and exit codes, exit 0" {
	run_compare --help
	assert_exit 0
	assert_output_has "usage: forkbench compare [options] BASE NEW"
	assert_output_has "--threshold PCT"
	assert_output_has "--alpha A"
	assert_output_has "--correction M"
	assert_output_has "--format F"
	assert_output_has "--all"
	assert_output_has "Holm-Bonferroni by default"
	assert_output_has "exact up to"
	assert_output_has "n=3 0.1, n=4 0.029, n=5 0.0079"
	assert_output_has "n=10 1.1e-5"
	assert_output_has "Exit codes: 0 no regression, 1 a regression or counter mismatch,"
	assert_output_has "2 bad arguments or input, or a refused comparison."
}

# shuffled_pair A B METRIC UNIT: two sets of 10 reps of METRIC with the
# same values in another order per rep (an exact comparison would call
# every row a mismatch; a test calls them the same).
shuffled_pair() {
	local d off=0
	for d in "$1" "$2"; do
		mkdir -p "$BATS_TEST_TMPDIR/$d"
		awk -v off="$off" -v m="$3" -v u="$4" 'BEGIN {
			print "variant,scenario,size,rep,metric,value,unit,note"
			for (r = 0; r < 10; r++)
				printf "cow,create,0,%d,%s,%d,%s,\n", r, m,
					1000 + (r * 7 + off) % 10, u
		}' >"$BATS_TEST_TMPDIR/$d/metrics.csv"
		echo "$CONFIGS_CSV_HEADER" >"$BATS_TEST_TMPDIR/$d/configs.csv"
		echo '{}' >"$BATS_TEST_TMPDIR/$d/meta.json"
		off=3
	done
}

@test "a PMU count is measured, not an exact counter: jitter is no mismatch" {
	shuffled_pair pa pb pmu_instructions count
	run_compare --all "$BATS_TEST_TMPDIR/pa" "$BATS_TEST_TMPDIR/pb"
	assert_exit 0
	assert_output_has "| 1 | 1 | same |"
}

# to_instructions DIR: the set's timings as qemu-tcg-det writes them.
to_instructions() {
	sed -i 's/,cycles_to_return,\([0-9]*\),cycles,/,cycles_to_return,\1,instructions,/' "$1/metrics.csv"
}

@test "instructions (qemu-tcg-det) vs TSC cycles: one line naming both units, exit 2" {
	local dir
	dir=$(result_set det)
	to_instructions "$dir"
	compare det base
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "is in instructions in BASE but in cycles in NEW"
	assert_output_has "not comparable"
}

@test "parents of different page sizes (run --parent-pages): one line naming both, exit 2" {
	local dir
	dir=$(result_set huge)
	echo '{"sweep": {"parent_pages": "2M"}}' >"$dir/meta.json"
	compare base huge
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "BASE's parents have 4K pages, NEW's 2M (forkbench run --parent-pages): not comparable"
	# 4K said outright is what a set from before the field had
	echo '{"sweep": {"parent_pages": "4K"}}' >"$dir/meta.json"
	compare base huge
	assert_exit 0
	compare huge base
	assert_exit 0
}

@test "instructions are deterministic: a 20% slowdown is a regression, no p" {
	local a b
	a=$(result_set det_a)
	b=$(result_set det_b 1.2)
	to_instructions "$a"
	to_instructions "$b"
	compare det_a det_b
	assert_exit 1
	row_has cycles_to_return 16M "\| \+20\.0 \| - \| - \| regression \|$"
	assert_output_has "deterministic (instructions): 2 rows by a change beyond 5%, no test"
	! grep -q "^noisy:" <<<"$output" || fail_with "a test on instructions: $output"
	compare det_a det_b --format json
	assert_exit 1
	python3 -c '
import json, sys
d = json.load(sys.stdin)
[r] = d["rows"]
assert r["test"] == "threshold" and r["verdict"] == "regression", r
assert r["p"] is None and r["p_adjusted"] is None, r
assert d["summary"]["tested"] == 0, d["summary"]' <<<"$output"
}

# The peer's /proc/vmstat deltas count the whole system's events: they
# vary between runs, so they are tested like timings, not matched.
@test "events (the peer's vmstat deltas) are tested, never exact counters" {
	local a=$BATS_TEST_TMPDIR/ev_a b=$BATS_TEST_TMPDIR/ev_b
	mkdir -p "$a" "$b"
	for d in "$a" "$b"; do
		echo "variant,scenario,size,rep,metric,value,unit,note" >"$d/metrics.csv"
		echo "$CONFIGS_CSV_HEADER" >"$d/configs.csv"
		echo '{"kind": "linux-guest"}' >"$d/meta.json"
	done
	for r in 1 2 3 4 5 6 7 8 9 10; do
		echo "linux_fork,exit_wait,0,$r,vmstat_pgfault,$((14 + r % 2)),events," >>"$a/metrics.csv"
		echo "linux_fork,exit_wait,0,$r,vmstat_pgfault,$((15 - r % 2)),events," >>"$b/metrics.csv"
	done
	compare ev_a ev_b
	assert_exit 0
	assert_output_has "0 counter mismatches"
	assert_output_has "noisy: 1 rows by a two-sided Mann-Whitney test"
}

# The Linux peer repeats to within 4.2% under -icount, not exactly: a
# linux-guest set's instructions are judged with at least 5%.
@test "instructions of a Linux peer set: judged with its 5% tolerance" {
	local a b
	a=$(result_set peer_a)
	b=$(result_set peer_b 1.04)
	to_instructions "$a"
	to_instructions "$b"
	compare peer_a peer_b --threshold 1
	assert_exit 1 # plain sets: 4% beyond a 1% threshold
	row_has cycles_to_return 16M "regression"
	echo '{"kind": "linux-guest"}' >"$b/meta.json"
	compare peer_a peer_b --threshold 1
	assert_exit 0
	assert_output_has "deterministic (instructions): 2 rows by a change beyond 5%, no test (the Linux peer's run-to-run tolerance)"
	b=$(result_set peer_c 1.07)
	to_instructions "$b"
	echo '{"kind": "linux-guest"}' >"$b/meta.json"
	compare peer_a peer_c --threshold 1
	assert_exit 1
}

@test "instructions: a change within the threshold is the same, however certain" {
	local a b
	a=$(result_set det_c)
	b=$(result_set det_d 1.02)
	to_instructions "$a"
	to_instructions "$b"
	compare det_c det_d
	assert_exit 0
	compare det_c det_d --threshold 1
	assert_exit 1
	row_has cycles_to_return 16M "\| \+2\.0 \| - \| - \| regression \|$"
}

@test "instructions with 3 reps: no test, so nothing to refuse" {
	local a b
	a=$(result_set det_e)
	b=$(result_set det_f 1.2)
	for d in "$a" "$b"; do
		to_instructions "$d"
		awk -F, 'NR == 1 || $4 < 3' "$d/metrics.csv" >"$d/m" && mv "$d/m" "$d/metrics.csv"
	done
	compare det_e det_f
	assert_exit 1
	row_has cycles_to_return 16M "\| regression \|$"
}

@test "a metric the vocabulary does not know, in instructions, is a timing" {
	shuffled_pair ia ib new_timing instructions
	run_compare --all "$BATS_TEST_TMPDIR/ia" "$BATS_TEST_TMPDIR/ib"
	assert_exit 0
	assert_output_has "| - | - | same |"
}

# timing_set NAME VALUE...: a set of one timing (cow/create/0/
# cycles_to_return, cycles), one rep per VALUE numbered from 1.
timing_set() {
	local dir=$BATS_TEST_TMPDIR/$1 rep=1 v
	shift
	mkdir -p "$dir"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		for v in "$@"; do
			echo "cow,create,0,$rep,cycles_to_return,$v,cycles,"
			rep=$((rep + 1))
		done
	} >"$dir/metrics.csv"
}

@test "ties: 90,100x4 -> 90,110x4 is a regression at the exact p 0.0476" {
	# Exact conditional p = 12/252 = 1/21 (tests/unit/test_mannwhitney.c
	# enumerates it); the normal approximation said 0.094.
	timing_set tb 90 100 100 100 100
	timing_set tn 90 110 110 110 110
	compare tb tn
	assert_exit 1
	assert_output_has "| cow | create | 0 | cycles_to_return | 100 | 110 | +10.0 | 0.0476 | 0.0476 | regression (few reps) |"
	assert_output_has "1 regressions, 0 improvements"
	compare tb tn --format json
	python3 -c '
import json, sys
r = json.load(sys.stdin)["rows"][0]
assert abs(r["p"] - 1 / 21) < 1e-12, r
assert r["test"] == "mann-whitney-exact", r' <<<"$output"
}

@test "3 vs 3 reps: refused, exit 2, naming the reps, the smallest p and alpha" {
	timing_set t3a 100 101 102
	timing_set t3b 200 201 202
	compare t3a t3b
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "forkbench compare: cow/create/0/cycles_to_return: with 3 vs 3 reps the smallest two-sided p is 0.1, not below alpha 0.05"
	# 4 vs 4 can reach 2/70 = 0.029 < 0.05: compared, a regression
	timing_set t4a 100 101 102 103
	timing_set t4b 200 201 202 203
	compare t4a t4b
	assert_exit 1
	assert_output_has "| 0.0286 | 0.0286 | regression (few reps) |"
}

@test "NA reps count: a timing left with 2 measured reps is refused" {
	# 5 vs 2: 2/C(7,2) = 2/21 = 0.095
	timing_set nab 100 101 102 103 104
	timing_set nan 100 101 NA NA NA
	sed -i 's/,NA,cycles,$/,NA,cycles,crashed/' "$BATS_TEST_TMPDIR/nan/metrics.csv"
	compare nab nan
	assert_exit 2
	assert_output_has "with 5 vs 2 reps the smallest two-sided p is 0.095, not below alpha 0.05"
	compare nab nan --alpha 0.1
	assert_exit 0
}

# rows_set NAME ROWS REPS SHIFT: ROWS timings of REPS reps each, NEW
# values shifted by SHIFT.
rows_set() {
	local dir=$BATS_TEST_TMPDIR/$1
	mkdir -p "$dir"
	awk -v rows="$2" -v reps="$3" -v shift_="$4" 'BEGIN {
		print "variant,scenario,size,rep,metric,value,unit,note"
		for (k = 1; k <= rows; k++)
			for (r = 1; r <= reps; r++)
				printf "cow,create,%d,%d,cycles_to_return,%d,cycles,\n",
					k * 4096, r, 1000 + r + shift_
	}' >"$dir/metrics.csv"
}

@test "Holm over 7 rows of 5 vs 5 reps cannot reach alpha/7: refused; bh can" {
	# 2/252 = 0.0079 is not below 0.05/7 = 0.0071: nothing could pass.
	rows_set h5a 7 5 0
	rows_set h5b 7 5 100
	compare h5a h5b
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "Holm over 7 tested rows needs p < alpha/7 = 0.0071 (alpha 0.05), but with 5 vs 5 reps the smallest two-sided p is 0.0079"
	compare h5a h5b --correction bh
	assert_exit 1
	assert_output_has "7 regressions"
	assert_output_has "Benjamini-Hochberg-adjusted p < 0.05"
	# 6 rows: 0.0079 * 6 = 0.048 < 0.05, so Holm flags all six
	rows_set h6a 6 5 0
	rows_set h6b 6 5 100
	compare h6a h6b
	assert_exit 1
	assert_output_has "6 regressions"
	assert_output_has "| 0.00794 | 0.0476 | regression (few reps) |"
}

# noisy_halves A B ROWS: one run of 20 reps per row from one distribution
# (log-normal, 2% spread), reps 1-10 into A and 11-20 into B (numbered
# 1-10 again), each with a warm-up rep 0 far off in opposite directions.
noisy_halves() {
	local a=$BATS_TEST_TMPDIR/$1 b=$BATS_TEST_TMPDIR/$2
	mkdir -p "$a" "$b"
	awk -v a="$a/metrics.csv" -v b="$b/metrics.csv" -v rows="$3" '
	function rnd() { # LCG mod 2^32: exact in doubles, the same in any awk
		state = (state * 1664525 + 1013904223) % 4294967296
		return (state + 0.5) / 4294967296
	}
	BEGIN {
		state = 42
		hdr = "variant,scenario,size,rep,metric,value,unit,note"
		print hdr >a
		print hdr >b
		for (k = 1; k <= rows; k++) {
			key = "cow,create," k * 4096
			printf "%s,0,cycles_to_return,900000,cycles,warmup\n", key >a
			printf "%s,0,cycles_to_return,1000,cycles,warmup\n", key >b
			for (r = 1; r <= 20; r++) {
				z = sqrt(-2 * log(rnd())) * cos(6.283185307179586 * rnd())
				printf "%s,%d,cycles_to_return,%d,cycles,\n", key,
					r <= 10 ? r : r - 10,
					int(100000 * exp(0.02 * z)) >(r <= 10 ? a : b)
			}
		}
	}'
}

@test "two halves of one noisy run, 150 rows: no regression with Holm" {
	noisy_halves half_a half_b 150
	compare half_a half_b
	assert_exit 0
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches, 150 unchanged (of 150 metrics)"
	assert_output_has "warm-up reps left out: 150 in BASE, 150 in NEW"
	# Even counting every significant change, however small:
	compare half_a half_b --threshold 0
	assert_exit 0
	assert_output_has "0 regressions, 0 improvements"
	compare half_a half_b --threshold 0 --correction bh
	assert_exit 0
	# Uncorrected, 150 tests at 0.05 find about 7 "changes" in pure noise
	# (this fixture: 5 regressions, 3 improvements).
	compare half_a half_b --threshold 0 --correction none
	assert_exit 1
	assert_output_has "5 regressions, 3 improvements"
	assert_output_has "unadjusted p < 0.05"
}

@test "warm-up reps are left out of medians, tests and rep counts" {
	local d
	for d in wa wb; do
		result_set "$d" >/dev/null
		# rep 0 becomes the warm-up, far off and different per side
		sed -i "s/^\\(cow,create,[0-9]*,0,[a-z_]*\\),[0-9]*,\\([a-z]*\\),$/\\1,$([ $d = wa ] && echo 1 || echo 9999999),\\2,warmup/" \
			"$BATS_TEST_TMPDIR/$d/metrics.csv"
	done
	sed -i 's/^\(cow,create,16777216,0,pmu_cycles,NA,count\),no_pmu$/\1,warmup;no_pmu/' \
		"$BATS_TEST_TMPDIR/wa/metrics.csv"
	grep -q ',9999999,ptes,warmup$' "$BATS_TEST_TMPDIR/wb/metrics.csv"
	compare wa wb --all --format json
	assert_exit 0
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["warmups"] == {"base": 4, "new": 3}, d["warmups"]
for r in d["rows"]:
    assert r["verdict"] in ("same", "match", "n/a"), r
    if r["metric"] != "pmu_cycles":
        assert r["base_n"] == r["new_n"] == 9, r' <<<"$output"
}

@test "--format csv: the rows as CSV, the summary on stderr" {
	result_set slow 1.2 >/dev/null
	run_compare --format csv "$BATS_TEST_TMPDIR/base" "$BATS_TEST_TMPDIR/slow"
	assert_exit 1
	"$FORKBENCH" compare --format csv --all "$BATS_TEST_TMPDIR/base" \
		"$BATS_TEST_TMPDIR/slow" 2>"$BATS_TEST_TMPDIR/err" \
		>"$BATS_TEST_TMPDIR/out.csv" || true
	grep -q "^1 regressions" "$BATS_TEST_TMPDIR/err"
	! grep -qE 'Sanitizer|runtime error:' "$BATS_TEST_TMPDIR/err"
	python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 4, rows
r = [r for r in rows if r["size"] == "16777216" and r["metric"] == "cycles_to_return"][0]
assert r["verdict"] == "regression" and r["test"] == "mann-whitney-exact", r
assert float(r["change_pct"]) == 20 and r["base_n"] == "10", r
assert 0 < float(r["p"]) <= float(r["p_adjusted"]) < 0.05, r
pmu = [r for r in rows if r["metric"] == "pmu_cycles"][0]
assert pmu["p"] == "" and pmu["base_median"] == "" and pmu["verdict"] == "n/a", pmu
' "$BATS_TEST_TMPDIR/out.csv"
}

@test "--format json: one document, changed rows by default, all with --all" {
	result_set slow 1.2 >/dev/null
	compare base slow --format json
	assert_exit 1
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["correction"] == "holm" and d["alpha"] == 0.05 and d["threshold_pct"] == 5
assert d["summary"] == {"regressions": 1, "improvements": 0, "mismatches": 0,
    "unchanged": 3, "metrics": 4, "tested": 2}, d["summary"]
[r] = d["rows"]
assert (r["size"], r["metric"], r["verdict"]) == (16777216, "cycles_to_return", "regression"), r
assert d["base"].endswith("/base/metrics.csv"), d["base"]' <<<"$output"
	compare base slow --format json --all --correction none
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d["rows"]) == 4 and d["correction"] == "none"
for r in d["rows"]:
    if r["p"] is not None:
        assert r["p"] == r["p_adjusted"], r' <<<"$output"
	result_set same >/dev/null
	compare base same --format json
	assert_exit 0
	python3 -c 'import json, sys; assert json.load(sys.stdin)["rows"] == []' <<<"$output"
}

@test "--format json escapes paths" {
	local dir=$BATS_TEST_TMPDIR/'q"uo\te'
	mkdir -p "$dir"
	cp "$BATS_TEST_TMPDIR/base/metrics.csv" "$dir/"
	run_compare --format json "$BATS_TEST_TMPDIR/base" "$dir"
	assert_exit 0
	python3 -c '
import json, sys
assert json.load(sys.stdin)["new"].endswith("/q\"uo\\te/metrics.csv")' <<<"$output"
}

@test "--format md is the default table" {
	result_set slow 1.2 >/dev/null
	compare base slow --format md
	assert_exit 1
	local md=$output
	compare base slow
	[ "$output" = "$md" ] || fail_with "md differs from the default"
	# every table line has the header's 10 columns
	awk -F'|' '/^\|/ && NF != 12 { exit 1 }' <<<"$md"
}

@test "bad --correction and --format values: exit 2 naming them" {
	result_set same >/dev/null
	compare base same --correction bonferroni
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output_has "--correction 'bonferroni': not one of holm, bh, none"
	compare base same --format xml
	assert_exit 2
	assert_output_has "--format 'xml': not one of md, csv, json"
	compare base same --correction=bh --format=csv
	assert_exit 0
}
