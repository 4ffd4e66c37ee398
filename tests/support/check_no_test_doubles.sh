#!/usr/bin/env bash
# The shipped binary holds product code only (DESIGN §11): fails when `nm -C` of coconut shows
# a symbol of the test support library (FakeRunner, RecordingRunner, anything in
# coconut::testing). Two checks keep it honest: the same pattern must match in the test binary
# (so a renamed double cannot slip past a stale pattern), and coconut must have a symbol table
# at all (a stripped binary shows nothing, which proves nothing).
#
#   bash tests/support/check_no_test_doubles.sh build/coconut build/coconut_tests
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 COCONUT_BINARY TEST_BINARY" >&2
  exit 2
fi
product=$1 tests=$2
pattern='FakeRunner|RecordingRunner|coconut::testing::'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

nm -C "$product" >"$work/product" 2>"$work/product.err" || {
  echo "FAIL: nm -C $product: $(cat "$work/product.err")"
  exit 1
}
nm -C "$tests" >"$work/tests" 2>"$work/tests.err" || {
  echo "FAIL: nm -C $tests: $(cat "$work/tests.err")"
  exit 1
}
if ! grep -q 'coconut::platform::ProcessRunner::run' "$work/product"; then
  echo "FAIL: no coconut::platform::ProcessRunner::run in nm -C $product: stripped? Cannot check it"
  exit 1
fi
if ! grep -Eq "$pattern" "$work/tests"; then
  echo "FAIL: the pattern /$pattern/ matches nothing in $tests: update it to the test doubles' names"
  exit 1
fi
if grep -E "$pattern" "$work/product" >"$work/found"; then
  echo "FAIL: $product holds test doubles ($(wc -l <"$work/found") symbols), e.g.:"
  head -5 "$work/found"
  exit 1
fi
echo "ok: $product holds no test doubles (/$pattern/ matches $(grep -Ec "$pattern" "$work/tests") symbols of $tests, none of $product)"
