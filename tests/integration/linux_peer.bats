#!/usr/bin/env bats
# The Linux peer guest: Debian's cloud kernel booted by fbvmm's QEMU
# backends with the forkbench init (peer/), the same records as our
# guest, and forkbench run --os linux's result set. Needs the kernel that
# scripts/deps.sh fetches (scripts/linux_kernel.sh); skips without it.

load helpers

FORKBENCH=$FB_BUILD/forkbench
INITRD=$FB_BUILD/peer/initramfs.cpio

setup() {
	KERNEL=$FB_BUILD/linux/vmlinuz
	if [ ! -e "$KERNEL" ]; then
		local why
		why=$("$BATS_TEST_DIRNAME/../../scripts/linux_kernel.sh" \
			"$FB_BUILD/linux" 2>&1 >/dev/null) ||
			skip "no Linux kernel for the peer: $why"
	fi
	need_backend qemu-tcg-det
}

@test "linux peer: boots, says hello and ends through the exit port" {
	run vmm -b qemu-tcg-det -m 256M -r "$BATS_TEST_TMPDIR/h.rec" \
		--initrd "$INITRD" "$KERNEL" hello
	assert_exit 0
	assert_output_has "guest passed (2 records) [qemu-tcg-det]"
	grep -q ' type=hello .* os=linux thp=madvise kernel=6\.' "$BATS_TEST_TMPDIR/h.rec"
}

# A child of a 4 MiB parent: Linux's fork copies the page tables of 1024
# pages; every sample has one of the two child metrics, the warm-up is
# rep 0, timings are instructions under icount.
@test "linux peer: one configuration, its records as the guest's CSV" {
	local f=$BATS_TEST_TMPDIR/f.csv
	run vmm -q -b qemu-tcg-det -m 256M --csv "$f" --initrd "$INITRD" \
		"$KERNEL" bench variant=linux_fork scenario=create size=4M reps=2
	assert_exit 0
	[ "$(cut -d, -f4 "$f" | sed 1d | sort -un | tr '\n' ' ')" = "0 1 2 " ]
	grep -q '^linux_fork,create,4194304,0,cycles_to_return,[0-9]*,instructions,warmup$' "$f"
	for rep in 1 2; do
		[ "$(grep -Ec "^linux_fork,create,4194304,$rep,cycles_to_child(_parent_first)?,[0-9]+,instructions," "$f")" -eq 1 ]
		# Linux's own counters: a fork of 1024 pages allocates the
		# child's page tables at least (2 PTE pages), in events
		local alloc
		alloc=$(awk -F, -v r=$rep '$4 == r && $5 == "vmstat_pgalloc_dma32" { print $6 }' "$f")
		[ "$alloc" -ge 2 ] || fail_with "pgalloc_dma32 $alloc"
		grep -q "^linux_fork,create,4194304,$rep,vmstat_pgfault,[0-9.]*,events,$" "$f"
	done
	grep -q '^linux_fork,create,4194304,0,vmstat_thp_split_pmd,[0-9.]*,events,warmup$' "$f"
}

# The TLB and cache probes run in /init as in forkbench host; QEMU TCG
# has no TLB or cache costs, so fbvmm writes their timings NA, naming
# why, and keeps the pass sizes.
@test "linux peer: tlb and cache probes, timings NA under TCG, sizes kept" {
	local f=$BATS_TEST_TMPDIR/p.csv
	run vmm -q -b qemu-tcg-det -m 256M --csv "$f" --initrd "$INITRD" \
		"$KERNEL" bench pairs=linux_fork:tlb,linux_vfork:cache size=1M reps=1
	assert_exit 0
	awk -F, 'NR > 1 && $5 ~ /_cycles/ && !($6 == "NA" &&
		$8 ~ /no_tlb_or_cache_timing_under_tcg/) { print "timed: " $0; bad = 1 }
		END { exit bad }' "$f"
	local stlb pages=256
	stlb=$(awk -F, '$4 == 1 && $5 == "tlb_stlb_entries" { print $6 }' "$f")
	[ "$stlb" -gt 0 ] || fail_with "tlb_stlb_entries '$stlb'"
	[ "$stlb" -lt "$pages" ] && pages=$stlb
	grep -q "^linux_fork,tlb,1048576,1,tlb_accesses,$pages,count,$" "$f"
	local kb
	kb=$(awk -F, '$4 == 1 && $5 == "cache_hot_kb" { print $6 }' "$f")
	[ "$kb" -gt 0 ] || fail_with "cache_hot_kb '$kb'"
	grep -q "^linux_vfork,cache,1048576,1,cache_accesses,$((kb / 4 * 63)),count,$" "$f"
}

# Linux turns THP off below 512 MiB of RAM; /init sets madvise, so the
# MADV_HUGEPAGE parent of linux_fork_thp gets huge pages (checked by the
# region code itself: a configuration without them fails, saying why).
@test "linux peer: linux_fork_thp's 4M parent holds huge pages" {
	run vmm -q -b qemu-tcg-det -m 264M --csv "$BATS_TEST_TMPDIR/t.csv" \
		--initrd "$INITRD" "$KERNEL" bench variant=linux_fork_thp \
		scenario=create size=4M reps=1
	assert_exit 0
	grep -q '^linux_fork_thp,create,4194304,1,cycles_to_return,[0-9]*,instructions,' \
		"$BATS_TEST_TMPDIR/t.csv"
}

@test "linux peer: a bad command is refused by /init, exit 2" {
	run vmm -q -b qemu-tcg-det -m 256M --initrd "$INITRD" "$KERNEL" \
		bench variant=linux_spoon scenario=create
	assert_exit 2
	assert_output_has "guest rejected its command line"
}

# No /init in the initramfs, or an /init that just exits: the kernel
# panics, and panic=-1 reboot=triple ends QEMU at once (-t 30: it did
# spend 50 s in the other reboot methods' busy waits).
@test "linux peer: a kernel panic is reported as one, exit 4" {
	local d=$BATS_TEST_TMPDIR/empty
	mkdir -p "$d" && echo x >"$d/notinit"
	"$FB_BUILD/mkinitramfs" "$BATS_TEST_TMPDIR/empty.cpio" "notinit=$d/notinit"
	run vmm -q -b qemu-tcg-det -m 256M -t 30 \
		--initrd "$BATS_TEST_TMPDIR/empty.cpio" "$KERNEL" hello
	assert_exit 4
	assert_output_has "the Linux guest panicked: Kernel panic - not syncing:"
	"$FB_BUILD/mkinitramfs" "$BATS_TEST_TMPDIR/crash.cpio" "init=$FB_BUILD/peer/true"
	run vmm -q -b qemu-tcg-det -m 256M -t 30 \
		--initrd "$BATS_TEST_TMPDIR/crash.cpio" "$KERNEL" hello
	assert_exit 4
	assert_output_has "Kernel panic - not syncing: Attempted to kill init!"
}

# The initramfs as built: Debian's cpio lists exactly what the peer needs.
@test "linux peer: the initramfs holds /init and bin/true, cpio -t agrees" {
	[ "$(cpio -t --quiet <"$INITRD" | tr '\n' ' ')" = "init bin bin/true " ]
}

@test "linux peer: fbvmm refuses kvm, a missing --initrd, a cut bzImage" {
	run vmm -b kvm --initrd "$INITRD" "$KERNEL" hello
	assert_exit 2
	assert_output_has "-b kvm boots forkbench's own PVH guest only"
	run vmm -b qemu-tcg-det "$KERNEL" hello
	assert_exit 2
	assert_output_has "a Linux kernel needs --initrd"
	run vmm --which-backend --initrd "$INITRD" "$KERNEL"
	assert_exit 0
	[ "$output" = $'qemu-tcg-det\ta Linux kernel: QEMU; deterministic TCG unless -b qemu-kvm is given' ]
	head -c 1000 "$KERNEL" >"$BATS_TEST_TMPDIR/cut"
	run vmm -b qemu-tcg-det --initrd "$INITRD" "$BATS_TEST_TMPDIR/cut" hello
	assert_exit 6
	assert_output_has "bad guest image: not a bzImage:"
}

@test "run --os linux: --kernel that is not a bzImage is exit 6, naming why" {
	run "$FORKBENCH" run --os linux -b qemu-tcg-det --kernel "$FB_BUILD/guest.elf" \
		-o "$BATS_TEST_TMPDIR/x"
	assert_exit 6
	assert_output_has "guest.elf: not a bzImage: no boot flag 0xAA55 at 0x1FE"
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
	run "$FORKBENCH" run --os linux -b kvm -o "$BATS_TEST_TMPDIR/x"
	assert_exit 2
	run "$FORKBENCH" run --os plan9 -o "$BATS_TEST_TMPDIR/x"
	assert_exit 2
	assert_output_has "--os 'plan9': expected guest or linux"
}

@test "run --os linux: a result set of kind linux-guest, in instructions" {
	local d=$BATS_TEST_TMPDIR/s
	run "$FORKBENCH" run --os linux -b qemu-tcg-det --variants linux_vfork,linux_thread \
		--scenarios create --sizes 1M --reps 2 -o "$d"
	assert_exit 0
	assert_output_has "2 configurations x 2 reps on qemu-tcg-det"
	# one boot for the size: one first record, each configuration its
	# own raw files, nothing of the boot's left behind
	assert_output_has "boot to first record: "
	assert_output_has " per boot (mean of 1)"
	for k in linux_vfork_create_1048576 linux_thread_create_1048576; do
		[ -s "$d/raw/$k.csv" ] && [ -s "$d/raw/$k.json" ] && [ -e "$d/raw/$k.status" ]
		! grep -v "^variant,\|^${k%_create_*}," "$d/raw/$k.csv" | grep -q .
	done
	! ls -a "$d/raw" | grep -q '^\.boot'
	[ "$(grep -c ',ok,0,' "$d/configs.csv")" -eq 2 ]
	grep -q '"kind": "linux-guest"' "$d/meta.json"
	grep -q '"kernel_version": "6\.' "$d/meta.json"
	grep -q '"kernel_package": "linux-image-' "$d/meta.json"
	grep -q '^linux_thread,create,1048576,2,cycles_to_return,[0-9]*,instructions,' "$d/metrics.csv"
	python3 -c 'import json, jsonschema, sys
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' \
		"$d/meta.json" "$BATS_TEST_DIRNAME/../../results/meta.schema.json"
}
