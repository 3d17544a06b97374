#!/usr/bin/env bats
# Guest input robustness: a malformed guest command line ends the run at
# once with the documented exit status and a message naming the problem,
# on the console and as what= in the end record; never a hang, a crash,
# or a run with the bad value silently accepted.
#
# Runs on qemu-tcg-det (a boot is ~0.2 s, no /dev/kvm needed). Defines
# its own helpers rather than sharing helpers.bash, so changes there
# cannot change what these tests check.

: "${FB_BUILD:=$BATS_TEST_DIRNAME/../../build}"
FBVMM=$FB_BUILD/fbvmm
GUEST=$FB_BUILD/guest.elf

setup() {
	command -v qemu-system-x86_64 >/dev/null ||
		skip "qemu-tcg-det: qemu-system-x86_64 not installed"
	REC=$BATS_TEST_TMPDIR/run.rec
}

# boot [FBVMM OPTIONS --] GUEST ARGS...: run the guest, records to $REC.
# The outer timeout fails a hang instead of blocking the suite.
boot() {
	local opts=()
	if [[ " $* " == *" -- "* ]]; then
		while [ "$1" != -- ]; do
			opts+=("$1")
			shift
		done
		shift
	fi
	rm -f "$REC"
	run timeout 60 "$FBVMM" -b qemu-tcg-det -t 30 "${opts[@]}" -r "$REC" \
		"$GUEST" "$@"
}

say() {
	echo "$*" >&2
	echo "output:" >&2
	echo "$output" >&2
	return 1
}

# refused CODE TEXT: the run exited CODE, its console has TEXT, and the
# end record names the problem with TEXT as what= (records write spaces
# and '=' as '_').
refused() {
	local code=$1 text=$2 end word
	[ "$status" -eq "$code" ] || say "expected exit $code, got $status"
	grep -qF -- "$text" <<<"$output" || say "console lacks '$text'"
	end=$(grep ' type=end ' "$REC") || say "no end record in $REC"
	case $code in
	2) word=badcmd ;;
	1) word=nomem ;;
	esac
	grep -q " status=$word " <<<"$end" || say "end record: $end"
	grep -qF -- "$(tr ' =' '__' <<<"$text")" <<<"${end#* what=}" ||
		say "end record lacks what=...$text: $end"
}

# badcmd TEXT: refused as a bad command (exit 2).
badcmd() {
	refused 2 "$1"
	grep -qF "guest rejected its command line" <<<"$output" ||
		say "fbvmm did not report the rejection"
}

# ---- the command ----------------------------------------------------

@test "unknown command" {
	boot frobnicate
	badcmd "cmdline: unknown command 'frobnicate' (try 'help')"
}

@test "no command" {
	boot
	badcmd "cmdline: no command given (try 'help')"
}

@test "a command that takes no arguments given one" {
	boot selftest extra
	badcmd "selftest: takes no arguments"
}

# ---- bench: values ----------------------------------------------------

@test "bench: unknown scenario" {
	boot bench scenario=nap variant=cow size=1M
	badcmd "bench: unknown scenario 'nap' (one of: create exit_wait exec_wait cow tlb cache phases first_write)"
}

@test "bench: unknown variant" {
	boot bench scenario=create variant=spoon size=1M
	badcmd "bench: unknown variant 'spoon' (one of: copy cow vfork clone_vm spawn odf huge_copy huge_split)"
}

@test "bench: size=abc is not a number" {
	boot bench scenario=create variant=cow size=abc
	badcmd "bench: size 'abc' is not a size (bytes, or a number with K, M or G)"
}

@test "bench: size= has no value" {
	boot bench scenario=create variant=cow size=
	badcmd "bench: 'size=' has no value"
}

@test "bench: size=12Q has an unknown suffix" {
	boot bench scenario=create variant=cow size=12Q
	badcmd "bench: size '12Q' is not a size (bytes, or a number with K, M or G)"
}

@test "bench: negative size" {
	boot bench scenario=create variant=cow size=-1M
	badcmd "bench: size '-1M' is not a size (bytes, or a number with K, M or G)"
}

@test "bench: size overflowing 64 bits" {
	boot bench scenario=create variant=cow size=99999999999999999999G
	badcmd "bench: size '99999999999999999999G' is too large (2^64 bytes or more)"
}

@test "bench: size not a multiple of 4K" {
	boot bench scenario=create variant=cow size=5000
	badcmd "bench: size '5000' is not a multiple of 4K"
}

@test "bench: size beyond guest RAM is refused up front (exit 1, out of memory)" {
	boot -m 64M -- bench scenario=create variant=cow size=1G
	refused 1 "bench: guest RAM too small: cannot allocate the parent: size 1G needs 262673 4K frames, 64 MiB of guest RAM has"
	# before anything ran: hello and end are the only records
	[ "$(wc -l <"$REC")" -eq 2 ] || say "records beyond hello and end: $(cat "$REC")"
}

@test "bench: an 8 GiB parent in 4 GiB of guest RAM is refused up front" {
	boot -m 4G -- bench scenario=create variant=cow size=8G
	# 2097152 pages, a page table per 512, a directory per 262144, 16 more
	refused 1 "bench: guest RAM too small: cannot allocate the parent: size 8G needs $((2097152 + 4096 + 8 + 16)) 4K frames, 4096 MiB of guest RAM has"
}

@test "bench: reps=0" {
	boot bench scenario=create variant=cow size=1M reps=0
	badcmd "bench: reps 0 is too small (at least 1)"
}

@test "bench: reps absurdly large" {
	boot bench scenario=create variant=cow size=1M reps=1000000000
	badcmd "bench: reps 1000000000 is too large (at most 1000)"
}

@test "bench: writes=0" {
	boot bench scenario=cow variant=cow size=1M writes=0
	badcmd "bench: writes 0 is too small (at least 1)"
}

@test "bench: hot_kb beyond guest RAM" {
	boot -m 64M -- bench scenario=cache variant=cow size=1M hot_kb=99999999999
	badcmd "bench: hot_kb 99999999999 is too large (at most"
}

@test "bench: sim and stlb out of range" {
	boot bench scenario=tlb variant=cow size=1M sim=maybe
	badcmd "bench: unknown sim 'maybe' (one of: off on)"
	boot bench scenario=tlb variant=cow size=1M stlb=0
	badcmd "bench: stlb 0 is too small (at least 1)"
}

# ---- bench: keys ------------------------------------------------------

@test "bench: a key given twice" {
	boot bench scenario=create variant=cow size=1M size=2M
	badcmd "bench: key 'size' given twice (size=1M, then size=2M)"
}

@test "bench: a required key missing" {
	boot bench scenario=create variant=cow
	badcmd "bench: missing size= (required: scenario variant size)"
}

@test "bench: no arguments at all" {
	boot bench
	badcmd "bench: missing scenario= (required: scenario variant size)"
}

@test "bench: unknown key" {
	boot bench scenario=create variant=cow size=1M colour=red
	badcmd "bench: unknown key 'colour' (keys: scenario variant size reps policy writes writer phases hot_kb pcid sim stlb parent_pages)"
}

@test "bench: an argument without =" {
	boot bench scenario=create variant=cow size=1M nonsense
	badcmd "bench: 'nonsense' is not key=value"
}

@test "bench: an argument without a key" {
	boot bench scenario=create variant=cow size=1M =5
	badcmd "bench: '=5' has no key"
}

@test "bench: every option, well formed, still runs" {
	boot bench scenario=cow variant=cow size=64K reps=1 policy=child \
		writes=4 writer=child phases=1 hot_kb=64 pcid=off sim=off stlb=64
	[ "$status" -eq 0 ] || say "expected exit 0, got $status"
	grep -q ' type=end status=pass ' "$REC" || say "no passing end record"
	if grep -q ' what=' "$REC"; then say "a passing run names a problem"; fi
}

# ---- forksize, proctest, fault ----------------------------------------

@test "forksize: bad size" {
	boot forksize 12Q cow
	badcmd "forksize: size '12Q' is not a size (bytes, or a number with K, M or G)"
	grep -qF "forksize: usage: forksize SIZE copy|cow|vfork|clone_fork|odf" <<<"$output" ||
		say "no usage line"
}

@test "forksize: bad variant" {
	boot forksize 1M spoon
	badcmd "forksize: unknown variant 'spoon' (one of: copy cow vfork clone_fork odf)"
}

@test "forksize: size beyond guest RAM is refused up front (exit 1)" {
	boot -m 64M -- forksize 1G cow
	refused 1 "forksize: guest RAM too small: cannot allocate the parent: size 1G needs"
	[ "$(wc -l <"$REC")" -eq 2 ] || say "records beyond hello and end: $(cat "$REC")"
}

@test "proctest: unknown test name" {
	boot proctest no_such_test
	badcmd "proctest: no test named 'no_such_test'"
}

@test "fault: unknown kind" {
	boot fault nosuch
	badcmd "fault: unknown kind 'nosuch' (one of: triple pf ud hang port halt badrecord fail)"
	if grep -q "^fault: nosuch" <<<"$output"; then say "the fault ran"; fi
}

# ---- kernel parameters (the host puts tsc_khz= and pmu= first) --------

@test "kernel parameter: tsc_khz not a number" {
	boot tsc_khz=abc selftest
	badcmd "cmdline: unknown or malformed kernel parameter 'tsc_khz=abc': the value is not a number"
}

@test "kernel parameter: no value" {
	boot tsc_khz= selftest
	badcmd "cmdline: unknown or malformed kernel parameter 'tsc_khz=': no value"
}

@test "kernel parameter: malformed pmu event codes" {
	boot pmu=zz selftest
	badcmd "cmdline: unknown or malformed kernel parameter 'pmu=zz': the value is not one code (ee.uu in hex, or -)"
}

@test "kernel parameter: one too many pmu event codes" {
	boot pmu=c0.00,76.00,-,-,45.f0,-,- selftest
	badcmd "kernel parameter 'pmu=c0.00,76.00,-,-,45.f0,-,-': the value is not one code"
}

@test "kernel parameter: given twice overrides nothing" {
	boot tsc_khz=5 selftest
	badcmd "cmdline: unknown or malformed kernel parameter 'tsc_khz=5': tsc_khz given twice (the host sets it)"
}

@test "kernel parameter: unknown" {
	boot colour=blue selftest
	badcmd "cmdline: unknown or malformed kernel parameter 'colour=blue': no such parameter (known: tsc_khz pmu)"
}

# ---- the command line as a whole ---------------------------------------

@test "too many arguments" {
	boot proctest $(seq 1 40)
	badcmd "cmdline: more than 32 words for the command and its arguments"
}

@test "an over-long argument" {
	local long
	long=x$(printf 'a%.0s' $(seq 200))
	boot bench scenario=create variant=cow size=1M "$long"
	badcmd "cmdline: a word of 201 bytes, more than 80: 'xaaaaaaaaaaaaaaaaaaaaaaa...'"
}
