#!/usr/bin/env bats
# fbvmm as a command: help, usage errors, bad images, the records file.

load helpers

@test "--help lists options and exit codes" {
	run "$FBVMM" --help
	assert_exit 0
	assert_output_has "--backend NAME"
	assert_output_has "Exit codes"
	assert_output_has "4 triple fault"
}

@test "unknown option: one line, exit 2" {
	run "$FBVMM" --bogus "$GUEST"
	assert_exit 2
	[ "${#lines[@]}" -eq 1 ]
	assert_output_has "--bogus: unknown option"
}

@test "bad --mem: exit 2 naming the value" {
	run "$FBVMM" -m 12Q "$GUEST" selftest
	assert_exit 2
	assert_output_has "--mem '12Q': not a size"
}

@test "missing guest file: exit 6" {
	run "$FBVMM" /nonexistent/guest.elf
	assert_exit 6
	assert_output_has "/nonexistent/guest.elf: No such file or directory"
}

@test "not an ELF: exit 6 on every backend, before anything runs" {
	head -c 4096 /dev/urandom | tr -d '\177' >"$BATS_TEST_TMPDIR/junk.elf"
	for b in auto kvm qemu-tcg qemu-tcg-det qemu-kvm; do
		run "$FBVMM" -b "$b" "$BATS_TEST_TMPDIR/junk.elf" selftest
		assert_exit 6
		assert_output_has "bad guest image: not an ELF file (bad magic)"
	done
}

@test "truncated ELF: exit 6" {
	head -c 100 "$GUEST" >"$BATS_TEST_TMPDIR/cut.elf"
	run "$FBVMM" "$BATS_TEST_TMPDIR/cut.elf" selftest
	assert_exit 6
	assert_output_has "bad guest image"
}

@test "ELF without the PVH note: exit 6" {
	command -v objcopy >/dev/null || skip "objcopy not installed"
	objcopy --remove-section=.note "$GUEST" "$BATS_TEST_TMPDIR/nonote.elf"
	run "$FBVMM" "$BATS_TEST_TMPDIR/nonote.elf" selftest
	assert_exit 6
	assert_output_has "no PVH entry note"
}

@test "segment beyond guest RAM: exit 6 naming the segment" {
	command -v objcopy >/dev/null || skip "objcopy not installed"
	objcopy --change-section-lma .data+0x40000000 \
		--change-section-lma .bss+0x40000000 "$GUEST" "$BATS_TEST_TMPDIR/big.elf"
	run "$FBVMM" -m 128M "$BATS_TEST_TMPDIR/big.elf" selftest
	assert_exit 6
	assert_output_has "segment 2: guest range 0x40"
	assert_output_has "outside RAM [0x100000, 0x8000000)"
}

@test "records file: written on success, left alone when the run fails early" {
	need_backend qemu-tcg
	local rec=$BATS_TEST_TMPDIR/run.rec
	vmm -q -b qemu-tcg -r "$rec" "$GUEST" selftest
	grep -q '^@FB1 seq=0 type=hello ' "$rec"
	[ "$(tail -n 1 "$rec" | cut -d' ' -f3)" = "type=end" ]
	cp "$rec" "$rec.before"
	echo junk >"$BATS_TEST_TMPDIR/junk.elf"
	run "$FBVMM" -q -r "$rec" "$BATS_TEST_TMPDIR/junk.elf"
	assert_exit 6
	cmp "$rec" "$rec.before"
	run "$FBVMM" -q -b qemu-tcg -t 1 -r "$rec" "$GUEST" fault hang
	assert_exit 5
	cmp "$rec" "$rec.before"
	! ls "$BATS_TEST_TMPDIR"/*.tmp.* 2>/dev/null
}

@test "records file: a garbled record never reaches it" {
	need_backend qemu-tcg
	local rec=$BATS_TEST_TMPDIR/bad.rec
	run "$FBVMM" -q -b qemu-tcg -r "$rec" "$GUEST" fault badrecord
	assert_exit 8
	[ ! -e "$rec" ]
}

@test "unwritable records path: exit 7 before the guest runs" {
	run "$FBVMM" -q -b qemu-tcg -r /nonexistent/dir/out.rec "$GUEST" selftest
	assert_exit 7
	assert_output_has "cannot write /nonexistent/dir/out.rec: No such file or directory"
}
