#!/usr/bin/env bats
# Measurements: raw per-repetition metrics, counters that follow each
# variant's arithmetic, PMU metrics missing rather than 0, complete
# metadata, and a deterministic mode that repeats exactly.

load helpers

bench_csv() { # BACKEND OUT.csv GUEST-ARGS...
	local backend=$1 out=$2
	shift 2
	vmm -q -b "$backend" -m 64M -t 600 --csv "$out" "$GUEST" bench "$@"
}

# value METRIC REP FILE: the value column of one row
value() {
	awk -F, -v m="$1" -v r="$2" '$5 == m && $4 == r { print $6 }' "$3"
}

@test "every repetition is reported raw, with units" {
	need_backend qemu-tcg-det
	bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/r.csv" scenario=create variant=cow size=1M reps=4
	head -n 1 "$BATS_TEST_TMPDIR/r.csv" | grep -qx 'variant,scenario,size,rep,metric,value,unit,note'
	for rep in 0 1 2 3; do
		[ -n "$(value cycles_to_return $rep "$BATS_TEST_TMPDIR/r.csv")" ]
		[ -n "$(value cycles_to_child $rep "$BATS_TEST_TMPDIR/r.csv")" ]
	done
	! grep -q ',,' <(cut -d, -f1-7 "$BATS_TEST_TMPDIR/r.csv")
}

# Each extra 4 KiB of parent adds exactly one page copy (naive), one PTE
# (COW), nothing (vfork, clone_vm).
@test "counters follow each variant's arithmetic" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	for v in copy cow vfork clone_vm; do
		bench_csv qemu-tcg-det "$d/$v-1.csv" scenario=create variant=$v size=1M reps=1
		bench_csv qemu-tcg-det "$d/$v-2.csv" scenario=create variant=$v size=2M reps=1
		local pages=$(( $(value pages_copied 0 "$d/$v-2.csv") - $(value pages_copied 0 "$d/$v-1.csv") ))
		local ptes=$(( $(value ptes_copied 0 "$d/$v-2.csv") - $(value ptes_copied 0 "$d/$v-1.csv") ))
		case $v in
		copy) [ "$pages" -eq 256 ] && [ "$ptes" -eq 256 ] ;;
		cow) [ "$pages" -eq 0 ] && [ "$ptes" -eq 256 ] &&
			[ "$(value pages_copied 0 "$d/$v-2.csv")" -eq 0 ] &&
			[ "$(value tlb_full_flushes 0 "$d/$v-2.csv")" -eq 1 ] ;;
		vfork | clone_vm) [ "$(value ptes_copied 0 "$d/$v-2.csv")" -eq 0 ] &&
			[ "$(value pages_copied 0 "$d/$v-2.csv")" -eq 0 ] ;;
		esac || fail_with "$v: +1 MiB gave +$pages pages, +$ptes PTEs"
	done
}

@test "COW writes: copies while the other side shares, reuses after it exits" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/p.csv" scenario=cow variant=cow size=1M reps=1 writes=32 writer=parent policy=parent
	[ "$(value cow_copies 0 "$d/p.csv")" -eq 32 ]
	[ "$(value cow_reuses 0 "$d/p.csv")" -eq 0 ]
	bench_csv qemu-tcg-det "$d/c.csv" scenario=cow variant=cow size=1M reps=1 writes=32 writer=parent policy=child
	[ "$(value cow_copies 0 "$d/c.csv")" -eq 0 ]
	[ "$(value cow_reuses 0 "$d/c.csv")" -eq 32 ]
	bench_csv qemu-tcg-det "$d/w.csv" scenario=cow variant=copy size=1M reps=1 writes=32 writer=child
	[ "$(value cow_faults 0 "$d/w.csv")" -eq 0 ]
}

@test "per-phase breakdown: the phases are reported when asked" {
	need_backend qemu-tcg-det
	bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/ph.csv" scenario=create variant=copy size=1M reps=1 phases=1
	for m in phase_pt_copy phase_page_copy phase_tlb phase_rest; do
		[ -n "$(value $m 0 "$BATS_TEST_TMPDIR/ph.csv")" ]
	done
	[ "$(value phase_page_copy 0 "$BATS_TEST_TMPDIR/ph.csv")" -gt 0 ]
}

@test "every scenario runs for every variant it applies to" {
	need_backend qemu-tcg-det
	for sc in create exit_wait exec_wait tlb cache; do
		for v in copy cow vfork clone_vm; do
			bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/s.csv" scenario=$sc variant=$v size=256K reps=1 hot_kb=64 ||
				fail_with "$sc/$v failed"
		done
	done
	run vmm -b qemu-tcg-det "$GUEST" bench scenario=cow variant=vfork
	assert_exit 2
	assert_output_has "scenario cow needs variant copy or cow"
}

@test "no PMU: PMU metrics are NA with the reason, never 0" {
	need_backend qemu-tcg
	bench_csv qemu-tcg "$BATS_TEST_TMPDIR/p.csv" scenario=create variant=cow size=0 reps=2
	[ "$(grep -c ',pmu_' "$BATS_TEST_TMPDIR/p.csv")" -eq 12 ]
	! grep ',pmu_' "$BATS_TEST_TMPDIR/p.csv" | grep -v ',NA,count,no_pmu'
}

@test "the host passes its PMU event codes to the guest" {
	need_backend qemu-tcg
	local rec=$BATS_TEST_TMPDIR/e.rec
	vmm -q -b qemu-tcg -r "$rec" "$GUEST" bench scenario=create variant=vfork size=0 reps=1
	grep -Eq ' type=calib .* pmu_events=([0-9a-f]{2}\.[0-9a-f]{2}|-)(,([0-9a-f]{2}\.[0-9a-f]{2}|-)){5} ' "$rec"
}

@test "kvm: PMU metrics on our VMM are NA with the reason too" {
	need_backend kvm
	bench_csv kvm "$BATS_TEST_TMPDIR/k.csv" scenario=create variant=vfork size=0 reps=1
	grep ',pmu_cycles,' "$BATS_TEST_TMPDIR/k.csv" | grep -q ',NA,count,'
}

@test "units: qemu-tcg-det timings in instructions, plain qemu-tcg in cycles (verdict emulated)" {
	need_backend qemu-tcg-det
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/det.csv" scenario=create variant=cow size=0 reps=1
	grep -q ',cycles_to_return,[0-9]*,instructions,' "$d/det.csv"
	grep -q ',ptes_copied,[0-9]*,ptes,' "$d/det.csv"
	! grep -q ',cycles,' "$d/det.csv"
	vmm -q -b qemu-tcg -m 64M -t 600 --csv "$d/tcg.csv" --meta "$d/tcg.json" "$GUEST" bench scenario=create variant=cow size=0 reps=1
	grep -q ',cycles_to_return,[0-9]*,cycles,' "$d/tcg.csv"
	! grep -q ',instructions,' "$d/tcg.csv"
	grep -q '"verdict": "emulated"' "$d/tcg.json"
}

@test "metadata has every field" {
	need_backend qemu-tcg-det
	local m=$BATS_TEST_TMPDIR/m.json
	vmm -q -b qemu-tcg-det --csv "$BATS_TEST_TMPDIR/m.csv" --meta "$m" "$GUEST" bench scenario=create variant=cow size=1M reps=1
	for key in schema created command backend guest_cmdline guest_mem_bytes \
		tsc_khz tsc_khz_source tsc_overhead_cycles rdtscp pmu available reason events \
		instructions dtlb_load_walks validity \
		verdict ratio guest_calib_cycles host_calib_cycles git_revision \
		host cpu_vendor cpu_brand family model stepping l1d_kb l2_kb l3_kb \
		dtlb_l1_4k stlb_4k has_pcid kernel rows; do
		grep -q "\"$key\":" "$m" || fail_with "metadata lacks $key"
	done
	grep -q '"backend": "qemu-tcg-det"' "$m"
	grep -q '"verdict": "deterministic"' "$m"
	grep -q '"tsc_khz": 1000000' "$m"
	grep -q '"tsc_khz_source": "icount"' "$m"
	grep -q "\"rows\": $(( $(wc -l <"$BATS_TEST_TMPDIR/m.csv") - 1 ))," "$m"
}

@test "kvm: the validity check tells an emulating KVM from hardware" {
	need_backend kvm
	local m=$BATS_TEST_TMPDIR/k.json
	vmm -q -b kvm --meta "$m" "$GUEST" bench scenario=create variant=vfork size=0 reps=1
	grep -Eq '"verdict": "(valid|emulated)"' "$m"
	grep -Eq '"ratio": [0-9]+\.[0-9]+' "$m"
}

@test "qemu-tcg-det: two runs give identical counters and cycles" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	for i in 1 2; do
		bench_csv qemu-tcg-det "$d/$i.csv" scenario=cow variant=cow size=1M reps=3 writes=16 phases=1
	done
	cmp "$d/1.csv" "$d/2.csv"
}

@test "a failed run leaves no CSV or metadata behind" {
	need_backend qemu-tcg
	local d=$BATS_TEST_TMPDIR
	echo "previous" >"$d/keep.csv"
	run vmm -q -b qemu-tcg -m 64M --csv "$d/keep.csv" --meta "$d/keep.json" "$GUEST" bench scenario=create variant=copy size=60M reps=1
	assert_exit 1
	[ "$(cat "$d/keep.csv")" = "previous" ]
	[ ! -e "$d/keep.json" ]
	! ls "$d"/*.tmp.* 2>/dev/null
}

@test "tlb with pcid=on on a CPU without PCID: NA with the reason" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg --csv "$BATS_TEST_TMPDIR/t.csv" "$GUEST" bench scenario=tlb variant=cow size=1M reps=1 pcid=on
	if [ "$status" -eq 2 ]; then
		assert_output_has "this CPU has PCID"
		skip "this CPU has PCID: tagging not implemented (see README)"
	fi
	assert_exit 0
	grep -q ',tlb_cycles_per_access_after,NA,cycles,no_pcid' "$BATS_TEST_TMPDIR/t.csv"
}

@test "bench: bad options are rejected by name" {
	need_backend qemu-tcg
	for arg in scenario=nap variant=spoon size=12Q reps=0 policy=sibling phases=2 pcid=maybe nonsense; do
		run vmm -b qemu-tcg "$GUEST" bench "$arg"
		assert_exit 2
		assert_output_has "bench:"
	done
}
