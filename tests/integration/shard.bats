#!/usr/bin/env bats
# A sweep spread over machines: forkbench run --shard K/N runs a
# deterministic 1/N of the configurations, forkbench merge joins the
# shards into the result set the unsharded run writes.

load helpers

FORKBENCH=$FB_BUILD/forkbench
SWEEP=(-b qemu-tcg-det --variants copy,cow,vfork --scenarios create,exit_wait
	--sizes 0,1M --reps 2)

setup_file() {
	# one unsharded run and its three shards, shared by the tests below
	local d=$BATS_FILE_TMPDIR
	"$FORKBENCH" run "${SWEEP[@]}" -o "$d/whole" 2>/dev/null
	for k in 1 2 3; do
		"$FORKBENCH" run "${SWEEP[@]}" --shard "$k/3" -o "$d/s$k" \
			2>"$d/s$k.err"
	done
}

configs_of() { # DIR: its configurations (variant,scenario,size), one per line
	cut -d, -f1-3 "$1/configs.csv" | tail -n +2
}

@test "the shards split the sweep: disjoint, complete, every 3rd from the k-th" {
	need_backend qemu-tcg-det
	local d=$BATS_FILE_TMPDIR
	# 3 variants x 2 scenarios x 2 sizes = 12 configurations, 4 per shard
	[ "$(configs_of "$d/whole" | wc -l)" -eq 12 ]
	local k
	for k in 1 2 3; do
		[ "$(configs_of "$d/s$k" | wc -l)" -eq 4 ]
		grep -q "4 configurations (shard $k/3)" "$d/s$k.err"
		grep -q "\"shard\": \"$k/3\"" "$d/s$k/meta.json"
		# the unsharded order, every 3rd line from line k
		diff <(configs_of "$d/whole" | awk -v k="$k" 'NR % 3 == k % 3') \
			<(configs_of "$d/s$k")
	done
	diff <(configs_of "$d/whole" | sort) \
		<(cat <(configs_of "$d/s1") <(configs_of "$d/s2") \
			<(configs_of "$d/s3") | sort)
}

@test "merge of 3 shards equals the unsharded run's metrics.csv byte for byte" {
	need_backend qemu-tcg-det
	local d=$BATS_FILE_TMPDIR
	run "$FORKBENCH" merge "$d/m" "$d/s3" "$d/s1" "$d/s2"
	assert_exit 0
	cmp "$d/whole/metrics.csv" "$d/m/metrics.csv"
	grep -q '"shard": null' "$d/m/meta.json"
	grep -q '"configs": {"planned": 12, "ok": 12, "failed": 0, "not_run": 0}' "$d/m/meta.json"
	grep -q '"command": "forkbench merge ' "$d/m/meta.json"
	! grep -q -- --shard "$d/m/sweep.args"
}

@test "merge of a missing shard: the rest kept, exit 1, --resume completes it" {
	need_backend qemu-tcg-det
	local d=$BATS_FILE_TMPDIR
	run "$FORKBENCH" merge "$d/p" "$d/s1" "$d/s2"
	assert_exit 1
	grep -q '"not_run": 4' "$d/p/meta.json"
	run "$FORKBENCH" run --resume "$d/p"
	assert_exit 0
	cmp "$d/whole/metrics.csv" "$d/p/metrics.csv"
}

@test "merge refuses a configuration present twice, naming it" {
	need_backend qemu-tcg-det
	local d=$BATS_FILE_TMPDIR
	run "$FORKBENCH" merge "$d/twice" "$d/s1" "$d/s2" "$d/s1"
	assert_exit 2
	assert_output_has "configuration copy_create_0 is in both $d/s1 and $d/s1"
	[ ! -e "$d/twice/metrics.csv" ]
}

@test "merge refuses mismatched parameters or backends unless --force" {
	need_backend qemu-tcg-det
	local d=$BATS_FILE_TMPDIR
	"$FORKBENCH" run -b qemu-tcg-det --variants copy --scenarios create \
		--sizes 4M --reps 2 -o "$d/other" 2>/dev/null
	run "$FORKBENCH" merge "$d/x" "$d/s1" "$d/other"
	assert_exit 2
	assert_output_has "$d/other: sweep parameters 'reps 2; variants copy;"
	assert_output_has "(--force merges anyway)"
	cp -a "$d/s2" "$d/s2tcg"
	sed -i 's/^qemu-tcg-det$/qemu-tcg/' "$d/s2tcg/sweep.args"
	run "$FORKBENCH" merge "$d/y" "$d/s1" "$d/s2tcg"
	assert_exit 2
	assert_output_has "backend 'qemu-tcg' differ from $d/s1's 'qemu-tcg-det'"
	run "$FORKBENCH" merge --force "$d/z" "$d/s1" "$d/other"
	[ "$status" -le 1 ]
	assert_output_has "(merged anyway: --force)"
	grep -q "^copy,create,4194304," "$d/z/configs.csv"
}

@test "run --shard and merge: bad arguments exit 2 with one line" {
	local a
	for a in 0/3 4/3 3 1/0 x/2 1/2x 2/1001; do
		run "$FORKBENCH" run --shard "$a" -o "$BATS_TEST_TMPDIR/x"
		assert_exit 2
		[ "${#lines[@]}" -eq 1 ]
		assert_output_has "--shard '$a': expected K/N"
	done
	run "$FORKBENCH" merge "$BATS_TEST_TMPDIR/out"
	assert_exit 2
	assert_output_has "need OUT and at least one shard directory"
	run "$FORKBENCH" merge "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/none"
	assert_exit 2
	assert_output_has "none/sweep.args: No such file or directory"
	run "$FORKBENCH" merge --bogus a b
	assert_exit 2
	run "$FORKBENCH" merge --help
	assert_exit 0
	assert_output_has "Exit codes"
}
