#!/usr/bin/env bats
# forkbench ratios on synthetic result sets: each ratio against its goal,
# NA with its reason, Linux's references beside ours, and the refusals.

load helpers

FORKBENCH=$FB_BUILD/forkbench
G1=1073741824
M1=1048576

# rows VARIANT SIZE VALUE...: create cycles_to_return, reps 1.., in UNIT
# (default instructions), after a warm-up rep 0 that must not count.
rows() {
	local v=$1 size=$2 rep=1 x
	shift 2
	echo "$v,create,$size,0,cycles_to_return,999999999999,${UNIT:-instructions},warmup"
	for x in "$@"; do
		echo "$v,create,$size,$rep,cycles_to_return,$x,${UNIT:-instructions},"
		rep=$((rep + 1))
	done
}

# guest_set DIR [BACKEND [COPY_4K]]: a guest set with every ratio's input.
guest_set() {
	local d=$1
	mkdir -p "$d"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		rows cow $G1 25990000 26000000 26010000
		rows cow $M1 60000 60000 60000
		rows odf $G1 400000 400000 NA-rep
		rows huge_split $G1 200000 200000 200000
		rows huge_copy $G1 300000 300000 300000
		rows spawn 0 30000 30000 30000
		rows spawn $G1 31000 31000 31000
		# copy: 550 a page above 1M
		rows copy $M1 200000 200000 200000
		rows copy $G1 144238400 144238400 144238400
	} | sed 's/,NA-rep,\([a-z]*\),$/,NA,\1,rep lost/' >"$d/metrics.csv"
	cat >"$d/meta.json" <<EOF
{"schema": "forkbench-resultset-2", "kind": "guest", "backend": "${2:-qemu-tcg-det}",
 "validity": {"verdict": "deterministic", "ops": {"copy_4k": {"guest_cycles": ${3:-516}}}}}
EOF
}

# peer_set DIR [KIND [BACKEND]]: the Linux peer's fork and THP fork.
peer_set() {
	local d=$1
	mkdir -p "$d"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		rows linux_fork $G1 37000000 37000000 37000000
		rows linux_fork $M1 190000 190000 190000
		rows linux_fork_thp $G1 2500000 2500000 2500000
	} >"$d/metrics.csv"
	echo "{\"kind\": \"${2:-linux-guest}\", \"backend\": \"${3:-qemu-tcg-det}\"}" >"$d/meta.json"
}

@test "--help: every ratio, its goal, the exit codes" {
	run "$FORKBENCH" ratios --help
	assert_exit 0
	for r in odf_vs_cow huge_split_vs_cow huge_copy_vs_cow spawn_1g_vs_0 \
		cow_per_page copy_page_vs_copy_4k; do
		assert_output_has "$r"
	done
	assert_output_has "goal >= 50x"
	assert_output_has "--tsv"
	assert_output_has "Exit codes"
	run "$FORKBENCH" --help
	assert_output_has "ratios"
}

@test "each ratio with its goal and verdict; goals not met still exit 0" {
	guest_set "$BATS_TEST_TMPDIR/g"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g"
	assert_exit 0
	assert_output_has "backend qemu-tcg-det, create cycles_to_return medians in instructions"
	# 26000000 / 400000 (the NA rep and the warm-up left out)
	assert_output_has "    65x, goal >= 50x: met (cow@1G 26000000 / odf@1G 400000)"
	assert_output_has "    130x, goal >= 100x: met"
	assert_output_has "    86.67x, goal >= 100x: not met"
	# 31000 / 30000
	assert_output_has "    1.033x, goal <= 1.05x: met"
	# (26000000 - 60000) / 261888
	assert_output_has "    99.05 instructions/page, goal <= 20 instructions/page on qemu-tcg-det: not met"
	# 550 / 516
	assert_output_has "    1.066x, goal <= 1.1x: met (550 instructions per page"
	assert_output_has "goals: 4 met, 2 not met, 0 NA, 0 not judged on this backend"
}

@test "--tsv: a header, then one line per ratio" {
	guest_set "$BATS_TEST_TMPDIR/g"
	run "$FORKBENCH" ratios --tsv "$BATS_TEST_TMPDIR/g"
	assert_exit 0
	[ "${#lines[@]}" -eq 7 ] || fail_with "$output"
	[ "${lines[0]}" = "$(printf 'ratio\tvalue\tunit\tgoal\tverdict\tdetail')" ]
	grep -qP '^odf_vs_cow\t65\tx\t>= 50x\tmet\t' <<<"$output" || fail_with "$output"
}

@test "missing inputs: NA naming what is missing, still exit 0" {
	guest_set "$BATS_TEST_TMPDIR/g"
	sed -i '/^odf,/d; /^spawn,create,0,/d' "$BATS_TEST_TMPDIR/g/metrics.csv"
	echo '{"kind": "guest", "backend": "qemu-tcg-det"}' >"$BATS_TEST_TMPDIR/g/meta.json"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g"
	assert_exit 0
	assert_output_has "    NA, goal >= 50x: NA (no odf create at 1G in this set)"
	assert_output_has "    NA, goal <= 1.05x: NA (no spawn create at 0 in this set)"
	assert_output_has "NA (no validity.ops.copy_4k.guest_cycles in this set's meta.json)"
	assert_output_has "goals: 1 met, 2 not met, 3 NA"
}

@test "cycles on another backend: the per-page figure without a verdict" {
	UNIT=cycles guest_set "$BATS_TEST_TMPDIR/g" kvm
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g"
	assert_exit 0
	assert_output_has "    99.05 cycles/page, goal <= 20 instructions/page on qemu-tcg-det: no goal here"
	assert_output_has "the goal is stated for qemu-tcg-det, this set is on kvm"
	assert_output_has "1 not judged on this backend"
}

@test "a Linux peer on the same backend: its references follow ours" {
	guest_set "$BATS_TEST_TMPDIR/g"
	peer_set "$BATS_TEST_TMPDIR/p"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR/p"
	assert_exit 0
	assert_output_has "Linux references from $BATS_TEST_TMPDIR/p: backend qemu-tcg-det"
	# 37000000 / 400000, 37000000 / 2500000, (37000000 - 190000) / 261888
	assert_output_has "    92.5x: reference"
	assert_output_has "    14.8x: reference"
	assert_output_has "    140.6 instructions/page: reference"
	assert_output_has "goals: 4 met, 2 not met, 0 NA"
}

@test "refused, one line, exit 2: a peer of another backend, kind or clock; a Linux GUEST_SET" {
	guest_set "$BATS_TEST_TMPDIR/g"
	peer_set "$BATS_TEST_TMPDIR/tcg" linux-guest qemu-tcg
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR/tcg"
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "$output"
	assert_output_has "GUEST_SET is on qemu-tcg-det, PEER_SET on qemu-tcg: ratios compare one backend"
	peer_set "$BATS_TEST_TMPDIR/host" linux linux
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR/host"
	assert_exit 2
	assert_output_has "is of kind linux: PEER_SET is the Linux peer guest"
	UNIT=cycles peer_set "$BATS_TEST_TMPDIR/cyc"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR/cyc"
	assert_exit 2
	assert_output_has "GUEST_SET is in instructions, PEER_SET in cycles"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/tcg"
	assert_exit 2
	assert_output_has "is a Linux set (kind linux-guest): GUEST_SET is a guest sweep"
}

@test "bad input: exit 2 naming it" {
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/nope"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/nope: No such file or directory"
	guest_set "$BATS_TEST_TMPDIR/g"
	rm "$BATS_TEST_TMPDIR/g/meta.json"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/g"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/g/meta.json: No such file or directory"
	guest_set "$BATS_TEST_TMPDIR/c"
	sed -i '3s/,instructions,$/,instructions/' "$BATS_TEST_TMPDIR/c/metrics.csv"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/c"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/c/metrics.csv:3:"
	guest_set "$BATS_TEST_TMPDIR/mixed"
	sed -i '3s/,instructions,$/,cycles,/' "$BATS_TEST_TMPDIR/mixed/metrics.csv"
	run "$FORKBENCH" ratios "$BATS_TEST_TMPDIR/mixed"
	assert_exit 2
	assert_output_has "create cycles_to_return is in both cycles and instructions (cow 1G): one clock per set"
	run "$FORKBENCH" ratios
	assert_exit 2
	assert_output_has "no GUEST_SET given"
	run "$FORKBENCH" ratios a b c
	assert_exit 2
	assert_output_has "c: at most two result sets"
	run "$FORKBENCH" ratios --bogus
	assert_exit 2
	assert_output_has "--bogus: unknown option"
}
