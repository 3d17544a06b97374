#!/usr/bin/env bats
# forkbench run --parent-pages 4K|2M: the bench word each configuration's
# guest gets, what meta.json records, and who refuses sets or shards that
# differ in it. The guest is not needed to see what the sweep passes: a
# stand-in fbvmm prints its arguments (kept in raw/KEY.log) and fails.

load helpers

FORKBENCH=$FB_BUILD/forkbench

setup() {
	STANDIN=$BATS_TEST_TMPDIR/fbvmm
	printf '#!/bin/sh\necho "argv: $*" >&2\nexit 1\n' >"$STANDIN"
	chmod +x "$STANDIN"
}

# sweep OUT [ARGS...]: a two-configuration sweep through the stand-in.
sweep() {
	local out=$1
	shift
	run "$FORKBENCH" run -b qemu-tcg-det --sim off --fbvmm "$STANDIN" \
		--guest "$BATS_TEST_TMPDIR/guest.elf" --variants cow,huge_split \
		--scenarios create --sizes 4M --reps 1 -o "$out" "$@"
}

@test "--help documents --parent-pages" {
	run "$FORKBENCH" run --help
	assert_exit 0
	assert_output_has "--parent-pages 4K|2M"
	assert_output_has "huge_copy and huge_split always 2M"
}

@test "a size other than 4K or 2M: one line, exit 2" {
	run "$FORKBENCH" run --parent-pages 1G
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "--parent-pages '1G': expected 4K or 2M"
	run "$FORKBENCH" run --parent-pages
	assert_exit 2
	assert_output_has "--parent-pages: needs an argument"
}

@test "2M with the Linux peer: refused, exit 2, naming its huge-page variant" {
	run "$FORKBENCH" run --os linux -b qemu-tcg-det --parent-pages 2M \
		--kernel /nonexistent
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "more than one line: $output"
	assert_output_has "--parent-pages 2M: only with --os guest"
	assert_output_has "linux_fork_thp"
}

@test "2M: every configuration's guest gets parent_pages=2M; meta.json says 2M" {
	local d=$BATS_TEST_TMPDIR/huge
	sweep "$d" --parent-pages 2M
	assert_exit 1 # the stand-in fails every configuration
	for k in cow_create_4194304 huge_split_create_4194304; do
		grep -q " bench scenario=create variant=${k%%_create*} size=4194304 reps=1 parent_pages=2M$" \
			"$d/raw/$k.log" || fail_with "$k: $(cat "$d/raw/$k.log")"
	done
	grep -q '"parent_pages": "2M"}' "$d/meta.json" ||
		fail_with "$(grep '"sweep"' "$d/meta.json")"
}

@test "default (4K): no word for the guest; meta.json says 4K" {
	local d=$BATS_TEST_TMPDIR/small
	sweep "$d"
	assert_exit 1
	! grep -q parent_pages "$d/raw/cow_create_4194304.log" ||
		fail_with "$(cat "$d/raw/cow_create_4194304.log")"
	grep -q '"parent_pages": "4K"}' "$d/meta.json" ||
		fail_with "$(grep '"sweep"' "$d/meta.json")"
	sweep "$BATS_TEST_TMPDIR/said" --parent-pages 4K
	! grep -q parent_pages "$BATS_TEST_TMPDIR/said/raw/cow_create_4194304.log"
}

@test "merge refuses shards whose parent pages differ" {
	sweep "$BATS_TEST_TMPDIR/s1" --shard 1/2
	sweep "$BATS_TEST_TMPDIR/s2" --shard 2/2 --parent-pages 2M
	run "$FORKBENCH" merge "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/s1" \
		"$BATS_TEST_TMPDIR/s2"
	assert_exit 2
	assert_output_has "sweep parameters 'reps 1; variants cow huge_split; scenarios create; sizes 4194304; parent_pages 2M' differ from"
}
