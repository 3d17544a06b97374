#!/usr/bin/env bats
# forkbench host: the guest's scenarios on this Linux, as a result set in
# the guest's schema; warm-up rows, batches, notes and the pinned CPU;
# failed configurations recorded, bad input refused, an interrupted sweep
# keeps what it finished.

load helpers

FORKBENCH=$FB_BUILD/forkbench

# The metrics of each scenario, per variant (posix_spawn: no child code
# of ours, so no cycles_to_child; the others have both child metrics in
# every sample, one of them NA).
metrics_of() { # VARIANT SCENARIO
	case $2 in
	create)
		if [ "$1" = linux_posix_spawn ]; then echo cycles_to_return
		else echo cycles_to_return cycles_to_child cycles_to_child_parent_first; fi ;;
	exit_wait) echo cycles_create_exit_wait ;;
	exec_wait) echo cycles_create_exec_wait ;;
	cow) echo cycles_per_write write_cycles_total pages_written ;;
	tlb) echo tlb_cycles_before tlb_cycles_after tlb_accesses \
		tlb_cycles_per_access_before tlb_cycles_per_access_after \
		tlb_stlb_entries ;;
	cache) echo cache_cycles_before cache_cycles_after cache_accesses \
		cache_cycles_per_access_before cache_cycles_per_access_after \
		cache_tlb_refill_cycles cache_hot_kb ;;
	esac
}

applies() { # VARIANT SCENARIO
	case $2 in
	create) return 0 ;;
	exit_wait) [ "$1" != linux_posix_spawn ] ;;
	exec_wait) [ "$1" != linux_thread ] ;;
	cow) [ "$1" = linux_fork ] || [ "$1" = linux_fork_thp ] ;;
	tlb | cache) return 0 ;;
	esac
}

VARIANTS="linux_fork linux_vfork linux_clone_vm linux_clone_vm_vfork linux_posix_spawn linux_thread linux_fork_thp"
SCENARIOS="create exit_wait exec_wait cow tlb cache"

# rows FILE VARIANT SCENARIO SIZE METRIC: how many metric rows match
rows() {
	awk -F, -v v="$2" -v s="$3" -v z="$4" -v m="$5" \
		'$1 == v && $2 == s && $3 == z && $5 == m' "$1" | wc -l
}

# A CPU this process may not use: one past the highest allowed.
cpu_not_allowed() {
	python3 -c 'import os; print(max(os.sched_getaffinity(0)) + 1)'
}

@test "a tiny sweep: every applicable configuration, every rep, every metric" {
	local d=$BATS_TEST_TMPDIR/set
	run "$FORKBENCH" host --sizes 0,1M --reps 3 --out "$d"
	assert_exit 0
	# create 7 + exit_wait 6 + exec_wait 6 + cow 2 + tlb 7 + cache 7 per size
	assert_output_has "host: [1/70] linux_fork create 0 ok ("
	assert_output_has "70 of 70 configurations (70 ok, 0 failed)"
	[ "$(head -n 1 "$d/metrics.csv")" = "variant,scenario,size,rep,metric,value,unit,note" ]
	[ "$(head -n 1 "$d/configs.csv")" = "variant,scenario,size,status,exit_code,reason,wall_s,guest_s" ]
	local expected=0 v s z m
	for z in 0 1048576; do
		for v in $VARIANTS; do
			for s in $SCENARIOS; do
				applies $v $s || continue
				for m in $(metrics_of $v $s); do
					# the warm-up and 3 measured samples
					local want=4
					# cow at size 0: one NA row per rep, as the guest
					[ $s = cow ] && [ $z = 0 ] && { [ $m = cycles_per_write ] || want=0; }
					# tlb at size 0: its last metric NA, the others absent
					[ $s = tlb ] && [ $z = 0 ] && { [ $m = tlb_cycles_per_access_after ] || want=0; }
					local got
					got=$(rows "$d/metrics.csv" $v $s $z $m)
					[ "$got" -eq "$want" ] ||
						fail_with "$v $s $z $m: $got rows, want $want"
					expected=$((expected + want))
				done
			done
		done
	done
	[ "$(($(wc -l <"$d/metrics.csv") - 1))" -eq "$expected" ]
	# Values whole numbers (batches rounded; per access: 3 decimals at
	# most), units as the guest's; NA only where documented, with its
	# reason first (after warmup).
	awk -F, 'NR > 1 { n = $8; sub(/^warmup;?/, "", n) }
		NR > 1 && $6 !~ /^[0-9]+$/ &&
		!($5 ~ /_per_access_/ && $6 ~ /^[0-9]+\.[0-9][0-9]?[0-9]?$/) &&
		!($6 == "NA" && ($2 == "cow" || $2 == "tlb") && $3 == 0 && n ~ /^parent_has_no_pages(;|$)/) &&
		!($6 == "NA" && $5 == "cycles_to_child" && n ~ /^parent_ran_first(;|$)/) &&
		!($6 == "NA" && $5 == "cycles_to_child_parent_first" && n ~ /^child_ran_first(;|$)/) {
		print "bad row " NR ": " $0; bad = 1 } END { exit bad }' "$d/metrics.csv"
	awk -F, 'NR > 1 && $7 != "cycles" && !($5 == "pages_written" && $7 == "pages") &&
		!($5 ~ /_accesses$/ && $7 == "count") &&
		!($5 == "tlb_stlb_entries" && $7 == "entries") &&
		!($5 == "cache_hot_kb" && $7 == "KiB") {
		print "bad unit " NR ": " $0; bad = 1 } END { exit bad }' "$d/metrics.csv"
	# The reps are 0 (the warm-up) and 1..3.
	[ "$(awk -F, 'NR > 1 { print $4 }' "$d/metrics.csv" | sort -u | tr '\n' ' ')" = "0 1 2 3 " ]
	# configs.csv: 35 pairs x 2 sizes, all ok, guest_s empty.
	[ "$(($(wc -l <"$d/configs.csv") - 1))" -eq 70 ]
	awk -F, 'NR > 1 && ($4 != "ok" || $5 != 0 || $6 != "" || $8 != "" ||
		$7 !~ /^[0-9]+\.[0-9]+$/) { print "bad config " $0; bad = 1 }
		END { exit bad }' "$d/configs.csv"
	# No temporary files left.
	[ "$(ls "$d" | sort | tr '\n' ' ')" = "configs.csv meta.json metrics.csv " ]
}

# The second-level TLB's 4K entries as the cpuid tool decodes CPUID, or
# empty where this test cannot decode them (Intel's leaf 0x18).
stlb_by_cpuid_tool() {
	grep -q AuthenticAMD /proc/cpuinfo || return 0
	cpuid -1 -l 0x80000006 | awk '/4K pages & L2 TLB/ { t = 1 }
		t && /data # entries/ { gsub(/[()]/, "", $NF); print $NF; exit }'
}

@test "tlb and cache probes: passes sized from CPUID and the L2, per access from totals" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 1M,64M --reps 2 --scenarios tlb,cache \
		--variants linux_fork,linux_thread --out "$d" 2>/dev/null
	local stlb
	stlb=$(awk -F, '$5 == "tlb_stlb_entries" { print $6 }' "$d/metrics.csv" | sort -u)
	[ "$(printf '%s\n' "$stlb" | wc -l)" -eq 1 ] && [ "$stlb" -gt 0 ] ||
		fail_with "tlb_stlb_entries: $stlb"
	local want
	want=$(stlb_by_cpuid_tool)
	[ -z "$want" ] || [ "$stlb" -eq "$want" ] ||
		fail_with "tlb_stlb_entries $stlb, the cpuid tool says $want"
	# One read per parent page, at most as many as the STLB maps.
	local z pages
	for z in 1048576 67108864; do
		pages=$((z / 4096)); [ "$pages" -lt "$stlb" ] || pages=$stlb
		[ "$(awk -F, -v z=$z '$3 == z && $5 == "tlb_accesses" { print $6 }' \
			"$d/metrics.csv" | sort -u)" = "$pages" ] || fail_with "tlb_accesses at $z"
	done
	# The hot set is half the L2 that glibc reads from CPUID; one read
	# per line but each page's first: 63 per 4K page.
	local l2_kb=$(($(getconf LEVEL2_CACHE_SIZE) / 1024))
	[ "$l2_kb" -gt 0 ] || skip "getconf LEVEL2_CACHE_SIZE reports no L2"
	[ "$(awk -F, '$5 == "cache_hot_kb" { print $6 }' "$d/metrics.csv" | sort -u)" = $((l2_kb / 2)) ]
	[ "$(awk -F, '$5 == "cache_accesses" { print $6 }' "$d/metrics.csv" | sort -u)" = \
		$((l2_kb / 2 * 1024 / 4096 * 63)) ]
	# Per access: the totals' quotient, to 3 decimals, in every sample.
	python3 - "$d/metrics.csv" <<'PY' || fail_with "per-access values"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
val = {(r["variant"], r["scenario"], r["size"], r["rep"], r["metric"]): r["value"] for r in rows}
checked = 0
for (v, s, z, rep, m), x in val.items():
    if "_per_access_" not in m:
        continue
    side = m.rsplit("_", 1)[1]
    total = int(val[(v, s, z, rep, f"{s}_cycles_{side}")])
    n = int(val[(v, s, z, rep, f"{s}_accesses")])
    want = (total * 1000 + n // 2) // n
    assert round(float(x) * 1000) == want, (v, s, z, rep, m, x, total, n)
    checked += 1
assert checked == 2 * 2 * 2 * 3 * 2, checked
PY
}

@test "warm-up rows: rep 0 noted warmup, reps 1..N not" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 4K --reps 3 --variants linux_fork,linux_thread \
		--out "$d" 2>/dev/null
	awk -F, 'NR > 1 && ($4 == 0) != ($8 ~ /^warmup(;|$)/) {
		print "bad warm-up label " NR ": " $0; bad = 1 }
		END { exit bad }' "$d/metrics.csv"
	# every configuration has its warm-up: fork 6 scenarios, thread 4
	[ "$(awk -F, 'NR > 1 && $4 == 0 { print $1, $2 }' "$d/metrics.csv" | sort -u | wc -l)" -eq 10 ]
	grep -q '"warmup_reps": 1,' "$d/meta.json"
	grep -q '"reps": 3,' "$d/meta.json"
}

@test "notes: known parts only, in order; batches on exit_wait and exec_wait" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 0,64K --reps 3 --out "$d" 2>/dev/null
	# warmup, an NA reason, batch:K, disturbed:nivcsw:N, disturbed:load:L
	awk -F, 'NR > 1 && $8 != "" &&
		$8 !~ /^(warmup;?)?(parent_ran_first;?|child_ran_first;?|parent_has_no_pages;?|negative_tsc_delta:child_before_call_start;?)?(batch:[0-9]+;?)?(disturbed:nivcsw:[1-9][0-9]*;?)?(disturbed:load:[0-9]+\.[0-9][0-9])?$/ {
		print "bad note " NR ": " $0; bad = 1 } END { exit bad }' "$d/metrics.csv"
	awk -F, 'NR > 1 && $8 ~ /;$/ { print "trailing ; " NR; bad = 1 }
		END { exit bad }' "$d/metrics.csv"
	# batch:K on every lifecycle row and no other; one K per
	# configuration, a power of two from 1 to 1024
	awk -F, 'NR > 1 { lc = $2 == "exit_wait" || $2 == "exec_wait"
		k = ""; if (match($8, /batch:[0-9]+/)) k = substr($8, RSTART + 6, RLENGTH - 6)
		if (lc != (k != "")) { print "batch note " NR ": " $0; bad = 1 }
		if (k == "") next
		key = $1 "," $2 "," $3
		if (key in K && K[key] != k) { print "two K in " key; bad = 1 }
		K[key] = k
		for (p = 1; p < k + 0; p *= 2) ;
		if (p != k + 0 || k + 0 > 1024) { print "K " k " in " key; bad = 1 } }
		END { exit bad }' "$d/metrics.csv"
}

@test "create: exactly one of cycles_to_child and cycles_to_child_parent_first per sample" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 0 --reps 5 --scenarios create --out "$d" 2>/dev/null
	awk -F, 'NR > 1 && ($5 == "cycles_to_child" || $5 == "cycles_to_child_parent_first") {
		k = $1 "," $3 "," $4; n[k]++; if ($6 != "NA") v[k]++ }
		END { for (k in n) if (n[k] != 2 || v[k] != 1) {
			print k ": " n[k] " rows, " v[k] + 0 " valued"; bad = 1 }
		exit bad }' "$d/metrics.csv"
	# 6 variants with a child of ours (all but posix_spawn), 6 samples each
	[ "$(awk -F, '$5 == "cycles_to_child"' "$d/metrics.csv" | wc -l)" -eq 36 ]
	# a vfork parent sleeps until its child has run: child first, always
	! awk -F, '$1 == "linux_vfork" && $5 == "cycles_to_child" && $6 == "NA"' \
		"$d/metrics.csv" | grep -q .
}

@test "pinned: the last allowed CPU by default, --cpu N recorded" {
	local d=$BATS_TEST_TMPDIR/set last
	last=$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')
	"$FORKBENCH" host --sizes 0 --reps 1 --variants linux_thread \
		--scenarios create --out "$d/a" 2>/dev/null
	grep -q "\"cpu\": $last," "$d/a/meta.json"
	grep -Eq '"cpus_allowed": "[0-9]' "$d/a/meta.json"
	"$FORKBENCH" host --sizes 0 --reps 1 --variants linux_thread \
		--scenarios create --cpu 0 --out "$d/b" 2>/dev/null
	grep -q '"cpu": 0,' "$d/b/meta.json"
}

@test "a CPU outside the allowed set: one line, exit 2, nothing written" {
	local bad
	bad=$(cpu_not_allowed)
	run "$FORKBENCH" host --sizes 0 --reps 1 --cpu "$bad" --out "$BATS_TEST_TMPDIR/never"
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ] || fail_with "${#lines[@]} lines: $output"
	assert_output_has "--cpu $bad: not one of the CPUs this process may use ("
	[ ! -e "$BATS_TEST_TMPDIR/never" ]
}

@test "meta.json: kind linux, tsc_khz, validity, sweep and host" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 4K --reps 1 --variants linux_fork --out "$d" 2>/dev/null
	local m=$d/meta.json
	grep -q '"schema": "forkbench-resultset-2"' "$m"
	grep -q '"kind": "linux"' "$m"
	grep -q '"backend": "linux"' "$m"
	grep -Eq '"clock": \{"tsc_khz": [1-9][0-9]{5,7},' "$m"
	grep -q '"validity": {"verdict": "native", "why": "' "$m"
	grep -q '"command": "forkbench host --sizes 4K --reps 1 --variants linux_fork --out ' "$m"
	grep -Eq '"created": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' "$m"
	grep -Eq '"git_revision": "([0-9a-f]{12}(-dirty)?|unknown)"' "$m"
	grep -q '"sweep": {"variants": \["linux_fork"\], "scenarios": \["create", "exit_wait", "exec_wait", "cow", "tlb", "cache"\], "sizes": \[4096\], "reps": 1,' "$m"
	grep -q '"host": {"cpu_vendor": ' "$m"
	grep -q '"complete": true' "$m"
	if command -v python3 >/dev/null; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$m"
	fi
}

@test "--help documents options, variants, scenarios and exit codes" {
	run "$FORKBENCH" host --help
	assert_exit 0
	for word in --variants --scenarios --sizes --reps --writes --cpu --out \
		linux_clone_vm_vfork linux_posix_spawn linux_thread cycles_to_child \
		cycles_to_child_parent_first parent_ran_first child_ran_first \
		negative_tsc_delta:child_before_call_start "cannot be batched" \
		batch:K lat_proc warmup "(default 10)" disturbed:nivcsw:N \
		disturbed:load:L cycles_create_exec_wait parent_has_no_pages \
		tsc_khz "Exit codes" "130 interrupted"; do
		assert_output_has "$word"
	done
}

@test "bad inputs: exit 2 with one line naming the value" {
	local args
	for args in "--sizes 12Q|'12Q'" "--reps 0|--reps '0'" \
		"--variants spoon|'spoon'" "--bogus|--bogus" \
		"--scenarios create,phases|'phases'" "--sizes 1000|'1000'" \
		"--writes 0|--writes '0'" "--reps|--reps: needs an argument" \
		"--cpu x|--cpu 'x'" "--cpu -1|--cpu '-1'"; do
		run "$FORKBENCH" host --out "$BATS_TEST_TMPDIR/never" ${args%%|*}
		assert_exit 2
		[ "${#lines[@]}" -eq 1 ] || fail_with "$args: ${#lines[@]} lines: $output"
		assert_output_has "${args#*|}"
	done
	[ ! -e "$BATS_TEST_TMPDIR/never" ]
}

@test "an existing result set is not overwritten" {
	local d=$BATS_TEST_TMPDIR/set
	"$FORKBENCH" host --sizes 0 --reps 1 --variants linux_thread --out "$d" 2>/dev/null
	cp "$d/metrics.csv" "$BATS_TEST_TMPDIR/before"
	run "$FORKBENCH" host --sizes 0 --reps 1 --out "$d"
	assert_exit 2
	assert_output_has "already holds a metrics.csv"
	cmp "$d/metrics.csv" "$BATS_TEST_TMPDIR/before"
}

@test "a parent that cannot exist: failed with its reason, the sweep goes on, exit 1" {
	local d=$BATS_TEST_TMPDIR/set
	run "$FORKBENCH" host --sizes 65536G,4K --reps 2 --variants linux_fork \
		--scenarios create --out "$d"
	assert_exit 1
	assert_output_has "host: [1/2] linux_fork create 64T failed: a 64T parent does not fit"
	assert_output_has "host: [2/2] linux_fork create 4K ok"
	grep -q '^linux_fork,create,70368744177664,failed,1,a 64T parent does not fit in the [0-9]* MiB of MemAvailable,' "$d/configs.csv"
	grep -q '^linux_fork,create,4096,ok,0,,' "$d/configs.csv"
	# The failed configuration has no rows; the other has all of its.
	[ "$(rows "$d/metrics.csv" linux_fork create 70368744177664 cycles_to_return)" -eq 0 ]
	[ "$(rows "$d/metrics.csv" linux_fork create 4096 cycles_to_return)" -eq 3 ]
	grep -q '"configs": {"planned": 2, "ok": 1, "failed": 1, "not_run": 0}' "$d/meta.json"
}

@test "SIGINT: finished configurations kept, exit 130" {
	local d=$BATS_TEST_TMPDIR/set
	run timeout --preserve-status -s INT 3 "$FORKBENCH" host \
		--sizes 0,4K,8K,12K --reps 300 --out "$d"
	assert_exit 130
	assert_output_has "(interrupted)"
	[ "$(ls "$d" | sort | tr '\n' ' ')" = "configs.csv meta.json metrics.csv " ]
	local done
	done=$(($(wc -l <"$d/configs.csv") - 1))
	[ "$done" -ge 1 ] && [ "$done" -lt 140 ] || fail_with "$done configurations"
	# Every recorded configuration is complete: the warm-up and 300 reps.
	[ "$(rows "$d/metrics.csv" linux_fork create 0 cycles_to_return)" -eq 301 ]
	! grep -v '^variant' "$d/configs.csv" | grep -qv ',ok,'
	grep -q '"interrupted": true' "$d/meta.json"
	grep -q '"complete": false' "$d/meta.json"
}
