# Shared helpers for coconut's integration suites. Sourced by the suites. CMake registers every
# tests/integration/*.sh as a ctest test, this file included (integration.lib): run directly,
# it self-tests its helpers (see the end of the file).
#
# A suite is run by ctest as `bash SUITE.sh /path/to/coconut` with COCONUT_SOURCE_DIR and
# COCONUT_BUILD_DIR set; by hand: `bash tests/integration/SUITE.sh build/coconut`.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   it_init "$@"            # sets COCONUT, SRC, SHARED, NODE_TOOLS, WORK (temp dir, removed at exit)
#   require_tool kubectl    # missing: "skipped: ..." + exit 0, or a failure when CI=true
#   pass "what"; fail "what"; expect_rc 2 "what" cmd...; it_finish
# shellcheck shell=bash

set -uo pipefail

_IT_PASSED=0
_IT_FAILED=0
_IT_FAILURES=()

it_init() {
  IT_NAME="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"
  COCONUT="${1:-${COCONUT:-}}"
  SRC="${COCONUT_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  SRC="$(cd "$SRC" && pwd)"
  SHARED="${COCONUT_SHARED_DIR:-$SRC/../shared}"
  NODE_TOOLS="$SRC/tests/integration/node"
  K8S_SCHEMAS="$SHARED/schemas/k8s"
  export NO_COLOR=1 # deterministic, greppable output; cli.sh tests colour explicitly
  if [[ -z $COCONUT ]]; then
    echo "$IT_NAME: usage: bash $IT_NAME.sh /path/to/coconut" >&2
    exit 2
  fi
  [[ $COCONUT == /* ]] || COCONUT="$PWD/$COCONUT"
  if [[ ! -x $COCONUT ]]; then
    echo "FAIL: coconut binary not found or not executable: $COCONUT"
    exit 1
  fi
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/coconut-it-$IT_NAME.XXXXXX")"
  trap '_it_cleanup' EXIT
  echo "== $IT_NAME: coconut=$COCONUT src=$SRC"
}

_it_cleanup() {
  if [[ -n ${WORK:-} && -d $WORK ]]; then
    chmod -R u+rwX "$WORK" 2>/dev/null || true
    if [[ ${COCONUT_KEEP_WORK:-0} == 1 ]]; then
      echo "(kept work dir $WORK)"
    else
      rm -rf "$WORK"
    fi
  fi
}

# True when running in CI, where every tool must be present and nothing may be skipped.
is_ci() { [[ ${CI:-} == true || ${CI:-} == 1 ]]; }

# A required real tool is missing: skip locally, fail in CI.
skip_or_fail() {
  if is_ci; then
    echo "FAIL: $* (CI=true: missing tools are a failure; run scripts/setup-deps.sh)"
    exit 1
  fi
  echo "skipped: $*"
  exit 0
}

require_tool() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || skip_or_fail "$t not found on PATH"
  done
}

require_node_tools() {
  require_tool node
  [[ -d $NODE_TOOLS/node_modules/ajv && -d $NODE_TOOLS/node_modules/ajv-formats && -d $NODE_TOOLS/node_modules/yaml ]] ||
    skip_or_fail "npm test tools not installed in $NODE_TOOLS/node_modules (run scripts/setup-deps.sh)"
}

require_k8s_schemas() {
  [[ -f $K8S_SCHEMAS/deployment-apps-v1.json ]] ||
    skip_or_fail "strict Kubernetes schemas not found in $K8S_SCHEMAS"
}

pass() {
  _IT_PASSED=$((_IT_PASSED + 1))
  echo "ok   $*"
}

fail() {
  _IT_FAILED=$((_IT_FAILED + 1))
  _IT_FAILURES+=("$*")
  echo "FAIL $*"
}

# Prints a file (or stdin) indented, at most N lines (default 40), for failure context.
show() {
  local n="${2:-40}"
  if [[ -n ${1:-} && $1 != - ]]; then sed -n "1,${n}p" "$1" | sed 's/^/     | /'; else sed -n "1,${n}p" | sed 's/^/     | /'; fi
}

# tmo CMD...: CMD under a time limit (IT_TIMEOUT seconds, default 120; SIGKILL 10 s after
# SIGTERM, since a busy loop may not stop on SIGTERM). A hang fails with exit 124/137 instead
# of eating ctest's whole budget.
tmo() {
  timeout -k 10 "${IT_TIMEOUT:-120}" "$@"
}

# run_cmd CMD...: runs CMD (under tmo) with stdin from /dev/null, stdout to $WORK/out, stderr
# to $WORK/err; sets RC. Never fails the script by itself. For one call (as a prefix, like
# IT_TIMEOUT): IT_STDIN=FILE feeds FILE on stdin, IT_CWD=DIR runs CMD in DIR.
run_cmd() {
  RC=0
  (cd "${IT_CWD:-.}" && tmo "$@") <"${IT_STDIN:-/dev/null}" >"$WORK/out" 2>"$WORK/err" || RC=$?
  if [[ $RC == 124 || $RC == 137 ]]; then
    echo "(timed out after ${IT_TIMEOUT:-120} s: $*)" >>"$WORK/err"
  fi
  return 0
}

# expect_rc WANT DESCRIPTION CMD...: runs CMD (as run_cmd) and checks its exit code.
expect_rc() {
  local want="$1" what="$2"
  shift 2
  run_cmd "$@"
  if [[ $RC == "$want" ]]; then
    pass "$what (exit $RC)"
    return 0
  fi
  fail "$what: expected exit $want, got $RC: $*"
  echo "     stdout:"; show "$WORK/out" 20
  echo "     stderr:"; show "$WORK/err" 20
  return 1
}

# The example specs: prints "name path" per line, sorted.
list_examples() {
  local f
  for f in "$SRC"/examples/*/coconut.yaml; do
    [[ -f $f ]] || continue
    printf '%s %s\n' "$(basename "$(dirname "$f")")" "$f"
  done
}

# Environment names declared in a spec, in order (top-level `environments:` mapping, block
# style keys indented by two spaces; flow-style `environments: {…}` is not supported here).
spec_environments() {
  awk '
    /^environments:[[:space:]]*(#.*)?$/ { inenv = 1; next }
    inenv && /^[^[:space:]#]/ { inenv = 0 }
    inenv && match($0, /^  [A-Za-z0-9_.-]+:/) { k = substr($0, 3, RLENGTH - 3); print k }
  ' "$1"
}

# Overlay names actually generated under DIR/k8s/overlays.
generated_overlays() {
  local d
  for d in "$1"/k8s/overlays/*/; do
    [[ -d $d ]] && basename "$d"
  done
}

it_finish() {
  echo "-- $IT_NAME: ${_IT_PASSED} passed, ${_IT_FAILED} failed"
  if ((_IT_FAILED)); then
    echo "failures:"
    local f
    for f in "${_IT_FAILURES[@]}"; do echo "  - $f"; done
    echo "${_IT_PASSED} passed, ${_IT_FAILED} failed"
    exit 1
  fi
  echo "${_IT_PASSED} passed, ${_IT_FAILED} failed"
  exit 0
}

# --- run directly (ctest's integration.lib): self-test of the helpers -----------------------
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  it_init "$@"
  cat >"$WORK/spec.yaml" <<'YAML'
name: demo
services:
  web: {image: nginx:1.27, port: 8080}
environments:
  # comment
  staging:
    services: {web: {replicas: {min: 1}}}
  production: {services: {web: {replicas: {min: 3}}}}
targets:
  kubernetes: {namespace: demo}
YAML
  got="$(spec_environments "$WORK/spec.yaml" | tr '\n' ' ')"
  [[ $got == "staging production " ]] && pass "spec_environments parses block-style environments" ||
    fail "spec_environments: got '$got'"
  mkdir -p "$WORK/o/k8s/overlays/staging" "$WORK/o/k8s/overlays/production"
  got="$(generated_overlays "$WORK/o" | sort | tr '\n' ' ')"
  [[ $got == "production staging " ]] && pass "generated_overlays lists overlay dirs" || fail "generated_overlays: got '$got'"
  expect_rc 0 "run_cmd/expect_rc capture exit 0" true
  expect_rc 3 "run_cmd/expect_rc capture exit 3" bash -c 'exit 3'
  printf 'from stdin\n' >"$WORK/in.txt"
  IT_STDIN="$WORK/in.txt" IT_CWD="$WORK/o" run_cmd bash -c 'cat; pwd'
  [[ $RC == 0 && $(cat "$WORK/out") == $'from stdin\n'"$WORK/o" ]] && pass "run_cmd: IT_STDIN and IT_CWD apply to one call" ||
    fail "run_cmd with IT_STDIN/IT_CWD: exit $RC, output '$(cat "$WORK/out")'"
  run_cmd bash -c 'cat; pwd'
  [[ $RC == 0 && $(cat "$WORK/out") == "$PWD" ]] && pass "run_cmd: stdin is /dev/null and the cwd unchanged by default" ||
    fail "run_cmd default: exit $RC, output '$(cat "$WORK/out")'"
  n="$(list_examples | wc -l)"
  ((n > 0)) && pass "list_examples finds $n example(s)" || fail "list_examples found no examples/*/coconut.yaml"
  expect_rc 0 "coconut --version runs" "$COCONUT" --version
  it_finish
fi
