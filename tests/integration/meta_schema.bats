#!/usr/bin/env bats
# Every kind of result set writes meta.json in the one shape that
# results/meta.schema.json describes: a guest sweep, a merge of shards and
# forkbench host, each validated with python3-jsonschema; a meta.json
# with a field missing or of the wrong type must fail.

load helpers

FORKBENCH=$FB_BUILD/forkbench
SCHEMA=$BATS_TEST_DIRNAME/../../results/meta.schema.json

setup() {
	python3 -c 'import jsonschema' 2>/dev/null ||
		skip "python3-jsonschema not installed (scripts/deps.sh)"
}

# validate FILE: exit 0 when FILE matches the schema, else the errors.
validate() {
	python3 - "$SCHEMA" "$1" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(
    json.load(open(sys.argv[2]))))
for e in errors:
    print("/".join(map(str, e.absolute_path)) or "(top)", ":", e.message)
sys.exit(1 if errors else 0)
PY
}

# edit IN OUT PYTHON: OUT is IN's JSON after the statement on d.
edit() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $3; json.dump(d, open(sys.argv[2], 'w'))" "$1" "$2"
}

@test "guest sweep, its shards' merge: meta.json matches the schema" {
	need_backend qemu-tcg-det
	local d=$BATS_TEST_TMPDIR
	local sweep=(-b qemu-tcg-det --variants cow --scenarios create --sizes 0 --reps 1)
	"$FORKBENCH" run "${sweep[@]}" -o "$d/g" 2>/dev/null
	run validate "$d/g/meta.json"
	assert_exit 0
	"$FORKBENCH" run "${sweep[@]}" --shard 1/1 -o "$d/s1" 2>/dev/null
	"$FORKBENCH" merge "$d/m" "$d/s1" 2>/dev/null
	run validate "$d/m/meta.json"
	assert_exit 0
	grep -q '"kind": "guest"' "$d/m/meta.json"
	grep -q '"overhead": null' "$d/m/meta.json"
	grep -q '"facts_from": "raw/cow_create_0.json"' "$d/g/meta.json"
}

@test "forkbench host: meta.json matches the schema" {
	local d=$BATS_TEST_TMPDIR/h
	"$FORKBENCH" host --sizes 0 --reps 1 --variants linux_fork \
		--scenarios create --out "$d" 2>/dev/null
	run validate "$d/meta.json"
	assert_exit 0
	grep -q '"kind": "linux"' "$d/meta.json"
}

@test "a meta.json missing a field or with a wrong type fails the schema" {
	local d=$BATS_TEST_TMPDIR/h m
	"$FORKBENCH" host --sizes 0 --reps 1 --variants linux_fork \
		--scenarios create --out "$d" 2>/dev/null
	m=$d/meta.json
	edit "$m" "$d/no_verdict.json" 'del d["validity"]["verdict"]'
	run validate "$d/no_verdict.json"
	assert_exit 1
	assert_output_has "'verdict' is a required property"
	edit "$m" "$d/khz_string.json" 'd["clock"]["tsc_khz"] = "fast"'
	run validate "$d/khz_string.json"
	assert_exit 1
	assert_output_has "clock/tsc_khz"
	edit "$m" "$d/bad_kind.json" 'd["kind"] = "vm"'
	run validate "$d/bad_kind.json"
	assert_exit 1
	edit "$m" "$d/both.json" 'd["guest"] = {}'
	run validate "$d/both.json"
	assert_exit 1
}

@test "sweep.parent_pages (run --parent-pages): 2M matches the schema, another size fails" {
	local d=$BATS_TEST_TMPDIR standin=$BATS_TEST_TMPDIR/fbvmm
	# The guest's answer is not what is checked: a stand-in fbvmm fails
	# the configuration, and the set is written all the same.
	printf '#!/bin/sh\nexit 1\n' >"$standin"
	chmod +x "$standin"
	"$FORKBENCH" run -b qemu-tcg-det --sim off --fbvmm "$standin" \
		--variants huge_split --scenarios create --sizes 4M --reps 1 \
		--parent-pages 2M -o "$d/g" 2>/dev/null || true
	run validate "$d/g/meta.json"
	assert_exit 0
	grep -q '"parent_pages": "2M"' "$d/g/meta.json"
	edit "$d/g/meta.json" "$d/bad_pages.json" 'd["sweep"]["parent_pages"] = "1G"'
	run validate "$d/bad_pages.json"
	assert_exit 1
	assert_output_has "sweep/parent_pages"
	# sets from before the field still match
	edit "$d/g/meta.json" "$d/old.json" 'del d["sweep"]["parent_pages"]'
	run validate "$d/old.json"
	assert_exit 0
}
