#!/usr/bin/env bats
# Fault guests: every way a guest can go wrong ends the run with its own
# exit code and a message naming what happened. Each runs on our VMM and
# on QEMU TCG (the functional fast path), where the backend can tell.

load helpers

expect_fault() { # BACKEND KIND CODE TEXT [fbvmm options...]
	local backend=$1 kind=$2 code=$3 text=$4
	shift 4
	need_backend "$backend"
	run vmm -b "$backend" "$@" "$GUEST" fault "$kind"
	assert_exit "$code"
	assert_output_has "$text"
}

@test "kvm: triple fault -> exit 4 with rip/cr3, or why they are lost" {
	expect_fault kvm triple 4 "guest triple fault: KVM_EXIT_SHUTDOWN"
	! grep -q "at rip 0xfff0 " <<<"$output"
	grep -Eq "at rip 0x|the faulting RIP/CR2/CR3 are lost" <<<"$output"
}
@test "qemu-tcg: triple fault -> exit 4" {
	expect_fault qemu-tcg triple 4 "guest triple fault: QEMU exited 0"
}

@test "kvm: page fault in the guest kernel -> exit 3 with cr2" {
	expect_fault kvm pf 3 "guest exception #PF (vector 14) error 0x2"
	assert_output_has "cr2 0x7ff000000000"
}
@test "qemu-tcg: page fault in the guest kernel -> exit 3 with cr2" {
	expect_fault qemu-tcg pf 3 "cr2 0x7ff000000000"
}

@test "kvm: invalid opcode -> exit 3" {
	expect_fault kvm ud 3 "guest exception #UD (vector 6)"
}
@test "qemu-tcg: invalid opcode -> exit 3" {
	expect_fault qemu-tcg ud 3 "guest exception #UD (vector 6)"
}

@test "kvm: hang -> watchdog, exit 5 with rip" {
	expect_fault kvm hang 5 "guest timed out: still running after 2 s at rip 0x" -t 2
}
@test "qemu-tcg: hang -> watchdog, exit 5" {
	expect_fault qemu-tcg hang 5 "guest timed out: still running after 2 s" -t 2
}

@test "kvm: unknown port in strict mode -> exit 8 naming the port" {
	expect_fault kvm port 8 "unknown I/O port 0x1234 (write, 1 bytes)" --strict
	assert_output_has "at rip 0x"
}
@test "kvm: unknown port without --strict is counted and the run goes on" {
	expect_fault kvm port 0 "unknown I/O 1 (first port 0x1234)" --stats
	assert_output_has "fault: port returned"
}

@test "kvm: failure status on the exit port -> exit 1" {
	expect_fault kvm fail 1 "guest reported fail"
}
@test "qemu-tcg: failure status on the exit port -> exit 1" {
	expect_fault qemu-tcg fail 1 "guest reported fail"
}

@test "kvm: halt without a status -> exit 8" {
	expect_fault kvm halt 8 "guest halted without writing an exit status"
}

@test "kvm: garbled record -> exit 8 with line, offset and reason" {
	expect_fault kvm badrecord 8 "record at line 3, offset 47: bad checksum"
}
@test "qemu-tcg: garbled record -> exit 8 with line, offset and reason" {
	expect_fault qemu-tcg badrecord 8 "record at line 3, offset 47: bad checksum"
}

# expect_stop BACKEND SIGNAL NUMBER: the signal stops a hanging guest with
# exit 9, saying which signal, and leaves no QEMU behind.
expect_stop() {
	local backend=$1 sig=$2 num=$3
	need_backend "$backend"
	"$FBVMM" -q -b "$backend" -t 30 "$GUEST" fault hang \
		2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! rc=0
	sleep 1
	kill -"$sig" "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 9 ]
	grep -q "interrupted: signal $num, guest stopped" "$BATS_TEST_TMPDIR/err"
	! pgrep -f "qemu-system-x86_64.*fault hang" >/dev/null
}

@test "kvm: SIGTERM stops a running guest cleanly with exit 9" {
	expect_stop kvm TERM 15
}
@test "SIGINT stops a QEMU guest cleanly with exit 9" {
	expect_stop qemu-tcg INT 2
}
@test "SIGTERM stops a QEMU guest cleanly with exit 9" {
	expect_stop qemu-tcg TERM 15
}
