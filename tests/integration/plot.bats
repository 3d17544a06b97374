#!/usr/bin/env bats
# forkbench plot on synthetic result sets: every figure as PNG and SVG,
# skipped figures, bad input. Needs gnuplot (skips without it).

load helpers

FORKBENCH=$FB_BUILD/forkbench
SCRIPTS=$BATS_TEST_DIRNAME/../../plots
FIGURES="create_latency guest_vs_linux phases cow_cost tlb_cache fork_in_the_road odf first_write"
SIZES="0 1048576 4194304 16777216"

setup() {
	command -v gnuplot >/dev/null || skip "gnuplot not installed"
	OUT=$BATS_TEST_TMPDIR/out
}

# write_meta DIR BACKEND VERDICT TSC_KHZ CPU: a meta.json shaped like ours.
write_meta() {
	cat >"$1/meta.json" <<EOF
{
  "schema": "forkbench-resultset-2",
  "backend": "$2",
  "clock": {"tsc_khz": $4},
  "validity": {"verdict": "$3", "why": "synthetic"},
  "host": {"cpu_brand": "$5", "kernel": "Linux 6.1.0-test x86_64"}
}
EOF
}

# rows VARIANTS SCENARIO METRIC "AWK EXPR OF s (MiB), r (rep), v (index)":
# one row per variant, size and rep (5 reps), in UNIT (default cycles;
# a qemu-tcg-det set's timings are in instructions).
rows() {
	awk -v vs="$1" -v sc="$2" -v m="$3" -v sizes="$SIZES" -v unit="${UNIT:-cycles}" '
	BEGIN {
		nv = split(vs, V, " "); ns = split(sizes, S, " ")
		for (v = 1; v <= nv; v++) for (i = 1; i <= ns; i++)
			for (r = 0; r < 5; r++) {
				s = S[i] / 1048576
				printf "%s,%s,%s,%d,%s,%.0f,%s,\n", V[v], sc, S[i], r, m, '"$4"', unit
			}
	}'
}

# make_guest_set DIR [nophases]: all four variants, every metric plotted;
# timings in UNIT (default cycles).
make_guest_set() {
	local d=$1 g="copy cow vfork clone_vm"
	mkdir -p "$d"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		# copy grows fast with size, cow slowly, vfork and clone_vm stay flat.
		local create='(v == 1 ? 40000 + s * 400000 : v == 2 ? 30000 + s * 8000 : v == 3 ? 20000 : 12000) * (1 + r / 50)'
		rows "$g" create cycles_to_return "$create"
		rows "$g" create cycles_to_child "$create * 1.1"
		rows "$g" exit_wait cycles_create_exit_wait "$create * 2"
		rows "$g" exec_wait cycles_create_exec_wait "$create * 3 + 200000"
		rows "$g" cow cycles_per_write '(v == 2 ? 9000 : v == 1 ? 300 : v == 3 ? 200 : 150) * (1 + r / 20) + s'
		rows "$g" tlb tlb_cycles_per_access_before '4 + v / 4 + r / 10'
		rows "$g" tlb tlb_cycles_per_access_after '(v == 1 ? 30 + s : v == 2 ? 20 + 2 * s : v == 3 ? 7 : 5) + r'
		rows "$g" cache cache_cycles_per_access_before '3 + v / 4 + r / 10'
		rows "$g" cache cache_cycles_per_access_after '(v == 1 ? 40 : v == 2 ? 25 : v == 3 ? 9 : 6) + r'
		# The on-demand fork figures' variants: odf and the 2 MiB-page
		# forks grow slowly, spawn stays flat.
		rows "odf huge_copy huge_split spawn" create cycles_to_return '(v == 1 ? 20000 + s * 120 : v == 4 ? 25000 : 18000 + s * 60) * (1 + r / 50)'
		rows "copy cow odf huge_copy huge_split" first_write cycles_per_first_write '(v == 1 ? 300 : v == 2 ? 3000 : v == 3 ? 3500 : v == 4 ? 260000 : 3200) * (1 + r / 20)'
		if [ "${2:-}" != nophases ]; then
			rows "copy cow" create phase_pt_copy '2000 + s * (v == 1 ? 4000 : 6000)'
			rows "copy cow" create phase_page_copy '(v == 1 ? s * 380000 : 0)'
			rows "copy cow" create phase_tlb '1500 + s * 50'
			rows "copy cow" create phase_rest '8000 + r * 100'
		fi
		# Not measured: NA with the reason, as the guest writes them.
		echo "copy,create,0,0,pmu_llc_misses,NA,count,no PMU in this guest"
		echo "cow,create,1048576,5,cycles_to_return,NA,${UNIT:-cycles},rep lost"
	} >"$d/metrics.csv"
	write_meta "$d" qemu-tcg-det deterministic 2000000 "AMD EPYC 7B13 64-Core Processor"
}

make_linux_set() {
	local d=$1
	mkdir -p "$d"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		local l="linux_fork linux_vfork linux_clone_vm linux_clone_vm_vfork linux_posix_spawn linux_thread"
		local create='(v == 1 ? 150000 + s * 60000 : v == 5 ? 250000 : v == 6 ? 30000 : 60000) * (1 + r / 40)'
		rows "$l" create cycles_to_return "$create"
		rows "$l" exit_wait cycles_create_exit_wait "$create * 2"
		rows "$l" exec_wait cycles_create_exec_wait "$create + 1200000"
	} >"$d/metrics.csv"
	write_meta "$d" linux native 3000000 "AMD EPYC 7B13 64-Core Processor"
}

# assert_png FILE / assert_svg FILE: exists, not empty, of that format.
assert_png() {
	[ -s "$1" ] || fail_with "$1 missing or empty"
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail_with "$1 is not a PNG"
}

assert_svg() {
	[ -s "$1" ] || fail_with "$1 missing or empty"
	grep -q '<svg' "$1" || fail_with "$1 is not an SVG"
}

@test "--help documents options, figures and exit codes" {
	run "$FORKBENCH" plot --help
	assert_exit 0
	assert_output_has "--out DIR"
	assert_output_has "--scripts DIR"
	assert_output_has "fork_in_the_road"
	assert_output_has "Exit codes"
}

@test "guest and Linux sets: every figure as PNG and SVG, files listed" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	for f in $FIGURES; do
		assert_png "$OUT/$f.png"
		assert_svg "$OUT/$f.svg"
		assert_output_has "$OUT/$f.png"
		assert_output_has "$OUT/$f.svg"
	done
	assert_output_has "$OUT/data/create_latency_copy.csv"
	! grep -q skipped <<<"$output" || fail_with "nothing should be skipped: $output"
}

@test "titles name the machine, backend and validity of both sets" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	for f in $FIGURES; do
		grep -q 'AMD EPYC 7B13 64-Core Processor, backend qemu-tcg-det (deterministic: not hardware cycles)' \
			"$OUT/$f.svg" || fail_with "$f.svg lacks the guest machine line"
	done
	grep -q 'backend linux (native' "$OUT/guest_vs_linux.svg" ||
		fail_with "guest_vs_linux.svg lacks the Linux machine line"
}

@test "aggregated data: median, min, max per size in us; NA skipped" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	# vfork: 20000 * (1 + r/50) cycles, r = 0..4, at 2 GHz: 10, 10.2 .. 10.8 us.
	grep -qx '0,10.4,10,10.8,5' "$OUT/data/create_latency_vfork.csv" ||
		fail_with "$(cat "$OUT/data/create_latency_vfork.csv")"
	# cow at 1M has an NA sixth rep: still the 5 numeric ones.
	grep -q '^1048576,.*,5$' "$OUT/data/create_latency_cow.csv" ||
		fail_with "$(cat "$OUT/data/create_latency_cow.csv")"
}

# Rep 0 marked warmup (a cold, slow first call) is kept in the CSV and
# never drawn: vfork's 5 reps at size 0 become 4, the outlier gone.
@test "the warm-up repetition is never drawn" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	sed -i 's/^\(vfork,create,0,0,cycles_to_return\),[0-9]*,cycles,$/\1,99000000,cycles,warmup/' \
		"$BATS_TEST_TMPDIR/guest/metrics.csv"
	grep -q '^vfork,create,0,0,cycles_to_return,99000000,cycles,warmup$' "$BATS_TEST_TMPDIR/guest/metrics.csv"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	# r = 1..4: 10.2, 10.4, 10.6, 10.8 us; median 10.5
	grep -qx '0,10.5,10.2,10.8,4' "$OUT/data/create_latency_vfork.csv" ||
		fail_with "$(cat "$OUT/data/create_latency_vfork.csv")"
}

# Under TCG the probes' timings are NA: the figure is absent, saying why.
@test "tlb/cache probes all NA: the figure is skipped with the reasons" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	local f=$BATS_TEST_TMPDIR/guest/metrics.csv
	sed -i -E 's/^([a-z_]+,(tlb|cache),[0-9]+,[0-9]+,[a-z_]+),[0-9.]+,cycles,$/\1,NA,cycles,no_tlb_or_cache_timing_under_tcg/' "$f"
	! grep -Eq ',(tlb|cache),.*,[0-9.]+,cycles,$' "$f"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_output_has "plot: tlb_cache: skipped, no tlb or cache cycles_per_access before/after values in GUEST_SET, and no sim_* model counts (forkbench run --sim); NA because: no_tlb_or_cache_timing_under_tcg"
	[ ! -e "$OUT/tlb_cache.png" ]
}

@test "a set without phase metrics skips phases, saying why" {
	make_guest_set "$BATS_TEST_TMPDIR/guest" nophases
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_output_has "plot: phases: skipped, no phase_* metrics in GUEST_SET"
	assert_output_has "plot: guest_vs_linux: skipped, no LINUX_SET given"
	[ ! -e "$OUT/phases.png" ] || fail_with "phases.png should not exist"
	assert_png "$OUT/create_latency.png"
	assert_svg "$OUT/fork_in_the_road.svg"
}

@test "default output directory: plots/out/<basename of GUEST_SET>" {
	make_guest_set "$BATS_TEST_TMPDIR/myrun"
	cd "$BATS_TEST_TMPDIR"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" myrun/
	assert_exit 0
	assert_png "$BATS_TEST_TMPDIR/plots/out/myrun/create_latency.png"
}

@test "missing result set: exit 2 naming it" {
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/nope"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/nope: No such file or directory"
}

@test "corrupt metrics.csv: exit 2 naming file and line" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	sed -i '7s/,cycles,$/,cycles/' "$BATS_TEST_TMPDIR/guest/metrics.csv"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/guest/metrics.csv:7: expected 8 fields"
}

@test "missing meta.json: exit 2 naming it" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	rm "$BATS_TEST_TMPDIR/guest/meta.json"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 2
	assert_output_has "$BATS_TEST_TMPDIR/guest/meta.json: No such file or directory"
}

@test "unknown option and missing set: exit 2" {
	run "$FORKBENCH" plot --bogus x
	assert_exit 2
	assert_output_has "--bogus: unknown option"
	run "$FORKBENCH" plot
	assert_exit 2
	assert_output_has "no GUEST_SET given"
}

@test "gnuplot not in PATH: exit 1 naming the script" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	PATH=/nonexistent run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest"
	assert_exit 1
	assert_output_has "cannot run gnuplot for $SCRIPTS/create_latency.gp"
}

@test "a failing script: exit 1 naming it, the other figures still drawn" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	cp -r "$SCRIPTS" "$BATS_TEST_TMPDIR/scripts"
	echo 'this is not gnuplot' >"$BATS_TEST_TMPDIR/scripts/cow_cost.gp"
	run "$FORKBENCH" plot --scripts "$BATS_TEST_TMPDIR/scripts" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest"
	assert_exit 1
	assert_output_has "gnuplot failed on $BATS_TEST_TMPDIR/scripts/cow_cost.gp"
	assert_png "$OUT/create_latency.png"
}

@test "qemu-tcg-det set (instructions) + Linux set: no axis mixes units, each refusal in one line" {
	UNIT=instructions make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	local why="GUEST_SET is in instructions (qemu-tcg-det, -icount), LINUX_SET in TSC cycles: not drawn on one axis"
	assert_output_has "plot: guest_vs_linux: skipped, $why"
	[ ! -e "$OUT/guest_vs_linux.png" ] || fail_with "guest_vs_linux drawn"
	# fork() in the road keeps the guest's curves, without Linux's
	assert_output_has "plot: fork_in_the_road: LINUX_SET left out, $why"
	assert_svg "$OUT/fork_in_the_road.svg"
	! grep -qE 'Linux, host-native|Linux (fork|vfork|posix_spawn)' \
		"$OUT/fork_in_the_road.svg" ||
		fail_with "fork_in_the_road.svg still draws or titles Linux"
	for f in create_latency phases cow_cost tlb_cache fork_in_the_road odf first_write; do
		assert_svg "$OUT/$f.svg"
		grep -q 'instructions (qemu-tcg-det, -icount)' "$OUT/$f.svg" ||
			fail_with "$f.svg does not name the instruction clock"
		! grep -qE "[(]us|'us'|>us<|TSC cycles per access" "$OUT/$f.svg" ||
			fail_with "$f.svg labels an axis in time or TSC cycles"
	done
	# Not converted through the nominal 1 GHz: vfork's 20000 * (1 + r/50).
	head -n 1 "$OUT/data/create_latency_vfork.csv" | grep -q median_instructions
	grep -qx '0,20800,20000,21600,5' "$OUT/data/create_latency_vfork.csv" ||
		fail_with "$(cat "$OUT/data/create_latency_vfork.csv")"
}

@test "a qemu-tcg-det set alone: fork() in the road in instructions, saying so" {
	UNIT=instructions make_guest_set "$BATS_TEST_TMPDIR/guest"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_svg "$OUT/fork_in_the_road.svg"
	grep -q 'create + exec + wait (instructions (qemu-tcg-det, -icount))' "$OUT/fork_in_the_road.svg" ||
		fail_with "fork_in_the_road.svg: y axis not in instructions"
	grep -q 'guest (clock: instructions (qemu-tcg-det, -icount))' "$OUT/fork_in_the_road.svg" ||
		fail_with "fork_in_the_road.svg does not name the guest clock"
}

@test "guest vs Linux in TSC cycles: each side names its clock; Linux labelled host-native" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	for f in guest_vs_linux fork_in_the_road; do
		grep -q 'guest (clock: TSC cycles): ' "$OUT/$f.svg" ||
			fail_with "$f.svg does not name the guest clock"
		grep -q 'Linux, host-native (clock: TSC cycles): ' "$OUT/$f.svg" ||
			fail_with "$f.svg does not label Linux host-native with its clock"
	done
}

# The Linux peer guest (forkbench run --os linux): same backend, same
# unit as ours, so guest vs Linux is drawn, the second line says "Linux
# peer" with the kernel's release.
@test "guest beside a Linux peer set: one unit, drawn, labelled Linux peer" {
	UNIT=instructions make_guest_set "$BATS_TEST_TMPDIR/guest"
	UNIT=instructions make_linux_set "$BATS_TEST_TMPDIR/peer"
	cat >"$BATS_TEST_TMPDIR/peer/meta.json" <<EOF
{
  "schema": "forkbench-resultset-2", "kind": "linux-guest",
  "backend": "qemu-tcg-det",
  "clock": {"tsc_khz": 1000000},
  "validity": {"verdict": "deterministic", "why": "synthetic"},
  "linux-guest": {"kernel_version": "6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP"},
  "host": {"cpu_brand": "AMD EPYC 7B13 64-Core Processor", "kernel": "Linux 6.1.0-test x86_64"}
}
EOF
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/peer"
	assert_exit 0
	assert_svg "$OUT/guest_vs_linux.svg"
	grep -q 'Linux peer (clock: instructions (qemu-tcg-det, -icount)): AMD EPYC 7B13 64-Core Processor, 6.1.0-57-cloud-amd64, backend' \
		"$OUT/guest_vs_linux.svg" || fail_with "$(grep -o 'Linux[^<]*' "$OUT/guest_vs_linux.svg" | head -3)"
	grep -q 'until the call returns in the parent (instructions (qemu-tcg-det, -icount), log scale)' "$OUT/guest_vs_linux.svg"
	! grep -q 'host-native' "$OUT/guest_vs_linux.svg"
	assert_svg "$OUT/fork_in_the_road.svg"
}

@test "a Linux host set plotted alone is labelled host-native" {
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	grep -q 'Linux, host-native (clock: TSC cycles): ' "$OUT/create_latency.svg" ||
		fail_with "create_latency.svg not labelled host-native"
}

# make_peer_set DIR [BACKEND]: the Linux peer guest's fork of 4 KiB and of
# transparent huge pages, in instructions, on BACKEND (qemu-tcg-det).
make_peer_set() {
	local d=$1
	mkdir -p "$d"
	{
		echo "variant,scenario,size,rep,metric,value,unit,note"
		UNIT=instructions rows "linux_fork linux_fork_thp" create cycles_to_return '(v == 1 ? 150000 + s * 60000 : 150000 + s * 300) * (1 + r / 40)'
	} >"$d/metrics.csv"
	cat >"$d/meta.json" <<EOF
{
  "schema": "forkbench-resultset-2", "kind": "linux-guest",
  "backend": "${2:-qemu-tcg-det}",
  "clock": {"tsc_khz": 1000000},
  "validity": {"verdict": "deterministic", "why": "synthetic"},
  "linux-guest": {"kernel_version": "6.1.0-57-cloud-amd64 #1 SMP"},
  "host": {"cpu_brand": "AMD EPYC 7B13 64-Core Processor", "kernel": "Linux 6.1.0-test x86_64"}
}
EOF
}

@test "odf: the fork variants beside the Linux peer's fork and THP fork, in instructions, size 0 left out" {
	UNIT=instructions make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_peer_set "$BATS_TEST_TMPDIR/peer"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/peer"
	assert_exit 0
	assert_svg "$OUT/odf.svg"
	for v in copy cow odf huge_copy huge_split spawn linux_fork linux_fork_thp; do
		assert_output_has "$OUT/data/odf_$v.csv"
		! grep -q '^0,' "$OUT/data/odf_$v.csv" ||
			fail_with "odf_$v.csv has size 0: $(cat "$OUT/data/odf_$v.csv")"
	done
	# cow at 1M: (30000 + 8000) * (1 + r/50), r = 0..4, as measured (its
	# NA sixth rep skipped); never converted to time
	head -n 1 "$OUT/data/odf_cow.csv" | grep -q median_instructions
	grep -qx '1048576,39520,38000,41040,5' "$OUT/data/odf_cow.csv" ||
		fail_with "$(cat "$OUT/data/odf_cow.csv")"
	grep -q 'until the call returns in the parent (instructions (qemu-tcg-det, -icount), log scale)' "$OUT/odf.svg" ||
		fail_with "odf.svg: y axis not in instructions"
	grep -q 'Linux fork_thp' "$OUT/odf.svg" || fail_with "odf.svg lacks Linux fork_thp"
	grep -q 'Linux peer (clock: instructions' "$OUT/odf.svg" ||
		fail_with "odf.svg lacks the peer's title line"
	! grep -q "odf: LINUX_SET left out" <<<"$output"
}

@test "odf: a Linux set on another backend is left out, saying so; the guest's series still drawn" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	make_linux_set "$BATS_TEST_TMPDIR/linux"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" \
		"$BATS_TEST_TMPDIR/guest" "$BATS_TEST_TMPDIR/linux"
	assert_exit 0
	assert_output_has "plot: odf: LINUX_SET left out, GUEST_SET is on qemu-tcg-det in TSC cycles, LINUX_SET on linux in TSC cycles: one backend per figure"
	assert_svg "$OUT/odf.svg"
	[ ! -e "$OUT/data/odf_linux_fork.csv" ] || fail_with "Linux data written"
	! grep -qE '>Linux fork(_thp)?<|Linux (peer|, host-native) [(]clock' "$OUT/odf.svg" ||
		fail_with "odf.svg draws or titles Linux"
	grep -q 'until the call returns in the parent (TSC cycles, log scale)' "$OUT/odf.svg" ||
		fail_with "odf.svg: y axis not in TSC cycles"
	# A peer on another QEMU backend is refused the same way.
	make_peer_set "$BATS_TEST_TMPDIR/peer" qemu-tcg
	UNIT=instructions make_guest_set "$BATS_TEST_TMPDIR/det"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT/2" \
		"$BATS_TEST_TMPDIR/det" "$BATS_TEST_TMPDIR/peer"
	assert_exit 0
	assert_output_has "plot: odf: LINUX_SET left out, GUEST_SET is on qemu-tcg-det"
	[ ! -e "$OUT/2/data/odf_linux_fork.csv" ] || fail_with "Linux data written"
}

@test "odf: fewer than two of its guest variants: skipped, naming what there is" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	local f=$BATS_TEST_TMPDIR/guest/metrics.csv
	sed -i -E '/^(copy|odf|huge_copy|huge_split|spawn),create,/d' "$f"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_output_has "plot: odf: skipped, fewer than two of copy, cow, odf, huge_copy, huge_split, spawn have create cycles_to_return values above size 0 in GUEST_SET (found: cow)"
	[ ! -e "$OUT/odf.png" ] || fail_with "odf.png drawn"
	[ ! -e "$OUT/data/odf_cow.csv" ] || fail_with "odf data written"
}

@test "first_write: cost per 2 MiB region per variant as measured; skipped with the NA reasons" {
	make_guest_set "$BATS_TEST_TMPDIR/guest"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_png "$OUT/first_write.png"
	for v in copy cow odf huge_copy huge_split; do
		assert_output_has "$OUT/data/first_write_$v.csv"
	done
	[ ! -e "$OUT/data/first_write_spawn.csv" ]
	# huge_copy: 260000 * (1 + r/20), r = 0..4, in cycles (not time)
	head -n 1 "$OUT/data/first_write_huge_copy.csv" | grep -q median_cycles
	grep -qx '16777216,286000,260000,312000,5' "$OUT/data/first_write_huge_copy.csv" ||
		fail_with "$(cat "$OUT/data/first_write_huge_copy.csv")"
	grep -q 'per 2 MiB region written (TSC cycles, log scale)' "$OUT/first_write.svg" ||
		fail_with "first_write.svg: y axis not in TSC cycles"
	local f=$BATS_TEST_TMPDIR/guest/metrics.csv
	sed -i -E 's/^([a-z_]+,first_write,[0-9]+,[0-9]+,cycles_per_first_write),[0-9.]+,cycles,$/\1,NA,cycles,guest_lacks_first_write/' "$f"
	run "$FORKBENCH" plot --scripts "$SCRIPTS" --out "$OUT/2" "$BATS_TEST_TMPDIR/guest"
	assert_exit 0
	assert_output_has "plot: first_write: skipped, no first_write cycles_per_first_write values above size 0 in GUEST_SET; NA because: guest_lacks_first_write"
	[ ! -e "$OUT/2/first_write.png" ]
}
