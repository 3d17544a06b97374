#!/usr/bin/env bats
# forkbench compare: the regression report between two result sets, on
# small result sets written here (10 reps of two timings with jitter, an
# exact counter, a metric that is NA everywhere).

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

@test "identical result sets: exit 0, nothing changed" {
	result_set same >/dev/null
	compare base same
	assert_exit 0
	assert_output_has "| variant | scenario | size | metric | base median | new median | change % | p-value | verdict |"
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches, 4 unchanged (of 4 metrics)"
	row_has cycles_to_return 16M "\| 99950 \| 99950 \| \+0\.0 \| 1 \| same \|"
	row_has ptes_copied 16M "\| - \| match \|"
	row_has pmu_cycles 16M "\| NA \| NA \| - \| - \| n/a \|"
}

@test "rows are sorted by variant, scenario, size (numerically), metric" {
	result_set same >/dev/null
	compare base same
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
	row_has cycles_to_return 4K "\| same \|$"
	assert_output_has "1 regressions, 0 improvements, 0 counter mismatches, 3 unchanged (of 4 metrics)"
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
	compare base slow2
	assert_exit 0
	row_has cycles_to_return 16M "\| \+2.0 \| [0-9.e-]+ \| same \|$"
	assert_output_has "0 regressions"
}

@test "--threshold 1 makes the 2% slowdown a regression" {
	result_set slow2 1.02 >/dev/null
	compare base slow2 --threshold 1
	assert_exit 1
	row_has cycles_to_return 16M "\| regression \|$"
}

@test "--alpha too strict for 10 reps: the 20% slowdown is not significant" {
	result_set slow 1.2 >/dev/null
	compare base slow --alpha 1e-9
	assert_exit 0
	row_has cycles_to_return 16M "\| same \|$"
}

@test "changed counter: exit 1, MISMATCH" {
	result_set ctr 1 4097 >/dev/null
	compare base ctr
	assert_exit 1
	row_has ptes_copied 16M "\| 4096 \| 4097 \|"
	row_has ptes_copied 16M "\| - \| MISMATCH \|$"
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
	compare short short
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
	assert_output_has "Exit codes"
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
	run_compare "$BATS_TEST_TMPDIR/pa" "$BATS_TEST_TMPDIR/pb"
	assert_exit 0
	assert_output_has "| 1 | same |"
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

@test "two sets in instructions compare like cycles: a 20% slowdown is a regression" {
	local a b
	a=$(result_set det_a)
	b=$(result_set det_b 1.2)
	to_instructions "$a"
	to_instructions "$b"
	compare det_a det_b
	assert_exit 1
	row_has cycles_to_return 16M "\| regression \|$"
}

@test "a metric the vocabulary does not know, in instructions, is a timing" {
	shuffled_pair ia ib new_timing instructions
	run_compare "$BATS_TEST_TMPDIR/ia" "$BATS_TEST_TMPDIR/ib"
	assert_exit 0
	assert_output_has "| 1 | same |"
}
