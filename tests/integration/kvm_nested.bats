#!/usr/bin/env bats
# The kvm backend on every host, through nesting: Debian's cloud kernel
# under QEMU TCG with an emulated SVM CPU gives a working /dev/kvm, and
# fbvmm runs there on its real KVM code path (scripts/nested_kvm.sh). One
# boot runs every command; each test reads its command's section. This
# checks behaviour (exit codes, messages, records), not speed.

load helpers

# One command per line, run from the directory holding fbvmm and guests.
CMDS=(
	"./fbvmm -b kvm -t 600 -r /tmp/k.rec guest.elf selftest && grep -c ' type=test ' /tmp/k.rec"
	"./fbvmm -b kvm --stats -t 600 guest.elf selftest"
	"./fbvmm -q -b kvm -m 64M -t 600 -r /tmp/m.rec guest.elf selftest && grep -o ' mem_kib=[0-9]*' /tmp/m.rec"
	"./fbvmm -b kvm -t 600 guest.elf fault triple"
	"./fbvmm -b kvm -t 600 guest.elf fault pf"
	"./fbvmm -b kvm -t 600 guest.elf fault ud"
	"./fbvmm -b kvm -t 2 guest.elf fault hang"
	"./fbvmm -b kvm -s -t 600 guest.elf fault port"
	"./fbvmm -b kvm --stats -t 600 guest.elf fault port"
	"./fbvmm -b kvm -t 600 guest.elf fault fail"
	"./fbvmm -b kvm -t 600 guest.elf fault halt"
	"./fbvmm -b kvm -t 600 guest.elf fault badrecord"
	"./fbvmm -b kvm -t 600 guest.elf frobnicate"
	"./fbvmm -q -b kvm -t 30 guest.elf fault hang & p=\$!; sleep 2; kill -TERM \$p; wait \$p"
	"./fbvmm -b kvm -m 64M -t 900 guest.elf proctest seed_fork_cow seed_fork_copy seed_vfork seed_clone_as_fork seed_clone_as_vfork cow_counters copy_counters_text_shared vfork_parent_waits_for_exec orphans_go_to_init"
	"for v in copy cow odf vfork clone_fork; do ./fbvmm -q -b kvm -m 32M -t 900 guest.elf forksize 1M \$v || exit 1; done"
	"./fbvmm -q -b kvm -t 600 --csv /tmp/b.csv --meta /tmp/b.json guest.elf bench scenario=create variant=vfork size=0 reps=1 && grep -c ',pmu_cycles,NA,count,' /tmp/b.csv && grep -o '\"verdict\": \"[a-z]*\"' /tmp/b.json && grep -o '\"failed\": \[[^]]*\]' /tmp/b.json && grep -o '\"why\": \"[^\"]*\"' /tmp/b.json && grep -o '\"[a-z0-9_]*\": {\"guest_cycles\": [0-9]*, \"core_cycles\": [0-9.]*' /tmp/b.json"
	"./fbvmm --which-backend -t 600 guest.elf"
	"./fbvmm -b kvm -t 600 empty.elf"
)

setup_file() {
	local f=$BATS_FILE_TMPDIR/cmds
	printf '%s\n' "${CMDS[@]}" >"$f"
	NESTED_LOG=$BATS_FILE_TMPDIR/nested.log
	export NESTED_LOG
	NESTED_WHY=$("$BATS_TEST_DIRNAME/../../scripts/nested_kvm.sh" "$FB_BUILD" \
		"$f" "$NESTED_LOG.raw" 2>&1) && NESTED_RC=0 || NESTED_RC=$?
	# the serial console ends its lines with CR LF
	tr -d '\r' <"$NESTED_LOG.raw" >"$NESTED_LOG" 2>/dev/null || true
	export NESTED_RC NESTED_WHY
}

# nested N: $status and $output of command N (0-based) inside the VM.
nested() {
	[ "$NESTED_RC" -ne 3 ] || skip "nested KVM unavailable: $NESTED_WHY"
	[ "$NESTED_RC" -eq 0 ] || fail_with "$NESTED_WHY" || return 1
	local cmd=${CMDS[$1]}
	output=$(awk -v c="=== CMD: $cmd" '
		$0 == c { on = 1; next }
		on && /^=== rc=/ { exit }
		on { print }' "$NESTED_LOG")
	status=$(awk -v c="=== CMD: $cmd" '
		$0 == c { on = 1; next }
		on && /^=== rc=/ { sub(/^=== rc=/, ""); print; exit }' \
		"$NESTED_LOG")
	[ -n "$status" ] || fail_with "no section for: $cmd"
}

@test "nested kvm: the nested Linux has a working /dev/kvm" {
	nested 0
	grep -q '^=== /dev/kvm ready' "$NESTED_LOG"
}

@test "nested kvm: selftest passes with 5 test records" {
	nested 0
	assert_exit 0
	assert_output_has "guest passed (7 records) [kvm]"
	[ "${output##*$'\n'}" = 5 ]
}

@test "nested kvm: the guest uses the hcall console" {
	nested 1
	assert_exit 0
	assert_output_has "serial bytes 0, hcalls"
}

@test "nested kvm: guest RAM size reaches the guest's memory map" {
	nested 2
	assert_exit 0
	# 640 KiB low RAM + (64 MiB - 1 MiB)
	assert_output_has " mem_kib=65152"
}

@test "nested kvm: triple fault -> exit 4, registers or why they are lost" {
	nested 3
	assert_exit 4
	assert_output_has "guest triple fault: KVM_EXIT_SHUTDOWN"
	# AMD's KVM resets the vCPU first: its RIP 0xfff0 is no fault's state
	! grep -q "at rip 0xfff0 " <<<"$output"
	grep -Eq "at rip 0x|the faulting RIP/CR2/CR3 are lost" <<<"$output"
}

@test "nested kvm: page fault -> exit 3 with cr2" {
	nested 4
	assert_exit 3
	assert_output_has "guest exception #PF (vector 14) error 0x2"
	assert_output_has "cr2 0x7ff000000000"
}

@test "nested kvm: invalid opcode -> exit 3" {
	nested 5
	assert_exit 3
	assert_output_has "guest exception #UD (vector 6)"
}

@test "nested kvm: hang -> watchdog, exit 5 with rip" {
	nested 6
	assert_exit 5
	assert_output_has "guest timed out: still running after 2 s at rip 0x"
}

@test "nested kvm: unknown port in strict mode -> exit 8 naming it" {
	nested 7
	assert_exit 8
	assert_output_has "unknown I/O port 0x1234 (write, 1 bytes)"
}

@test "nested kvm: unknown port without --strict is counted" {
	nested 8
	assert_exit 0
	assert_output_has "unknown I/O 1 (first port 0x1234)"
}

@test "nested kvm: failure status -> exit 1" {
	nested 9
	assert_exit 1
	assert_output_has "guest reported fail"
}

@test "nested kvm: halt without a status -> exit 8" {
	nested 10
	assert_exit 8
	assert_output_has "guest halted without writing an exit status"
}

@test "nested kvm: garbled record -> exit 8 with line, offset and reason" {
	nested 11
	assert_exit 8
	assert_output_has "record at line 3, offset 47: bad checksum"
}

@test "nested kvm: an unknown guest command -> exit 2" {
	nested 12
	assert_exit 2
	assert_output_has "unknown command 'frobnicate'"
}

@test "nested kvm: SIGTERM stops a running guest with exit 9" {
	nested 13
	assert_exit 9
	assert_output_has "interrupted: signal 15, guest stopped"
}

@test "nested kvm: the seed programs, counters, vfork and orphans pass" {
	nested 14
	assert_exit 0
	assert_output_has "proctest: 9 passed, 0 failed"
	assert_output_has "fork_copy child: cnt = 1"
}

@test "nested kvm: every variant forks a 1M parent" {
	nested 15
	assert_exit 0
}

@test "nested kvm: bench writes PMU metrics as NA and a validity verdict" {
	nested 16
	assert_exit 0
	assert_output_has '"verdict": "'
	[ "$(sed -n 1p <<<"$output" | tr -dc 0-9)" -ge 1 ]
}

# The nested KVM runs under QEMU TCG: by construction not hardware
# virtualization, so the verdict may not be valid, and it must name the
# privileged operations that are out of a hardware guest's range.
@test "nested kvm: the validity verdict names the privileged operation that fails" {
	nested 16
	assert_exit 0
	for op in cr3_reload invlpg pf_round_trip copy_4k; do
		assert_output_has "\"$op\": {\"guest_cycles\": "
	done
	local verdict failed
	verdict=$(grep -o '"verdict": "[a-z]*"' <<<"$output" | cut -d'"' -f4)
	failed=$(grep -o '"failed": \[[^]]*\]' <<<"$output")
	[ "$verdict" = suspect ] || [ "$verdict" = emulated ] ||
		fail_with "verdict $verdict under TCG-nested KVM"
	grep -Eq '"(cr3_reload|invlpg|pf_round_trip|copy_4k)"' <<<"$failed" ||
		fail_with "no privileged operation named: $failed"
	for name in $(grep -o '"[a-z0-9_]*"' <<<"${failed#*:}" | tr -d '"'); do
		grep -q "\"why\": \"[^\"]*; $name " <<<"$output" ||
			fail_with "why does not name $name"
	done
}

@test "nested kvm: --which-backend agrees with the validity verdict" {
	nested 16
	local verdict
	verdict=$(grep -o '"verdict": "[a-z]*"' <<<"$output" | cut -d'"' -f4)
	nested 17
	assert_exit 0
	[ "${#lines[@]}" -eq 1 ] || [ "$(wc -l <<<"$output")" -eq 1 ]
	if [ "$verdict" = valid ]; then
		[[ $output == $'kvm\t'"kvm's validity check says hardware-virtualized"* ]]
	else
		[[ $output == $'qemu-tcg-det\t'"kvm's validity check says '$verdict'"* ]]
	fi
}

@test "nested kvm: the empty guest boots" {
	nested 18
	assert_exit 0
	assert_output_has "guest passed (0 records) [kvm]"
}
