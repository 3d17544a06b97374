#!/usr/bin/env bats
# The fbsim TLB/cache model in the harness: fbvmm --sim turns the guest's
# probe regions into sim_* rows, forkbench run uses it for tlb and cache
# under QEMU TCG, the Linux peer marks the same regions, and the
# tlb_cache figure draws the model where timings are NA. The model's own
# exactness is plugin/README.md's and test_sim_model's and
# sim_plugin.bats's; here: the plumbing, determinism, and refusals.

load helpers

FORKBENCH=$FB_BUILD/forkbench
PLUGIN=$FB_BUILD/plugin/fbsim.so

setup() {
	[ -e "$PLUGIN" ] ||
		skip "no $PLUGIN: QEMU's plugin header was not fetched (scripts/deps.sh)"
	need_backend qemu-tcg-det
}

# sim rows of FILE for rep R: "metric value" lines, sorted
sim_rows() {
	awk -F, -v r="$2" '$4 == r && $5 ~ /^sim_/ { print $2, $5, $6 }' "$1" | sort
}

@test "fbvmm --sim: each probe pass of each rep gets the model's counts" {
	local c=$BATS_TEST_TMPDIR/t.csv m=$BATS_TEST_TMPDIR/t.json
	run vmm -q --sim --sim-preset zen3 --csv "$c" --meta "$m" -m 256M \
		"$FB_BUILD/guest.elf" bench scenario=tlb variant=cow size=1M reps=2 sim=on
	assert_exit 0
	# 8 counts x before/after x (warm-up + 2 reps), unit count
	[ "$(grep -c ',sim_' "$c")" -eq 48 ]
	! grep ',sim_' "$c" | grep -qv ',count,\(warmup\)\?$'
	# 256 pages, one read each; a COW fork leaves each one's translation
	# to be walked again (our guest reloads CR3: no PCID)
	grep -q '^cow,tlb,1048576,1,sim_loads_before,25[6-9],count,$' "$c"
	local before after
	before=$(awk -F, '$4 == 1 && $5 == "sim_stlb_misses_before" { print $6 }' "$c")
	after=$(awk -F, '$4 == 1 && $5 == "sim_stlb_misses_after" { print $6 }' "$c")
	[ "$after" -gt "$before" ] || fail_with "page walks $before -> $after"
	grep -q '"sim": {"plugin": ".*fbsim.so", "model": "source=zen3 ' "$m"
}

@test "fbvmm --sim: the same run twice counts the same" {
	local a=$BATS_TEST_TMPDIR/a.csv b=$BATS_TEST_TMPDIR/b.csv
	for f in "$a" "$b"; do
		vmm -q --sim --sim-preset zen3 --csv "$f" -m 256M "$FB_BUILD/guest.elf" \
			bench scenario=cache variant=vfork size=1M reps=2 sim=on
	done
	[ -n "$(sim_rows "$a" 1)" ]
	[ "$(sim_rows "$a" 1)" = "$(sim_rows "$b" 1)" ]
	[ "$(sim_rows "$a" 2)" = "$(sim_rows "$b" 2)" ]
}

@test "fbvmm: sim records without --sim, --sim off TCG, a missing plugin" {
	run vmm -q -b qemu-tcg-det -m 256M "$FB_BUILD/guest.elf" \
		bench scenario=tlb variant=cow size=64K reps=1 sim=on
	assert_exit 8
	assert_output_has "no model ran (fbvmm --sim)"
	run vmm --sim -b kvm "$FB_BUILD/guest.elf" selftest
	assert_exit 2
	assert_output_has "--sim: the model is a QEMU TCG plugin: use -b qemu-tcg-det or qemu-tcg, not kvm"
	run vmm --sim --sim-plugin /nonexistent.so "$FB_BUILD/guest.elf" selftest
	assert_exit 7
	assert_output_has "--sim: /nonexistent.so: No such file or directory"
	run vmm --sim-preset zen3 "$FB_BUILD/guest.elf" selftest
	assert_exit 2
	assert_output_has "need --sim"
}

# The issue's own check: non-NA sim_* in a sweep, identical over two
# runs, and a COW fork's after-pass walking more than its before-pass.
@test "run: tlb and cache under the model, twice identical, COW's after-pass walks more" {
	local d
	for d in one two; do
		run "$FORKBENCH" run -b qemu-tcg-det --scenarios tlb,cache \
			--variants cow,vfork --sizes 1M,16M --reps 2 -o "$BATS_TEST_TMPDIR/$d"
		assert_exit 0
		assert_output_has "run: the fbsim model: on for tlb and cache"
	done
	local one=$BATS_TEST_TMPDIR/one/metrics.csv two=$BATS_TEST_TMPDIR/two/metrics.csv
	# 2 variants x 2 scenarios x 2 sizes x 3 reps x 16 counts, none NA
	[ "$(grep -c ',sim_' "$one")" -eq 384 ]
	! grep ',sim_' "$one" | grep -q ',NA,'
	[ "$(grep ',sim_' "$one")" = "$(grep ',sim_' "$two")" ]
	local z b a
	for z in 1048576 16777216; do
		b=$(awk -F, -v z=$z '$1 == "cow" && $2 == "tlb" && $3 == z && $4 == 1 &&
			$5 == "sim_stlb_misses_before" { print $6 }' "$one")
		a=$(awk -F, -v z=$z '$1 == "cow" && $2 == "tlb" && $3 == z && $4 == 1 &&
			$5 == "sim_stlb_misses_after" { print $6 }' "$one")
		[ "$a" -gt "$b" ] || fail_with "cow tlb $z: page walks $b -> $a"
	done
	python3 - "$BATS_TEST_TMPDIR/one/meta.json" <<'PY'
import json, sys
sim = json.load(open(sys.argv[1]))["guest"]["sim"]
assert sim["on"] is True and sim["model"].startswith("source="), sim
assert sim["model_from"].startswith("raw/"), sim
PY
	# the figure draws the model, saying so
	run "$FORKBENCH" plot --out "$BATS_TEST_TMPDIR/fig" "$BATS_TEST_TMPDIR/one"
	assert_exit 0
	[ -s "$BATS_TEST_TMPDIR/fig/tlb_cache.svg" ]
	grep -q 'MODEL, not hardware' "$BATS_TEST_TMPDIR/fig/tlb_cache.svg"
	[ -s "$BATS_TEST_TMPDIR/fig/data/tlb_cache_tlb_after_cow.csv" ]
	head -1 "$BATS_TEST_TMPDIR/fig/data/tlb_cache_tlb_after_cow.csv" | grep -q median_count
}

@test "run: --sim off keeps the model out; --sim on refuses what cannot run it" {
	run "$FORKBENCH" run -b qemu-tcg-det --scenarios tlb --variants cow \
		--sizes 64K --reps 1 --sim off -o "$BATS_TEST_TMPDIR/off"
	assert_exit 0
	assert_output_has "run: the fbsim model: off (--sim off)"
	! grep -q ',sim_' "$BATS_TEST_TMPDIR/off/metrics.csv"
	grep -q '"sim": {"on": false, "model": null}' "$BATS_TEST_TMPDIR/off/meta.json"
	run "$FORKBENCH" run -b kvm --sim on -o "$BATS_TEST_TMPDIR/kvm"
	assert_exit 2
	assert_output_has "--sim: the model is a QEMU TCG plugin"
	[ ! -e "$BATS_TEST_TMPDIR/kvm" ]
	run "$FORKBENCH" run --sim sometimes -o "$BATS_TEST_TMPDIR/x"
	assert_exit 2
	assert_output_has "--sim 'sometimes': expected auto, on or off"
}

@test "linux peer: the same probe regions from user space, counted" {
	local kernel=$FB_BUILD/linux/vmlinuz
	[ -e "$kernel" ] || skip "no Linux kernel for the peer (scripts/linux_kernel.sh)"
	local c=$BATS_TEST_TMPDIR/p.csv
	run vmm -q --sim --sim-preset zen3 -m 256M --csv "$c" \
		--initrd "$FB_BUILD/peer/initramfs.cpio" "$kernel" \
		bench variant=linux_fork scenario=tlb size=1M reps=1 sim=on
	assert_exit 0
	[ "$(grep -c ',sim_' "$c")" -eq 32 ]
	# one read per page of the pass (tlb_accesses), at least, in each
	local n loads
	n=$(awk -F, '$4 == 1 && $5 == "tlb_accesses" { print $6 }' "$c")
	loads=$(awk -F, '$4 == 1 && $5 == "sim_loads_before" { print $6 }' "$c")
	[ "$loads" -ge "$n" ] || fail_with "loads $loads < accesses $n"
}
