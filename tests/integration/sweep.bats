#!/usr/bin/env bats
# forkbench run: a tiny sweep end to end, interruption and resume, a
# failing configuration, and bad arguments.

load helpers

FORKBENCH=$FB_BUILD/forkbench

# Every (variant, scenario, size, rep) has its scenario's metrics, once
# each, and there are CONFIGS x (REPS + the warm-up) such groups.
check_rows() { # DIR CONFIGS REPS
	local dir=$1 configs=$2 reps=$3 bad
	bad=$(tail -n +2 "$dir/metrics.csv" | awk -F, -v want=$((configs * (reps + 1))) '
		{ group = $1 FS $2 FS $3 FS $4; n[group]++; seen[$2 FS $5] = 1
		  if (dup[group FS $5]++) { print "duplicate " group FS $5; exit } }
		END {
			for (k in seen) { split(k, p, FS); m[p[1]]++ }
			groups = 0
			for (g in n) { split(g, p, FS); groups++
				if (n[g] != m[p[2]]) print g ": " n[g] " rows, want " m[p[2]] }
			if (groups != want) print groups " groups, want " want
		}')
	[ -z "$bad" ] || fail_with "$bad"
}

@test "a tiny sweep: result set complete, rows exact, backend explained" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR/s
	run "$FORKBENCH" run -b qemu-tcg-det -o "$d" --sizes 0,1M --scenarios create,exit_wait --reps 2
	assert_exit 0
	assert_output_has "16 configurations x 2 reps on qemu-tcg-det (given with --backend)"
	assert_output_has "[16/16]"
	assert_output_has "run: overhead:"
	[ "$(head -n 1 "$d/metrics.csv")" = "variant,scenario,size,rep,metric,value,unit,note" ]
	[ "$(tail -n +2 "$d/configs.csv" | grep -c ',ok,')" -eq 16 ]
	check_rows "$d" 16 2
	# qemu-tcg-det's TSC counts instructions: no timing says cycles.
	! grep -q ',cycles,' "$d/metrics.csv" || fail_with "$(grep -m3 ',cycles,' "$d/metrics.csv")"
	# create: 4 variants x 2 sizes x (2 reps + the warm-up)
	[ "$(grep -c ',cycles_to_return,[0-9]*,instructions,' "$d/metrics.csv")" -eq 24 ]
	grep -q '"kind": "guest"' "$d/meta.json"
	grep -q '"verdict": "deterministic"' "$d/meta.json"
	grep -q '"configs": {"planned": 16, "ok": 16, "failed": 0, "not_run": 0}' "$d/meta.json"
	# guest RAM sized for the parent and a full copy: 2 x 1M + 128M
	grep -q "\"guest_mem_bytes\": $((2 * 1048576 + 128 * 1048576))," \
		"$d/raw/cow_create_1048576.json"
}

@test "a tiny sweep end to end: run, then plot renders non-empty PNG and SVG" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR/e
	"$FORKBENCH" run -b qemu-tcg-det -o "$d" --sizes 0,1M --scenarios create,exec_wait,phases --reps 2 2>/dev/null
	run "$FORKBENCH" plot --out "$d/plots" "$d"
	assert_exit 0
	for fig in create_latency phases fork_in_the_road; do
		[ -s "$d/plots/$fig.png" ] && [ -s "$d/plots/$fig.svg" ] ||
			fail_with "$fig missing"
		[ "$(head -c 8 "$d/plots/$fig.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
			fail_with "$fig.png is not a PNG"
		grep -q '<svg' "$d/plots/$fig.svg" || fail_with "$fig.svg is not SVG"
	done
}

@test "auto backend: the run says which backend and why" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR/a
	run "$FORKBENCH" run -o "$d" --sizes 0 --scenarios create --variants cow --reps 1
	assert_exit 0
	grep -Eq "(validity check says|no usable KVM)" "$d/sweep.backend"
	assert_output_has "1 configurations x 1 reps on"
}

@test "SIGINT keeps every finished configuration; --resume loses nothing" {
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR/r
	"$FORKBENCH" run -b qemu-tcg -o "$d" --sizes 0,1M,4M --scenarios create,exit_wait --reps 2 2>"$d.err" &
	local pid=$!
	local waited=0
	while [ "$(ls "$d"/raw/*.status 2>/dev/null | wc -l)" -lt 3 ]; do
		[ $waited -lt 600 ] || { kill "$pid"; fail_with "sweep made no progress in 60 s"; }
		sleep 0.1
		waited=$((waited + 1))
	done
	kill -INT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	grep -q "finish with: forkbench run --resume $d" "$d.err"
	local before
	before=$(tail -n +2 "$d/configs.csv" | wc -l)
	[ "$before" -ge 3 ] && [ "$before" -lt 24 ]
	run "$FORKBENCH" run --resume "$d"
	assert_exit 0
	[ "$(tail -n +2 "$d/configs.csv" | grep -c ',ok,')" -eq 24 ]
	check_rows "$d" 24 2
}

@test "a failing configuration is recorded with its reason; the sweep goes on" {
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR/f
	# a 1-second timeout cannot fit a 1 GiB naive fork under TCG
	run "$FORKBENCH" run -b qemu-tcg -o "$d" --sizes 0,1G --scenarios create --variants vfork,copy --reps 1 -t 1
	assert_exit 1
	grep -q '^copy,create,1073741824,failed,5,' "$d/configs.csv"
	grep -q 'timed out' "$d/configs.csv"
	grep -q '^vfork,create,0,ok,' "$d/configs.csv"
	grep -q '"failed": ' "$d/meta.json"
}

@test "run: bad arguments exit 2 naming them" {
	for args in "--sizes 12Q" "--sizes 9G" "--sizes 8G,8200M" \
		"--mem 21G" "--mem 3M" "-m 5000" "-m lots" "--variants spoon" "--scenarios nap" \
		"--reps 0" "--reps 4294967297" "--timeout 4294967296" \
		"--timeout 86401" "--sizes $(printf '1M,%.0s' {1..100})1M" \
		"--backend xen" "--frobnicate" "stray"; do
		run "$FORKBENCH" run $args -o "$BATS_TEST_TMPDIR/x"
		assert_exit 2
		[ "${#lines[@]}" -eq 1 ] || fail_with "'$args': ${#lines[@]} lines"
	done
	run "$FORKBENCH" run --resume "$BATS_TEST_TMPDIR/nonexistent"
	assert_exit 2
	assert_output_has "sweep.args"
	run "$FORKBENCH" run --help
	assert_exit 0
	assert_output_has "Exit codes"
}

@test "run --mem: every configuration gets it; a parent it cannot hold fails as nomem" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR/m
	run "$FORKBENCH" run -b qemu-tcg-det -m 64M -o "$d" --sizes 0,1G --scenarios create --variants cow --reps 1
	assert_exit 1
	grep -q "\"guest_mem_bytes\": $((64 * 1048576))," "$d/raw/cow_create_0.json"
	grep -q '^cow,create,0,ok,' "$d/configs.csv"
	# the guest refuses up front (guest_input.bats checks its message)
	grep -q '^cow,create,1073741824,failed,1,guest reported nomem' "$d/configs.csv"
}

# RAM below the 32-bit MMIO hole is 3 GiB at most (lib/backend.h), so a
# 4 GiB parent lives partly above 4 GiB, whatever the frame allocator
# prefers; about 12 s on qemu-tcg, 20 s on qemu-tcg-det.
@test "run --sizes 4G: a COW fork of a parent that lives above 4 GiB" {
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR/big pages=$((4 * 262144)) v
	run "$FORKBENCH" run -b qemu-tcg -o "$d" --sizes 4G --scenarios create --variants cow --reps 1
	assert_exit 0
	grep -q "\"guest_mem_bytes\": $((2 * 4 * 1073741824 + 128 * 1048576))," \
		"$d/raw/cow_create_4294967296.json"
	grep -q '^cow,create,4294967296,ok,' "$d/configs.csv"
	# every parent page mapped: a PTE each (plus text and stack), and a
	# page table per 512 of them
	v=$(awk -F, '$4 == 1 && $5 == "ptes_copied" { print $6 }' "$d/metrics.csv")
	[ "$v" -ge "$pages" ] && [ "$v" -lt $((pages + 64)) ] || fail_with "ptes_copied $v"
	v=$(awk -F, '$4 == 1 && $5 == "pt_pages_alloc" { print $6 }' "$d/metrics.csv")
	[ "$v" -ge $((pages / 512)) ] && [ "$v" -lt $((pages / 512 + 32)) ] ||
		fail_with "pt_pages_alloc $v"
}

@test "run refuses to overwrite an existing sweep" {
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR/o
	"$FORKBENCH" run -b qemu-tcg -o "$d" --sizes 0 --scenarios create --variants cow --reps 1 2>/dev/null
	run "$FORKBENCH" run -b qemu-tcg -o "$d" --sizes 0 --scenarios create --variants cow --reps 1
	assert_exit 2
	assert_output_has "already holds a sweep"
}

@test "forkbench: unknown subcommand and --help" {
	run "$FORKBENCH" frobnicate
	assert_exit 2
	assert_output_has "unknown command 'frobnicate'"
	run "$FORKBENCH" --help
	assert_exit 0
	assert_output_has "compare"
}
