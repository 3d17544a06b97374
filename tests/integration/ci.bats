#!/usr/bin/env bats
# forkbench ci: the working tree against a base revision built in a
# temporary worktree, on the CI profile (qemu-tcg-det). Every check runs
# in a clone of this repository's HEAD made here, where the tests commit
# their own revisions (an injected slowdown, a base that does not build);
# the base's results are cached in this file's own cache directory, so
# after the first full check the others measure only the working tree.

load helpers

FORKBENCH=$FB_BUILD/forkbench
# the timings of the guest's sweep: what an injected slowdown can move
TIMINGS="cycles_to_return cycles_to_child cycles_to_child_parent_first
cycles_create_exit_wait cycles_create_exec_wait cycles_per_write
write_cycles_total"

setup_file() {
	local top=$BATS_TEST_DIRNAME/../..
	export REPO=$BATS_FILE_TMPDIR/repo
	export XDG_CACHE_HOME=$BATS_FILE_TMPDIR/cache
	export TMPDIR=$BATS_FILE_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	git -C "$top" rev-parse --git-dir >/dev/null 2>&1 || return 0
	git clone -q "$top" "$REPO"
	export BASE_COMMIT
	BASE_COMMIT=$(git -C "$REPO" rev-parse HEAD)
}

setup() {
	[ -d "$REPO" ] || skip "$BATS_TEST_DIRNAME/../.. is not a git checkout"
	cd "$REPO"
}

# run_ci ARGS...: `run forkbench ci ARGS` in the clone, failing on any
# sanitizer report (under ASan a leak exits 1, like a regression).
run_ci() {
	run "$FORKBENCH" ci "$@"
	if grep -qE 'Sanitizer|runtime error:' <<<"$output"; then
		echo "$output" >&2
		return 1
	fi
}

# commit_on BRANCH MESSAGE: commit the clone's changes on a new branch.
commit_on() {
	git checkout -q -b "$1" "$BASE_COMMIT"
	shift
	git add -A
	git -c user.name=forkbench-test -c user.email=test@forkbench \
		commit -q -m "$*"
}

# no_leftovers: no worktree besides the clone, no temporary directory.
no_leftovers() {
	[ "$(git worktree list | wc -l)" -eq 1 ] ||
		fail_with "worktrees left: $(git worktree list)"
	[ -z "$(ls "$TMPDIR")" ] || fail_with "left in TMPDIR: $(ls "$TMPDIR")"
}

@test "ci --help; bad arguments exit 2 naming them" {
	run_ci --help
	assert_exit 0
	assert_output_has "usage: forkbench ci --base REV [options]"
	assert_output_has "scenarios create,exit_wait,exec_wait,cow"
	run_ci
	assert_exit 2
	assert_output_has "forkbench ci: expected --base REV, --baseline DIR or --save-baseline DIR"
	run_ci --base HEAD --bogus
	assert_exit 2
	assert_output_has "forkbench ci: --bogus: unknown option"
	run_ci --base HEAD --baseline x
	assert_exit 2
	assert_output_has "only one of --base, --baseline and --save-baseline"
	run_ci --base HEAD --threshold -1
	assert_exit 2
	assert_output_has "--threshold '-1': not a percentage"
	run_ci --base HEAD --sizes 0,3K
	assert_exit 2
	assert_output_has "--sizes '3K'"
	run_ci --base HEAD --variants cow,bogus
	assert_exit 2
	assert_output_has "--variants 'bogus'"
}

@test "ci outside a git checkout: exit 2, saying so" {
	cd "$BATS_TEST_TMPDIR"
	run_ci --base HEAD
	assert_exit 2
	assert_output_has "forkbench ci: not inside a git checkout"
}

@test "ci --base with a bad revision: exit 2 naming it, report written" {
	run_ci --base no-such-rev
	assert_exit 2
	assert_output_has "forkbench ci: --base 'no-such-rev': not a commit in $REPO"
	grep -q "^## forkbench ci: could not run" build/ci/report.md
	run_ci --base --help
	assert_exit 2
	assert_output_has "--base '--help': not a commit"
}

@test "ci --require-clean refuses a dirty tree, naming what changed" {
	echo note >notes.txt
	echo '/* edited */' >>guest/kernel/fault.c
	run_ci --base HEAD --require-clean
	assert_exit 2
	assert_output_has "--require-clean: the working tree has 2 uncommitted changes ("
	assert_output_has "guest/kernel/fault.c"
	assert_output_has "notes.txt"
	git checkout -q -- guest/kernel/fault.c
	rm notes.txt
}

@test "ci --base HEAD on a clean tree: no change, exit 0, each step timed" {
	need_backend qemu-tcg-det
	run_ci --base HEAD --require-clean
	assert_exit 0
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches"
	assert_output_has "ci: build base HEAD (${BASE_COMMIT:0:12}) in a worktree: "
	assert_output_has "ci: build working tree: "
	assert_output_has "ci: sweep base and working tree ("
	assert_output_has "ci: compare: "
	assert_output_has "ci: total: "
	assert_output_has "forkbench ci: no regression (report: $REPO/build/ci/report.md)"
	grep -q "^## forkbench ci: no regression" build/ci/report.md
	grep -q "^- \*\*new\*\*: the working tree at ${BASE_COMMIT:0:12}, clean" build/ci/report.md
	grep -q "^| total | " build/ci/report.md
	# the base's results are cached under its tree
	local tree
	tree=$(git rev-parse "HEAD^{tree}")
	[ -f "$XDG_CACHE_HOME"/forkbench/ci/"$tree"-*/ci.json ]
	no_leftovers
}

# The guest's text pages, which every process maps (guest/kernel/mm.c,
# map_text): a change to the guest's code can move their count.
text_pages() {
	local start end
	start=$(nm build/guest.elf | awk '$3 == "__text_start" { print $1 }')
	end=$(nm build/guest.elf | awk '$3 == "__text_end" { print $1 }')
	echo $(((0x$end - 0x$start) / 4096))
}

@test "a slowdown injected in the COW copy: exit 1 naming only the copy-on-write variants' timings (base cached, tree dirty)" {
	need_backend qemu-tcg-det
	# the base's guest, as the check before this one built it
	[ -f build/guest.elf ] || make -j2 build/guest.elf >/dev/null
	local pages_base
	pages_base=$(text_pages)
	# a spin in wp_page_copy: every copy-on-write copy, and nothing else
	sed -i 's|^\tcopy_page(pa, old);$|&\n\tfor (volatile unsigned spin = 0; spin < 20000; spin++)\n\t\t; /* injected slowdown */|' \
		guest/kernel/fault.c
	grep -q 'injected slowdown' guest/kernel/fault.c
	commit_on slow "an injected slowdown in wp_page_copy"
	echo note >notes.txt # untracked: the tree is measured as it is
	run_ci --base "$BASE_COMMIT"
	rm notes.txt
	local grown=$(($(text_pages) - pages_base))
	git checkout -q "$BASE_COMMIT" # first: the next tests start from the base
	assert_exit 1
	# the base's results came from the earlier check's cache
	assert_output_has "ci: base $BASE_COMMIT (${BASE_COMMIT:0:12}): results from the cache: 0.0 s"
	assert_output_has "ci: sweep working tree ("
	! grep -q "ci: build base" <<<"$output" || fail_with "built the base again"
	grep -q "^- \*\*new\*\*: the working tree at $(git rev-parse --short=12 slow), dirty (1 changed path: notes.txt)" \
		build/ci/report.md
	# a COW copy is in the writes of the cow scenario...
	local size
	for size in 1M 16M 64M; do
		assert_output_has "| cow | cow | $size | cycles_per_write |"
	done
	# ...and every changed row is a timing of a variant that copies on
	# write, slower; but
	# for the spin's own bytes: when they push the text over a page
	# boundary, every variant's ptes_copied moves by exactly the pages
	# the text grew, a counter mismatch the change really causes
	local rows row variant metric base new slower=0 moved=0
	rows=$(grep '^| [a-z_]* | [a-z_]* | [0-9KMG]* | ' <<<"$output")
	[ -n "$rows" ] || fail_with "no rows: $output"
	while IFS= read -r row; do
		variant=$(awk -F' [|] ' '{ print substr($1, 3) }' <<<"$row")
		metric=$(awk -F' [|] ' '{ print $4 }' <<<"$row")
		base=$(awk -F' [|] ' '{ print $5 }' <<<"$row")
		new=$(awk -F' [|] ' '{ print $6 }' <<<"$row")
		if [ "$metric" = ptes_copied ]; then
			[ "$grown" -ne 0 ] && [ $((new - base)) -eq "$grown" ] ||
				fail_with "text grew $grown pages: $row"
			moved=$((moved + 1))
			continue
		fi
		# the variants whose writes after fork copy 4 KiB pages: cow,
		# odf, huge_split (a split, then a 4 KiB copy) and huge_copy
		# below 2 MiB, where its parent has no 2 MiB page
		case $variant in
		cow | odf | huge_split | huge_copy) ;;
		*) fail_with "not a copy-on-write variant: $row" ;;
		esac
		grep -qw -- "$metric" <<<"$TIMINGS" || fail_with "not a timing: $row"
		[[ $row == *"| regression |" ]] || fail_with "not a regression: $row"
		slower=$((slower + 1))
	done <<<"$rows"
	[ "$grown" -eq 0 ] || [ "$moved" -gt 0 ] || fail_with "text grew, no ptes_copied moved"
	grep -q "^## forkbench ci: $slower regressions, $moved counter mismatches" \
		build/ci/report.md
}

@test "a base that does not build: exit 2 with the compiler's message, nothing left" {
	echo 'int broken(void) { return }' >>guest/kernel/fault.c
	commit_on broken "a base that does not build"
	git checkout -q "$BASE_COMMIT"
	run_ci --base broken
	assert_exit 2
	assert_output_has "forkbench ci: base broken ("
	assert_output_has ") does not build: make exited 2: guest/kernel/fault.c:"
	assert_output_has "error: "
	no_leftovers
}

@test "--save-baseline, then --baseline: no change; another toolchain skips; another profile is exit 2" {
	need_backend qemu-tcg-det
	local narrow=(--variants cow --scenarios create --sizes 0)
	local bl=$BATS_TEST_TMPDIR/baseline
	run_ci --save-baseline "$bl" "${narrow[@]}"
	assert_exit 0
	assert_output_has "forkbench ci: saved the working tree's results in $bl"
	[ -f "$bl/metrics.csv" ] && [ -f "$bl/meta.json" ]
	grep -q '"compiler": "'"$(cc --version | head -1)"'"' "$bl/ci.json"
	grep -q '"qemu": "'"$(qemu-system-x86_64 --version | head -1)"'"' "$bl/ci.json"
	! grep -q '^[^,]*,[^,]*,[^,]*,0,' "$bl/metrics.csv" || fail_with "warm-up rows kept"
	run_ci --baseline "$bl" "${narrow[@]}"
	assert_exit 0
	assert_output_has "0 regressions, 0 improvements, 0 counter mismatches"
	sed -i 's/"compiler": "[^"]*"/"compiler": "cc (Other) 99.1"/' "$bl/ci.json"
	run_ci --baseline "$bl" "${narrow[@]}"
	assert_exit 0
	assert_output_has "forkbench ci: skipped: $bl was made with another toolchain (compiler 'cc (Other) 99.1', here '"
	run_ci --baseline "$bl"
	assert_exit 0 # the toolchain is checked first: skipped still
	run_ci --save-baseline "$bl" "${narrow[@]}"
	run_ci --baseline "$bl" --sizes 0,1M "${narrow[@]:0:4}"
	assert_exit 2
	assert_output_has "forkbench ci: $bl holds the profile 'qemu-tcg-det; variants cow; scenarios create; sizes 0; reps 1', this check runs"
}
