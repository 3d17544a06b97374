#!/usr/bin/env bats
# The guest boots and passes its self-test on every backend, with the same
# records and the same exit code everywhere.

load helpers

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

selftest_on() {
	need_backend "$1"
	run vmm -b "$1" -t 120 -r "$TMP/$1.rec" "$GUEST" selftest
	assert_exit 0
	assert_output_has "selftest: PASS"
	assert_output_has "guest passed (7 records) [$1]"
	grep -q ' type=end status=pass records=6 ' "$TMP/$1.rec"
	[ "$(test_records "$TMP/$1.rec" | wc -l)" -eq 5 ]
}

@test "selftest passes on kvm (our VMM)" { selftest_on kvm; }
@test "selftest passes on qemu-tcg" { selftest_on qemu-tcg; }
@test "selftest passes on qemu-tcg-det" { selftest_on qemu-tcg-det; }
@test "selftest passes on qemu-kvm" { selftest_on qemu-kvm; }

@test "kvm and qemu-tcg deliver identical test records" {
	need_backend kvm
	need_backend qemu-tcg
	vmm -q -b kvm -r "$TMP/a.rec" "$GUEST" selftest
	vmm -q -b qemu-tcg -r "$TMP/b.rec" "$GUEST" selftest
	diff <(test_records "$TMP/a.rec") <(test_records "$TMP/b.rec")
}

@test "the guest reports the TSC frequency the host passed" {
	need_backend qemu-tcg-det
	vmm -q -b qemu-tcg-det -r "$TMP/d.rec" "$GUEST" selftest
	grep -q ' type=hello .*tsc_khz=1000000 ' "$TMP/d.rec"
}

@test "kvm: the guest uses the hcall console, QEMU the serial port" {
	need_backend kvm
	need_backend qemu-tcg
	run vmm -b kvm --stats "$GUEST" selftest
	assert_exit 0
	assert_output_has "serial bytes 0, hcalls"
	vmm -q -b kvm -r "$TMP/k.rec" "$GUEST" selftest
	grep -q 'console=hcall' "$TMP/k.rec"
	vmm -q -b qemu-tcg -r "$TMP/q.rec" "$GUEST" selftest
	grep -q 'console=com1' "$TMP/q.rec"
}

@test "guest RAM size reaches the guest's memory map (our VMM)" {
	need_backend kvm
	vmm -q -b kvm -m 64M -r "$TMP/m.rec" "$GUEST" selftest
	# 640 KiB low RAM + (64 MiB - 1 MiB)
	grep -q ' mem_kib=65152 ' "$TMP/m.rec"
}

@test "guest RAM size reaches the guest's memory map (QEMU)" {
	need_backend qemu-tcg
	vmm -q -b qemu-tcg -m 64M -r "$TMP/m.rec" "$GUEST" selftest
	# QEMU's microvm map: RAM from 0 up to 64 MiB, less what its
	# firmware tables reserve; the guest must see within 1 MiB of it.
	local kib
	kib=$(grep -o ' mem_kib=[0-9]*' "$TMP/m.rec" | cut -d= -f2)
	[ "$kib" -gt $((63 * 1024)) ] && [ "$kib" -le $((64 * 1024)) ]
}

# 16 GiB: 3 GiB below the 32-bit MMIO hole, 13 GiB from 4 GiB (lib/backend.h).
@test "guest RAM above 4 GiB reaches the guest's memory map (our VMM)" {
	need_backend kvm
	vmm -q -b kvm -m 16G -r "$TMP/m.rec" "$GUEST" selftest
	# 640 KiB low RAM + (3 GiB - 1 MiB) + 13 GiB
	grep -q " mem_kib=$((640 + 3 * 1024 * 1024 - 1024 + 13 * 1024 * 1024)) " "$TMP/m.rec"
}

@test "guest RAM above 4 GiB reaches the guest's memory map (QEMU)" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg -m 16G -r "$TMP/m.rec" "$GUEST" selftest
	assert_exit 0
	assert_output_has "selftest: PASS"
	# Below 4 GiB there cannot be 4 GiB of RAM: seeing 16 GiB (less what
	# QEMU's firmware reserves, under 1 MiB) means the map goes above it.
	local kib
	kib=$(grep -o ' mem_kib=[0-9]*' "$TMP/m.rec" | cut -d= -f2)
	[ "$kib" -gt $((16 * 1024 * 1024 - 1024)) ] && [ "$kib" -le $((16 * 1024 * 1024)) ]
}

@test "an unknown guest command is reported, not ignored" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg "$GUEST" frobnicate
	assert_exit 2
	assert_output_has "unknown command 'frobnicate'"
	assert_output_has "guest rejected its command line"
}

@test "an unknown kernel parameter is reported" {
	need_backend qemu-tcg
	run vmm -b qemu-tcg "$GUEST" colour=blue selftest
	assert_exit 2
	assert_output_has "unknown or malformed kernel parameter 'colour=blue'"
}
