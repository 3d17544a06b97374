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

@test "every repetition is reported raw, with units; rep 0 is the warm-up" {
	need_backend qemu-tcg-det
	local f=$BATS_TEST_TMPDIR/r.csv
	bench_csv qemu-tcg-det "$f" scenario=create variant=cow size=1M reps=4
	head -n 1 "$f" | grep -qx 'variant,scenario,size,rep,metric,value,unit,note'
	[ "$(cut -d, -f4 "$f" | sed 1d | sort -un | tr '\n' ' ')" = "0 1 2 3 4 " ]
	# every row of rep 0 says warmup, no other row does
	! awk -F, 'NR > 1 && $4 == 0 && $8 !~ /^warmup(;|$)/' "$f" | grep -q .
	! awk -F, 'NR > 1 && $4 != 0 && $8 ~ /warmup/' "$f" | grep -q .
	for rep in 1 2 3 4; do
		[ -n "$(value cycles_to_return $rep "$f")" ]
	done
	! grep -q ',,' <(cut -d, -f1-7 "$f")
}

# The child's first instruction comes before the parent's return only
# when the child runs first: then it is cycles_to_child; otherwise the
# span holds the parent's return too and is another metric.
@test "cycles_to_child only when the child runs first" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/c.csv" scenario=create variant=cow size=64K reps=2 policy=child
	bench_csv qemu-tcg-det "$d/p.csv" scenario=create variant=cow size=64K reps=2 policy=parent
	for rep in 1 2; do
		[[ $(value cycles_to_child $rep "$d/c.csv") =~ ^[0-9]+$ ]]
		[ "$(value cycles_to_child_parent_first $rep "$d/c.csv")" = NA ]
		grep -q ",$rep,cycles_to_child_parent_first,NA,instructions,child_ran_first\$" "$d/c.csv"
		[ "$(value cycles_to_child $rep "$d/p.csv")" = NA ]
		grep -q ",$rep,cycles_to_child,NA,instructions,parent_ran_first\$" "$d/p.csv"
		local pf=$(value cycles_to_child_parent_first $rep "$d/p.csv")
		local ret=$(value cycles_to_return $rep "$d/p.csv")
		[ "$pf" -gt "$ret" ] || fail_with "parent first: child at $pf, return at $ret"
		local ch=$(value cycles_to_child $rep "$d/c.csv")
		ret=$(value cycles_to_return $rep "$d/c.csv")
		[ "$ch" -lt "$ret" ] || fail_with "child first: child at $ch, return at $ret"
	done
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

# spawn builds the child's address space from the program image alone:
# whatever the parent's size, no page and no PTE of it is copied, its TLB
# is not flushed, and the frames allocated are the child's page tables
# only (the text is the image's shared frames), as many at 64M as at 1M.
# The call's instruction count stays within 5% from size 0 to 64M (a COW
# fork's grows with every PTE).
@test "spawn: the call copies nothing of the parent, at every size" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR s
	for s in 0 1M 64M; do
		vmm -q -b qemu-tcg-det -m 160M -t 600 --csv "$d/$s.csv" "$GUEST" \
			bench scenario=create variant=spawn size=$s reps=1 policy=parent
		for m in pages_copied ptes_copied tlb_full_flushes invlpgs; do
			[ "$(value $m 1 "$d/$s.csv")" -eq 0 ] ||
				fail_with "$s: $m $(value $m 1 "$d/$s.csv")"
		done
		[ "$(value frames_alloc 1 "$d/$s.csv")" -eq "$(value pt_pages_alloc 1 "$d/$s.csv")" ]
	done
	[ "$(value frames_alloc 1 "$d/1M.csv")" -eq "$(value frames_alloc 1 "$d/64M.csv")" ]
	[ "$(value frames_alloc 1 "$d/0.csv")" -eq "$(value frames_alloc 1 "$d/64M.csv")" ]
	local small=$(value cycles_to_return 1 "$d/0.csv") big=$(value cycles_to_return 1 "$d/64M.csv")
	local diff=$(( big - small ))
	[ $(( (diff < 0 ? -diff : diff) * 100 )) -le $(( 5 * small )) ] ||
		fail_with "spawn: $small instructions at size 0, $big at 64M"
}

# The spawned child runs and exits at once; over exit_wait it gives back
# the page tables the call made for its text, its one stack page and the
# three tables mapping that page (the stack's own PML4 slot).
@test "spawn: exit_wait gives back what the child was given" {
	need_backend qemu-tcg-det
	local f=$BATS_TEST_TMPDIR/s.csv
	bench_csv qemu-tcg-det "$f" scenario=exit_wait variant=spawn size=1M reps=1
	[ "$(value frames_freed 1 "$f")" -eq $(( $(value frames_alloc 1 "$f") + 1 + 3 )) ]
	bench_csv qemu-tcg-det "$f" scenario=create variant=spawn size=64K reps=1 policy=child
	[[ $(value cycles_to_child 1 "$f") =~ ^[0-9]+$ ]]
}

# The 2 MiB ranges a bench parent of SIZE bytes maps, from its layout:
# the text (the image's __text_start..__text_end at a 2 MiB-aligned base),
# the heap (SIZE bytes from a 1 GiB-aligned base) and the stack (64 pages
# just below the 2 MiB-aligned top): one PTE table each.
parent_ranges() { # SIZE-IN-BYTES
	local r=$(( 2 << 20 )) start end
	start=$(nm "$GUEST" | awk '$3 == "__text_start" { print $1 }')
	end=$(nm "$GUEST" | awk '$3 == "__text_end" { print $1 }')
	local text=$(( 16#$end - 16#$start ))
	echo $(( (text + r - 1) / r + ($1 + r - 1) / r + 1 ))
}

# On-demand fork shares the parent's PTE tables: no page, no PTE copied,
# one table shared per 2 MiB range of the layout, none copied by the
# call. Its instructions grow with the tables, COW fork's with the PTEs:
# from 1M to 64M, odf's grow at least 100 times less (32 tables against
# 16384 PTEs).
@test "odf: the call shares one PTE table per 2 MiB range, copies nothing" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR s v bytes
	for s in 0 1M 16M 64M; do
		for v in odf cow; do
			vmm -q -b qemu-tcg-det -m 160M -t 600 --csv "$d/$v-$s.csv" "$GUEST" \
				bench scenario=create variant=$v size=$s reps=1 policy=parent
		done
		bytes=$(( ${s%M} << 20 ))
		for m in pages_copied ptes_copied pt_copied; do
			[ "$(value $m 1 "$d/odf-$s.csv")" -eq 0 ] ||
				fail_with "$s: $m $(value $m 1 "$d/odf-$s.csv")"
		done
		[ "$(value pt_shared 1 "$d/odf-$s.csv")" -eq "$(parent_ranges $bytes)" ] ||
			fail_with "$s: pt_shared $(value pt_shared 1 "$d/odf-$s.csv"), layout $(parent_ranges $bytes)"
		[ "$(value pt_shared 1 "$d/cow-$s.csv")" -eq 0 ]
		echo "# $s: odf $(value cycles_to_return 1 "$d/odf-$s.csv") instructions, cow $(value cycles_to_return 1 "$d/cow-$s.csv")" >&3
	done
	local odf=$(( $(value cycles_to_return 1 "$d/odf-64M.csv") - $(value cycles_to_return 1 "$d/odf-1M.csv") ))
	local cow=$(( $(value cycles_to_return 1 "$d/cow-64M.csv") - $(value cycles_to_return 1 "$d/cow-1M.csv") ))
	echo "# 1M to 64M: odf +$odf instructions, cow +$cow" >&3
	[ $(( odf * 100 )) -le "$cow" ] || fail_with "1M to 64M: odf +$odf, cow +$cow"
}

# The first write in each 2 MiB range copies its table while the other
# side shares it (writes=600 pages: two ranges of the heap), then COW
# copies each page as with cow; after the other side exited the table is
# the writer's alone: no table and no page copied.
@test "odf writes: one table copy per range written, then COW" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/p.csv" scenario=cow variant=odf size=4M reps=1 writes=600 writer=parent policy=parent
	[ "$(value pt_copied 1 "$d/p.csv")" -eq 2 ]
	[ "$(value cow_copies 1 "$d/p.csv")" -eq 600 ]
	[ "$(value cow_reuses 1 "$d/p.csv")" -eq 0 ]
	[ "$(value pt_shared 1 "$d/p.csv")" -eq "$(parent_ranges $(( 4 << 20 )))" ]
	bench_csv qemu-tcg-det "$d/w.csv" scenario=cow variant=odf size=4M reps=1 writes=32 writer=child policy=parent
	[ "$(value pt_copied 1 "$d/w.csv")" -eq 1 ]
	[ "$(value cow_copies 1 "$d/w.csv")" -eq 32 ]
	bench_csv qemu-tcg-det "$d/c.csv" scenario=cow variant=odf size=4M reps=1 writes=600 writer=parent policy=child
	[ "$(value pt_copied 1 "$d/c.csv")" -eq 0 ]
	[ "$(value cow_copies 1 "$d/c.csv")" -eq 0 ]
	bench_csv qemu-tcg-det "$d/x.csv" scenario=exit_wait variant=odf size=4M reps=1
	[ "$(value frames_freed 1 "$d/x.csv")" -ge "$(value frames_alloc 1 "$d/x.csv")" ]
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

# value_of METRIC REP FILE from a records file's calib line
calib_field() {
	grep ' type=calib ' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# The phases are frozen at the end of the call: the parent's own COW
# faults after it never count as fork's page copy.
@test "phases: a COW fork copies no page inside the call" {
	need_backend qemu-tcg-det
	local f=$BATS_TEST_TMPDIR/ph.csv
	bench_csv qemu-tcg-det "$f" scenario=phases variant=cow size=4M reps=2
	for rep in 0 1 2; do
		[ "$(value phase_page_copy $rep "$f")" -eq 0 ]
		[ "$(value pages_copied $rep "$f")" -eq 0 ]
		[ "$(value phase_pt_copy $rep "$f")" -gt 0 ]
	done
}

# A naive fork of S bytes copies S/4K pages plus one stack page; its
# page_copy phase per page is a plain 4 KiB copy (the calibration's,
# timed alone) within 2%, once the timer's own cost is taken out.
@test "phases: naive fork's page copy per page is a plain 4 KiB copy" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	vmm -q -b qemu-tcg-det -m 64M -t 600 --csv "$d/ph.csv" -r "$d/ph.rec" "$GUEST" \
		bench scenario=phases variant=copy size=4M reps=1
	local pages=$(value pages_copied 1 "$d/ph.csv") copy=$(value phase_page_copy 1 "$d/ph.csv")
	[ "$pages" -eq $(( 4 * 1024 * 1024 / 4096 + 1 )) ]
	local plain=$(calib_field copy_4k "$d/ph.rec")
	[ -n "$plain" ] && [ "$plain" -gt 0 ]
	# |copy/pages - plain| <= 2% of plain, in integers
	local diff=$(( copy - pages * plain ))
	[ $(( (diff < 0 ? -diff : diff) * 100 )) -le $(( 2 * pages * plain )) ] ||
		fail_with "page_copy $copy over $pages pages vs 4 KiB copy $plain"
}

# The instrumented call minus the timer's measured cost is the clean call:
# create (no timers) returns after do_clone plus the syscall's few
# instructions; the phases' total may not exceed it, nor fall 1% short.
@test "phases: the timer's own cost is subtracted" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/ph.csv" scenario=phases variant=copy size=4M reps=1
	bench_csv qemu-tcg-det "$d/cr.csv" scenario=create variant=copy size=4M reps=1
	local total=$(value create_kernel_cycles 1 "$d/ph.csv")
	local clean=$(value cycles_to_return 1 "$d/cr.csv")
	local instrumented=$(value cycles_to_return 1 "$d/ph.csv")
	[ "$instrumented" -gt "$clean" ] # the timers do cost something
	[ "$total" -le "$clean" ] && [ $(( total * 100 )) -ge $(( clean * 99 )) ] ||
		fail_with "phases total $total vs the clean call $clean"
	local sum=0
	for m in phase_pt_copy phase_page_copy phase_tlb phase_rest; do
		sum=$(( sum + $(value $m 1 "$d/ph.csv") ))
	done
	[ "$sum" -eq "$total" ]
}

# Every frame the child was given comes back when it exits: a naive
# child holds its S/4K + 1 pages and the page tables mapping them; a COW
# child holds only tables, and the parent's first stack write while it
# lives trades one shared frame for a private one (freed at the child's
# exit). vfork and clone_vm children hold nothing of their own.
@test "exit_wait: frames_freed returns what the child was given" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	for v in copy cow vfork clone_vm; do
		bench_csv qemu-tcg-det "$d/$v.csv" scenario=exit_wait variant=$v size=1M reps=1
	done
	local pt=$(value pt_pages_alloc 1 "$d/copy.csv")
	[ "$(value frames_freed 1 "$d/copy.csv")" -eq $(( 256 + 1 + pt )) ]
	[ "$(value frames_freed 1 "$d/cow.csv")" -eq $(( $(value pt_pages_alloc 1 "$d/cow.csv") + 1 )) ]
	[ "$(value frames_freed 1 "$d/vfork.csv")" -eq 0 ]
	[ "$(value frames_freed 1 "$d/clone_vm.csv")" -eq 0 ]
	! grep -q ',frames_freed,' <(grep ',create,' "$d/copy.csv")
}

# Under TCG nothing is cached: the probes' timings are NA with the reason,
# their sizes are still recorded; the TLB probe stays inside the STLB.
@test "tlb and cache probes: NA under TCG, sizes recorded" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	bench_csv qemu-tcg-det "$d/t.csv" scenario=tlb variant=cow size=16M reps=1
	bench_csv qemu-tcg-det "$d/c.csv" scenario=cache variant=cow size=0 reps=1 hot_kb=64
	for m in tlb_cycles_before tlb_cycles_after tlb_cycles_per_access_before tlb_cycles_per_access_after; do
		grep -q ",1,$m,NA,instructions,no_tlb_or_cache_timing_under_tcg" "$d/t.csv"
		grep -q ",0,$m,NA,instructions,warmup;no_tlb_or_cache_timing_under_tcg" "$d/t.csv"
	done
	grep -q ",1,cache_tlb_refill_cycles,NA,instructions,no_tlb_or_cache_timing_under_tcg" "$d/c.csv"
	local stlb=$(value tlb_stlb_entries 1 "$d/t.csv") n=$(value tlb_accesses 1 "$d/t.csv")
	local pages=$(( 16 * 1024 * 1024 / 4096 ))
	[ "$n" -eq $(( stlb < pages ? stlb : pages )) ]
	[ "$(value cache_hot_kb 1 "$d/c.csv")" -eq 64 ]
	# 64 KiB = 16 pages, each page's first line left to the TLB pass
	[ "$(value cache_accesses 1 "$d/c.csv")" -eq $(( 16 * 63 )) ]
}

@test "every scenario runs for every variant it applies to" {
	need_backend qemu-tcg-det
	for sc in create exit_wait exec_wait tlb cache; do
		for v in copy cow vfork clone_vm spawn odf; do
			bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/s.csv" scenario=$sc variant=$v size=256K reps=1 hot_kb=64 ||
				fail_with "$sc/$v failed"
		done
	done
	run vmm -b qemu-tcg-det "$GUEST" bench scenario=cow variant=vfork
	assert_exit 2
	assert_output_has "scenario cow needs variant copy or cow or odf"
	bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/s.csv" scenario=cow variant=odf size=256K reps=1 ||
		fail_with "cow/odf failed"
	bench_csv qemu-tcg-det "$BATS_TEST_TMPDIR/s.csv" scenario=phases variant=odf size=256K reps=1 ||
		fail_with "phases/odf failed"
	for sc in cow phases; do
		run vmm -b qemu-tcg-det "$GUEST" bench scenario=$sc variant=spawn
		assert_exit 2
		assert_output_has "(spawn starts an empty address space: nothing to copy)"
	done
}

@test "no PMU: PMU metrics are NA with the reason, never 0" {
	need_backend qemu-tcg
	bench_csv qemu-tcg "$BATS_TEST_TMPDIR/p.csv" scenario=create variant=cow size=0 reps=2
	# 6 PMU metrics for each of 2 repetitions and the warm-up
	[ "$(grep -c ',pmu_' "$BATS_TEST_TMPDIR/p.csv")" -eq 18 ]
	! grep ',pmu_' "$BATS_TEST_TMPDIR/p.csv" | grep -Ev ',NA,count,(warmup;)?no_pmu'
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

@test "kvm: the validity verdict names every check that failed" {
	need_backend kvm
	local m=$BATS_TEST_TMPDIR/k.json
	vmm -q -b kvm --meta "$m" "$GUEST" bench scenario=create variant=vfork size=0 reps=1
	local verdict failed
	verdict=$(grep -o '"verdict": "[a-z]*"' "$m" | cut -d'"' -f4)
	failed=$(grep -o '"failed": \[[^]]*\]' "$m")
	for op in cr3_reload invlpg pf_round_trip copy_4k; do
		grep -Eq "\"$op\": \\{\"guest_cycles\": [0-9]+" "$m" || fail_with "no $op"
	done
	case $verdict in
	valid) [ "$failed" = '"failed": []' ] ;;
	suspect | emulated)
		[ "$failed" != '"failed": []' ] || fail_with "$verdict with nothing failed"
		for name in $(grep -o '"[a-z0-9_]*"' <<<"${failed#*:}" | tr -d '"'); do
			grep -q "\"why\": \"[^\"]*$name" "$m" || fail_with "why does not name $name"
		done ;;
	*) fail_with "verdict $verdict" ;;
	esac
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

# A parent of 2 MiB pages forks in one leaf entry per 2 MiB: ptes_copied
# is the empty parent's (text and stack) plus SIZE / 2 MiB, no page is
# copied, and the child's tables are the empty parent's plus the one
# directory mapping the heap.
@test "huge_copy, huge_split: one entry per 2 MiB page at fork" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR s v
	bench_csv qemu-tcg-det "$d/base.csv" scenario=create variant=cow size=0 reps=1
	local ptes=$(value ptes_copied 1 "$d/base.csv") tables=$(value pt_pages_alloc 1 "$d/base.csv")
	for v in huge_copy huge_split; do
		for s in 4 16; do
			bench_csv qemu-tcg-det "$d/$v-$s.csv" scenario=create variant=$v size=${s}M reps=1
			[ "$(value ptes_copied 1 "$d/$v-$s.csv")" -eq $(( ptes + s / 2 )) ] ||
				fail_with "$v ${s}M: ptes_copied $(value ptes_copied 1 "$d/$v-$s.csv"), want $ptes + $(( s / 2 ))"
			[ "$(value pages_copied 1 "$d/$v-$s.csv")" -eq 0 ]
			[ "$(value pt_pages_alloc 1 "$d/$v-$s.csv")" -eq $(( tables + 1 )) ]
		done
	done
}

# first_write: the child writes one word in each 2 MiB region (4M: two).
# What each variant pays for them, from what each does on a first write.
@test "first_write: the price each variant leaves, per 2 MiB region" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR v
	# variant: cow_copies pt_copied huge_copies pmd_splits
	local -A want=( [copy]="0 0 0 0" [cow]="2 0 0 0" [odf]="2 2 0 0"
			[huge_copy]="0 0 2 0" [huge_split]="2 0 0 2" )
	for v in "${!want[@]}"; do
		bench_csv qemu-tcg-det "$d/$v.csv" scenario=first_write variant=$v size=4M reps=1
		local got="$(value cow_copies 1 "$d/$v.csv") $(value pt_copied 1 "$d/$v.csv") $(value huge_copies 1 "$d/$v.csv") $(value pmd_splits 1 "$d/$v.csv")"
		[ "$got" = "${want[$v]}" ] || fail_with "$v: got $got, want ${want[$v]}"
		[ "$(value regions_written 1 "$d/$v.csv")" -eq 2 ]
		[[ $(value cycles_per_first_write 1 "$d/$v.csv") =~ ^[0-9]+$ ]]
		echo "# $v: $(value cycles_per_first_write 1 "$d/$v.csv") instructions per first write" >&3
	done
	bench_csv qemu-tcg-det "$d/h.csv" scenario=first_write variant=huge_copy size=4M reps=1
	[ "$(value pages_copied 1 "$d/h.csv")" -eq 0 ] # the call's; the writes' are in huge_copies
	run vmm -b qemu-tcg-det -m 64M "$GUEST" bench scenario=cow variant=huge_split size=4M writer=parent
	[ "$status" -ne 0 ]
	assert_output_has "writer=parent with a parent of 2 MiB pages"
}
