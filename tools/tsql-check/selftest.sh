#!/usr/bin/env bash
# Self-test for tsql-check: samples/good.json must pass (exit 0), samples/bad.json must fail
# (exit 1) naming each of its five problems, and malformed input must give exit 2.
# Exits non-zero when any check fails. Works from any directory.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
run="$here/run.sh"
passed=0
failed=0

check() { # check <description> <command...>: one assertion
  local what="$1"; shift
  if "$@"; then
    passed=$((passed + 1)); echo "ok   - $what"
  else
    failed=$((failed + 1)); echo "FAIL - $what"
  fi
}

# Build up front so a build failure is reported as such, not as a wrong exit code.
"$run" - <<<'[]' >/dev/null || { echo "selftest: cannot build or run tsql-check"; exit 1; }

good_out="$("$run" "$here/samples/good.json" 2>&1)"; good_rc=$?
bad_out="$("$run" "$here/samples/bad.json" 2>&1)"; bad_rc=$?
stdin_out="$("$run" - <"$here/samples/bad.json" 2>&1)"; stdin_rc=$?
"$run" - <<<'{"not": "an array"}' >/dev/null 2>&1; malformed_rc=$?

has() { grep -qF -- "$2" <<<"$1"; } # has <text> <fixed string>

check "good.json exits 0"                      test "$good_rc" -eq 0
check "good.json reports 0 errors"             has "$good_out" "tsql-check: 7 statements parsed, 0 errors"
check "bad.json exits 1"                       test "$bad_rc" -eq 1
check "bad.json: syntax error reported"        has "$bad_out" "ERROR [parse] query sample.repository.brokenSelect (line 1, col 18): Incorrect syntax near 'from'."
check "bad.json: text column refused"          has "$bad_out" "column \"body\" has type 'text'"
check "bad.json: boolean column refused"       has "$bad_out" "column \"enabled\" has type 'boolean'"
check "bad.json: nvarchar without length"      has "$bad_out" "column \"nickname\" has type 'nvarchar': needs an explicit length"
check "bad.json: timestamp column refused"     has "$bad_out" "column \"changed\" has type 'timestamp'"
check "bad.json reports exactly 5 errors"      has "$bad_out" "tsql-check: 5 statements parsed, 5 errors"
check "stdin (-) input works the same"         test "$stdin_rc" -eq 1 -a "$stdin_out" = "$bad_out"
check "malformed input exits 2"                test "$malformed_rc" -eq 2

if [[ $failed -ne 0 ]]; then
  echo "--- good.json output ---"; echo "$good_out"
  echo "--- bad.json output ---"; echo "$bad_out"
fi
echo "selftest: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
