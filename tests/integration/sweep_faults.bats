#!/usr/bin/env bats
# forkbench run when the host cannot write results: a file size limit
# (EFBIG), a file in the way of a directory (ENOTDIR), a read-only
# directory (EROFS), and SIGKILL. Each names the file and the reason,
# stops the sweep with exit 3 at the first such error, keeps what
# finished intact, and --resume then ends with the same metrics.csv, byte
# for byte, as an uninterrupted run (qemu-tcg-det cycles repeat exactly).

load helpers

FORKBENCH=$FB_BUILD/forkbench
SWEEP="-b qemu-tcg-det --variants cow --scenarios create --sizes 0,1M,4M --reps 3"

size() { stat -c %s "$@"; }
largest() { stat -c %s "$@" | sort -n | tail -n 1; }
# Every file of a directory with its checksum, to show nothing changed.
digest() { (cd "$1" && find . -type f | sort | xargs sha1sum); }

# The uninterrupted sweep every test compares with, run once per file.
reference() {
	REF=$BATS_FILE_TMPDIR/ref
	[ -e "$REF/metrics.csv" ] ||
		"$FORKBENCH" run $SWEEP -o "$REF" 2>/dev/null ||
		fail_with "the reference sweep failed"
}

# A sweep in $1 stopped by a file size limit between the raw CSVs of its
# first and second configuration: the first finishes, the second cannot.
stop_after_first() {
	local d=$1 limit
	limit=$((($(size "$REF/raw/cow_create_0.csv") +
		$(size "$REF/raw/cow_create_1048576.csv")) / 2))
	[ "$(largest "$REF"/raw/cow_create_0.* "$REF/meta.json")" -lt "$limit" ] ||
		fail_with "limit $limit cannot pass the first configuration"
	# SIGXFSZ at its default: the programs must ignore it themselves
	run env --default-signal=XFSZ prlimit --fsize=$limit "$FORKBENCH" run $SWEEP -o "$d"
}

@test "file size limit in fbvmm: file and reason named, exit 3, first configuration intact" {
	need_backend qemu-tcg-det
	reference
	local d=$BATS_TEST_TMPDIR/s
	stop_after_first "$d"
	assert_exit 3
	assert_output_has "forkbench run: cow create 1048576: cannot write $d/raw/cow_create_1048576.csv: File too large"
	assert_output_has "finish with: forkbench run --resume $d"
	! grep -q "FAILED" <<<"$output" || fail_with "a write fault reported as a failure"
	# stopped at once: the 4M configuration never ran
	[ ! -e "$d/raw/cow_create_4194304.log" ]
	[ ! -e "$d/raw/cow_create_1048576.status" ]
	cmp "$d/raw/cow_create_0.csv" "$REF/raw/cow_create_0.csv"
	grep -q '^cow,create,0,ok,0,' "$d/raw/cow_create_0.status"
	# the result set holds what finished: a prefix of the full one
	[ "$(tail -n +2 "$d/configs.csv" | wc -l)" -eq 1 ]
	cmp -n "$(size "$d/metrics.csv")" "$d/metrics.csv" "$REF/metrics.csv"
	[ "$(size "$d/metrics.csv")" -lt "$(size "$REF/metrics.csv")" ]
	grep -q '"configs": {"planned": 3, "ok": 1, "failed": 0, "not_run": 2}' "$d/meta.json"
	run "$FORKBENCH" run --resume "$d"
	assert_exit 0
	cmp "$d/metrics.csv" "$REF/metrics.csv"
	diff <(cut -d, -f1-5 "$d/configs.csv") <(cut -d, -f1-5 "$REF/configs.csv")
}

@test "file size limit in forkbench's own result set: exit 3, the previous set untouched" {
	need_backend qemu-tcg-det
	reference
	local d=$BATS_TEST_TMPDIR/s limit
	stop_after_first "$d"
	assert_exit 3
	# room for every configuration's files, not for the whole metrics.csv
	limit=$(($(largest "$REF"/raw/* "$REF/meta.json" "$REF/configs.csv") + 64))
	[ "$limit" -lt "$(size "$REF/metrics.csv")" ] || fail_with "limit $limit too big"
	local before
	before=$(digest "$d" | grep -v ' ./raw/')
	run env --default-signal=XFSZ prlimit --fsize=$limit "$FORKBENCH" run --resume "$d"
	assert_exit 3
	assert_output_has "forkbench run: cannot write $d/metrics.csv: File too large"
	[ "$(digest "$d" | grep -v ' ./raw/')" = "$before" ] ||
		fail_with "the result set changed"
	! ls "$d"/*.tmp* 2>/dev/null || fail_with "staged files left behind"
	[ -e "$d/raw/cow_create_4194304.status" ]
	run "$FORKBENCH" run --resume "$d"
	assert_exit 0
	cmp "$d/metrics.csv" "$REF/metrics.csv"
}

@test "fbvmm under a file size limit: exit 7 naming the file, no file left" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	run env --default-signal=XFSZ prlimit --fsize=1000 "$FBVMM" -q -b qemu-tcg-det \
		--csv "$d/x.csv" --meta "$d/x.json" --records "$d/x.rec" "$GUEST" bench \
		scenario=create variant=cow size=0 reps=3
	assert_exit 7
	assert_output_has "fbvmm: cannot write $d/x.csv: File too large"
	assert_output_has "fbvmm: cannot write $d/x.rec: File too large"
	[ -z "$(ls "$d" | grep '^x\.')" ] || fail_with "left: $(ls "$d")"
}

@test "a file where the result directory should be: ENOTDIR named, exit 3" {
	local f=$BATS_TEST_TMPDIR/file
	echo data >"$f"
	run "$FORKBENCH" run $SWEEP -o "$f/sweep"
	assert_exit 3
	assert_output_has "forkbench run: cannot create $f: Not a directory"
	[ "$(cat "$f")" = data ]
	# and a file in the place of raw/ when resuming
	local d=$BATS_TEST_TMPDIR/d
	mkdir "$d"
	printf '%s\n' run $SWEEP -o "$d" >"$d/sweep.args"
	: >"$d/raw"
	run "$FORKBENCH" run --resume "$d"
	assert_exit 3
	assert_output_has "forkbench run: cannot create $d/raw: Not a directory"
}

@test "a read-only result directory: EROFS named, exit 3, nothing changed, then resumed" {
	need_backend qemu-tcg-det
	# root ignores file modes; a read-only bind mount in a private
	# user+mount namespace needs no privileges where user namespaces work
	unshare -rm true 2>/dev/null || skip "unshare -rm: no user namespaces here"
	reference
	local d=$BATS_TEST_TMPDIR/s before
	stop_after_first "$d"
	assert_exit 3
	before=$(digest "$d")
	run unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" &&
		exec "$2" run --resume "$1"' sh "$d" "$FORKBENCH"
	assert_exit 3
	assert_output_has "forkbench run: cow create 1048576: cannot write $d/raw/cow_create_1048576.csv: Read-only file system"
	[ "$(digest "$d")" = "$before" ] || fail_with "files changed"
	run "$FORKBENCH" run --resume "$d"
	assert_exit 0
	cmp "$d/metrics.csv" "$REF/metrics.csv"
}

@test "SIGKILL mid-configuration: --resume ends with the uninterrupted metrics" {
	need_backend qemu-tcg-det
	reference
	local d=$BATS_TEST_TMPDIR/k child= waited=0 rc=0
	"$FORKBENCH" run $SWEEP -o "$d" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	# the first configuration recorded and another one's fbvmm running
	until [ -e "$d/raw/cow_create_0.status" ] &&
		child=$(pgrep -P "$pid") && [ -n "$child" ]; do
		[ $waited -lt 1500 ] || { kill -9 "$pid"; fail_with "no configuration in flight in 30 s"; }
		sleep 0.02
		waited=$((waited + 1))
	done
	kill -9 "$pid" $child $(pgrep -P "$child") 2>/dev/null || true
	wait "$pid" || rc=$?
	[ "$rc" -eq 137 ]
	[ "$(ls "$d"/raw/*.status | wc -l)" -lt 3 ] || fail_with "nothing was cut short"
	[ ! -e "$d/metrics.csv" ]
	run "$FORKBENCH" run --resume "$d"
	assert_exit 0
	cmp "$d/metrics.csv" "$REF/metrics.csv"
	diff <(cut -d, -f1-5 "$d/configs.csv") <(cut -d, -f1-5 "$REF/configs.csv")
}
