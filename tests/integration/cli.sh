#!/usr/bin/env bash
# The CLI contract, end to end, on the built binary:
#   exit codes (0 ok, 2 broken spec / usage error), `--version`, FILE:LINE:COL diagnostics
#   with all problems at once, `generate` layout, determinism (byte-identical runs),
#   `--dry-run` writes nothing, atomic output (a write failure mid-tree leaves no half tree
#   and an existing tree untouched), NO_COLOR, `init` output validates, `schema` is JSON with
#   `$schema` that accepts the examples and rejects unknown keys, `config --env` prints the
#   resolved values, docs/spec.md equals `coconut docs spec` (stale docs fail).
#
#   bash tests/integration/cli.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_node_tools
TOOLS=(node "$NODE_TOOLS/cli-tools.js")

has_esc() { grep -q $'\x1b' "$@"; }

# --- version, usage errors --------------------------------------------------------------------
want_version="$(sed -n 's/^project(coconut VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")"
if expect_rc 0 "--version" "$COCONUT" --version; then
  if grep -q -- "$want_version" "$WORK/out"; then
    pass "--version prints $want_version ($(head -1 "$WORK/out"))"
  else
    fail "--version: '$want_version' (CMakeLists.txt) not in: $(head -1 "$WORK/out")"
  fi
fi
expect_rc 2 "unknown flag is a usage error" "$COCONUT" generate --no-such-flag
expect_rc 2 "unknown subcommand is a usage error" "$COCONUT" no-such-command
expect_rc 2 "missing spec file is an input error" "$COCONUT" validate -f "$WORK/does-not-exist.yaml"

# --- validate: examples pass, a broken spec reports every problem with its position ----------
examples="$(list_examples)"
[[ -n $examples ]] || fail "no examples/*/coconut.yaml found in $SRC"
while read -r name spec; do
  [[ -n $name ]] || continue
  expect_rc 0 "validate examples/$name" "$COCONUT" validate -f "$spec"
done <<<"$examples"

broken="$WORK/broken/coconut.yaml"
mkdir -p "$WORK/broken"
cat >"$broken" <<'YAML'
apiVersion: coconut.dev/v1
name: broken
services:
  web:
    type: web
    image: registry.example.com/broken/web:1.0.0
    port: 80000
    imagee: typo
YAML
if expect_rc 2 "validate a broken spec" "$COCONUT" validate -f "$broken"; then
  all="$(cat "$WORK/out" "$WORK/err")"
  n_errors="$(grep -cE "^[^:]*coconut\.yaml:[0-9]+:[0-9]+: error: " <<<"$all")"
  if ((n_errors >= 2)); then
    pass "broken spec: all $n_errors problems reported at once as FILE:LINE:COL: error: PATH: message"
  else
    fail "broken spec: expected >= 2 'FILE:LINE:COL: error:' lines (port and unknown key), got $n_errors"
    show - <<<"$all"
  fi
  grep -qE "coconut\.yaml:7:[0-9]+: error: services\.web\.port: " <<<"$all" &&
    pass "port error names line 7 and path services.web.port" ||
    fail "no 'coconut.yaml:7:COL: error: services.web.port:' line"
  grep -E "coconut\.yaml:8:[0-9]+: error: services\.web\.imagee" <<<"$all" | grep -qi "did you mean" &&
    pass "unknown key: line 8, path services.web.imagee, 'did you mean'" ||
    fail "no 'coconut.yaml:8:COL: error: services.web.imagee: ... did you mean' line"
  if has_esc "$WORK/out" "$WORK/err"; then fail "colour codes in output with NO_COLOR=1 (not a tty)"; fi
fi

# NO_COLOR on a terminal: run under script(1) so stdout/stderr are a tty.
if command -v script >/dev/null 2>&1; then
  tty_run() { # tty_run OUTFILE CMD... -> RC
    local outfile="$1"
    shift
    RC=0
    script -qec "$(printf '%q ' timeout -k 10 "${IT_TIMEOUT:-120}" "$@")" /dev/null </dev/null >"$outfile" 2>&1 || RC=$?
  }
  tty_run "$WORK/tty-color" env -u NO_COLOR "$COCONUT" validate -f "$broken"
  color_rc=$RC
  [[ $color_rc == 2 ]] || fail "validate of a broken spec on a terminal (colour) exited $color_rc, expected 2"
  tty_run "$WORK/tty-nocolor" env NO_COLOR=1 "$COCONUT" validate -f "$broken"
  if has_esc "$WORK/tty-nocolor"; then
    fail "NO_COLOR=1 on a terminal: output still has escape sequences"
    show "$WORK/tty-nocolor" 5 | cat -v
  else
    pass "NO_COLOR=1 on a terminal: no escape sequences (exit $RC)"
  fi
  if has_esc "$WORK/tty-color"; then
    pass "without NO_COLOR on a terminal diagnostics are coloured (so the NO_COLOR check is meaningful)"
  else
    echo "note: no colour on a terminal even without NO_COLOR (exit $color_rc); NO_COLOR check is vacuous"
  fi
  [[ $RC == 2 ]] || fail "validate of a broken spec on a terminal exited $RC, expected 2"
else
  skip_or_fail "script(1) not found (util-linux): cannot test NO_COLOR on a terminal"
fi

# --- generate: layout, header, determinism ----------------------------------------------------
while read -r name spec; do
  [[ -n $name ]] || continue
  a="$WORK/det/$name-a"
  b="$WORK/det/$name-b"
  expect_rc 0 "generate examples/$name" "$COCONUT" generate -f "$spec" -o "$a" || continue
  missing=()
  for f in k8s/base/kustomization.yaml k8s/base/namespace.yaml; do [[ -f $a/$f ]] || missing+=("$f"); done
  envs="$(node -e 'console.log(require(process.argv[1]).environments(process.argv[2]).join(" "))' "$NODE_TOOLS/spec-merge.js" "$spec")"
  for env in $envs; do [[ -f $a/k8s/overlays/$env/kustomization.yaml ]] || missing+=("k8s/overlays/$env/kustomization.yaml"); done
  ((${#missing[@]} == 0)) && pass "$name: layout (base/kustomization.yaml, namespace.yaml, overlays for: ${envs:-none})" ||
    fail "$name: missing ${missing[*]}"
  no_header=()
  while IFS= read -r -d '' f; do
    head -3 "$f" | grep -qi 'generated by coconut' || no_header+=("${f#"$a"/}")
  done < <(find "$a" -type f \( -name '*.yaml' -o -name '*.yml' \) -print0)
  ((${#no_header[@]} == 0)) && pass "$name: every YAML file carries the 'generated by coconut' header" ||
    fail "$name: no 'generated by coconut' header in: ${no_header[*]:0:5}"

  expect_rc 0 "generate examples/$name again (determinism run 2)" "$COCONUT" generate -f "$spec" -o "$b"
  expect_rc 0 "generate examples/$name over its existing tree (run 3)" "$COCONUT" generate -f "$spec" -o "$a"
  if diff -r "$a" "$b" >"$WORK/diff.out" 2>&1; then
    pass "$name: generate is deterministic ($(find "$a" -type f | wc -l) files byte-identical over 3 runs)"
  else
    fail "$name: two generate runs differ"
    show "$WORK/diff.out" 30
  fi
done <<<"$examples"

# The richest example drives the remaining checks.
main_spec="$SRC/examples/shop/coconut.yaml"
[[ -f $main_spec ]] || main_spec="$(list_examples | head -1 | cut -d' ' -f2)"

# --- --dry-run writes nothing ------------------------------------------------------------------
if [[ -n $main_spec && -f $main_spec ]]; then
  if expect_rc 0 "generate --dry-run" "$COCONUT" generate -f "$main_spec" -o "$WORK/dry/out" --dry-run; then
    if [[ ! -e $WORK/dry ]]; then
      pass "--dry-run created nothing (not even the output dir's parent)"
    else
      fail "--dry-run wrote: $(find "$WORK/dry" | head -5 | tr '\n' ' ')"
    fi
    [[ -s $WORK/out ]] && pass "--dry-run reports what it would write ($(wc -l <"$WORK/out") lines)" ||
      fail "--dry-run printed nothing on stdout"
  fi
  mkdir -p "$WORK/dry2/out"
  echo keep >"$WORK/dry2/out/mine.txt"
  expect_rc 0 "generate --dry-run over an existing output dir" "$COCONUT" generate -f "$main_spec" -o "$WORK/dry2/out" --dry-run
  [[ "$(ls -A "$WORK/dry2/out")" == mine.txt ]] && pass "--dry-run leaves an existing output dir untouched" ||
    fail "--dry-run changed an existing output dir: $(ls -A "$WORK/dry2/out" | tr '\n' ' ')"
fi

# --- atomic write: a write failure mid-tree (file size limit: EFBIG) leaves no half tree -------
# Root ignores permission bits, so a read-only directory proves nothing here; RLIMIT_FSIZE
# makes every write past N KiB fail with EFBIG (SIGXFSZ ignored), for root too.
if [[ -n $main_spec && -f $main_spec ]]; then
  ref="$WORK/atomic/ref"
  expect_rc 0 "generate the reference tree for the atomic-write test" "$COCONUT" generate -f "$main_spec" -o "$ref"
  largest="$(find "$ref" -type f -printf '%s\n' 2>/dev/null | sort -n | tail -1)"
  if [[ -z $largest || $largest -le 1024 ]]; then
    fail "atomic write: cannot test, largest generated file is ${largest:-?} bytes (<= 1 KiB)"
  else
    limit_kib=$(((largest + 1023) / 1024 - 1))
    ((limit_kib >= 1)) || limit_kib=1
    # (a) fresh output directory
    parent="$WORK/atomic/fresh"
    mkdir -p "$parent"
    RC=0
    (trap '' XFSZ; ulimit -f "$limit_kib"; exec timeout -k 10 "${IT_TIMEOUT:-120}" "$COCONUT" generate -f "$main_spec" -o "$parent/out") \
      </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
    if [[ $RC == 1 ]]; then
      pass "atomic write: a failed write is reported (exit $RC: $(head -1 "$WORK/err"))"
    else
      fail "atomic write: generate exited $RC, expected 1, although writes over ${limit_kib} KiB fail"
      show "$WORK/err" 10
    fi
    left="$(find "$parent" -mindepth 1 -type f | head -5)"
    [[ -z $left ]] && pass "atomic write: no half tree and no temp files left (fresh dir)" ||
      fail "atomic write: files left after a failed generate: $(tr '\n' ' ' <<<"$left")"
    # (b) existing tree: stays exactly as it was, as do its neighbours
    exist="$WORK/atomic/exist"
    mkdir -p "$exist"
    cp -a "$ref" "$exist/out"
    echo mine >"$exist/out/user-file.txt"
    cp -a "$exist/out" "$WORK/atomic/before"
    ls -A "$exist" >"$WORK/atomic/siblings.before"
    RC=0
    (trap '' XFSZ; ulimit -f "$limit_kib"; exec timeout -k 10 "${IT_TIMEOUT:-120}" "$COCONUT" generate -f "$main_spec" -o "$exist/out") \
      </dev/null >"$WORK/out" 2>"$WORK/err" || RC=$?
    [[ $RC == 1 ]] || { fail "atomic write (existing tree): generate exited $RC, expected 1 (EFBIG)"; show "$WORK/err" 10; }
    if diff -r "$WORK/atomic/before" "$exist/out" >"$WORK/diff.out" 2>&1 && cmp -s <(ls -A "$exist") "$WORK/atomic/siblings.before"; then
      pass "atomic write: an existing tree (and a user file in it) is untouched by a failed generate"
    else
      fail "atomic write: a failed generate changed the existing tree or left temp entries"
      show "$WORK/diff.out" 10
      ls -A "$exist" | show - 10
    fi
  fi
fi

# --- init ---------------------------------------------------------------------------------------
mkdir -p "$WORK/init"
if IT_CWD="$WORK/init" expect_rc 0 "init" "$COCONUT" init; then
  if [[ -f $WORK/init/coconut.yaml ]]; then
    init_spec="$WORK/init/coconut.yaml"
  else
    init_spec="$WORK/init/from-stdout.yaml"
    cp "$WORK/out" "$init_spec"
  fi
  pass "init wrote ${init_spec#"$WORK"/}"
  cp "$init_spec" "$WORK/init-spec.yaml"
  init_spec="$WORK/init-spec.yaml"
  expect_rc 0 "init's spec validates" "$COCONUT" validate -f "$init_spec"
  expect_rc 0 "init's spec generates" "$COCONUT" generate -f "$init_spec" -o "$WORK/init-out"
  if [[ -f $WORK/init/coconut.yaml ]]; then
    echo "# my own spec" >"$WORK/init/coconut.yaml"
    IT_CWD="$WORK/init" expect_rc 2 "init over an existing coconut.yaml is refused" "$COCONUT" init
    [[ "$(cat "$WORK/init/coconut.yaml")" == "# my own spec" ]] &&
      pass "init does not overwrite an existing coconut.yaml" ||
      fail "init overwrote an existing coconut.yaml"
  fi
fi

# --- schema -------------------------------------------------------------------------------------
if expect_rc 0 "schema" "$COCONUT" schema; then
  cp "$WORK/out" "$WORK/schema.json"
  if "${TOOLS[@]}" json-has "$WORK/schema.json" '$schema' >"$WORK/t.out" 2>&1; then
    pass "schema is JSON with \$schema ($(cat "$WORK/t.out"))"
    specs=()
    while read -r name spec; do [[ -n $name ]] && specs+=("$spec"); done <<<"$examples"
    [[ -n ${init_spec:-} && -f ${init_spec:-} ]] && specs+=("$init_spec")
    if ((${#specs[@]})); then
      "${TOOLS[@]}" schema-validate "$WORK/schema.json" "${specs[@]}" >"$WORK/t.out" 2>&1 &&
        pass "every example (and init's spec) is valid against 'coconut schema'" ||
        { fail "examples rejected by coconut's own schema"; show "$WORK/t.out"; }
    fi
    "${TOOLS[@]}" schema-validate "$WORK/schema.json" --expect-invalid "$broken" >"$WORK/t.out" 2>&1 &&
      pass "schema rejects the broken spec (unknown key / port range)" ||
      { fail "schema accepts the broken spec"; show "$WORK/t.out"; }
  else
    fail "schema output is not JSON with a top-level \$schema"
    show "$WORK/t.out" 5
  fi
fi

# --- config --env -------------------------------------------------------------------------------
while read -r name spec; do
  [[ -n $name ]] || continue
  envs="$(node -e 'console.log(require(process.argv[1]).environments(process.argv[2]).join(" "))' "$NODE_TOOLS/spec-merge.js" "$spec")"
  for env in $envs; do
    run_cmd "$COCONUT" config -f "$spec" --env "$env" -o json
    if [[ $RC != 0 ]]; then
      fail "config -f examples/$name --env $env -o json exited $RC"
      show "$WORK/err" 5
      continue
    fi
    cp "$WORK/out" "$WORK/config.json"
    if "${TOOLS[@]}" config-matches "$WORK/config.json" "$spec" "$env" >"$WORK/t.out" 2>&1; then
      pass "config $name --env $env: every value of the spec resolved for $env is printed"
    else
      fail "config $name --env $env: resolved values differ from the spec's"
      show "$WORK/t.out" 20
    fi
    run_cmd "$COCONUT" config -f "$spec" --env "$env" -o yaml
    cp "$WORK/out" "$WORK/config.yaml"
    if [[ $RC == 0 ]] && "${TOOLS[@]}" same-data "$WORK/config.yaml" "$WORK/config.json" >"$WORK/t.out" 2>&1; then
      pass "config $name --env $env: -o yaml and -o json hold the same data"
    else
      fail "config $name --env $env -o yaml (exit $RC) differs from -o json"
      show "$WORK/t.out" 5
    fi
  done
  expect_rc 2 "config $name --env no-such-env" "$COCONUT" config -f "$spec" --env no-such-env
done <<<"$examples"

# --- docs/spec.md is not stale --------------------------------------------------------------------
if expect_rc 0 "docs spec" "$COCONUT" docs spec; then
  if [[ ! -f $SRC/docs/spec.md ]]; then
    fail "docs/spec.md does not exist (write it with: coconut docs spec > docs/spec.md)"
  elif cmp -s "$WORK/out" "$SRC/docs/spec.md"; then
    pass "docs/spec.md equals 'coconut docs spec'"
  else
    fail "docs/spec.md is stale: regenerate with 'coconut docs spec > docs/spec.md'"
    diff -u "$SRC/docs/spec.md" "$WORK/out" | show - 20
  fi
fi

it_finish
