#!/usr/bin/env bash
# `coconut check` unattended in CI (issue 9): hostile trees must never hang the runner, exhaust
# its memory or silently skip a file.
#
#  1. symlink loops: not followed by default (every file once); --follow detects the loop;
#  2. an unreadable file and directory (run as an unprivileged user): INPUT-UNREADABLE, the run
#     goes on and still reports the other files;
#  3. a chart's templates/: one INPUT-HELM-TEMPLATE finding, nothing checked inside; an unknown
#     YAML file named explicitly: INPUT-UNKNOWN (info), not PARSE-ERROR;
#  4. a 20 MB file of duplicate keys: bounded findings, time and memory;
#  5. a privileged pod in the document after a broken one is still found;
#  6. SIGTERM / SIGINT mid-run: exit 143 / 130 within a fraction of a second, nothing printed on
#     stdout; `timeout 5 coconut check BIG` ends;
#  7. repeatable flags never swallow the PATHs; SARIF URIs are repository-relative.
#
#   bash tests/integration/check_hostile.sh build/coconut
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool python3 setpriv

T="$WORK/tree"
mkdir -p "$T/sub"
cat >"$T/sub/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: privileged
  namespace: team
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext:
        privileged: true
YAML
ln -s .. "$T/sub/up"
ln -s ../sub "$T/sub/again"

count_pod() { grep -c '"rule": "K8S-PRIVILEGED"' "$WORK/out" || true; }

# --- 1. symlink loops --------------------------------------------------------------------------
IT_TIMEOUT=20 expect_rc 1 "a tree with two directory symlink loops: not followed" "$COCONUT" check "$T" --format json
n="$(count_pod)"
[[ $n == 1 ]] && pass "the privileged pod is reported once (not once per link)" || fail "reported $n times without --follow"
IT_TIMEOUT=20 expect_rc 1 "--follow: the loops are detected" "$COCONUT" check --follow "$T" --format json
n="$(count_pod)"
[[ $n == 1 ]] && pass "--follow reads every file once" || fail "--follow reported it $n times"

# --- 2. unreadable file and directory ----------------------------------------------------------
U="$WORK/unreadable"
mkdir -p "$U/locked" "$U/open"
cp "$T/sub/pod.yaml" "$U/open/pod.yaml"
cp "$T/sub/pod.yaml" "$U/secret.yaml"
cp "$T/sub/pod.yaml" "$U/locked/inside.yaml"
chmod 000 "$U/secret.yaml" "$U/locked"
chmod 755 "$WORK" "$U" "$U/open"
chmod 644 "$U/open/pod.yaml"
# Root reads everything: run as nobody (setpriv from util-linux), as a CI runner user would.
IT_TIMEOUT=20 expect_rc 1 "unreadable file and directory: the run goes on" \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$COCONUT" check "$U" --format json
if grep -q '"rule": "INPUT-UNREADABLE"' "$WORK/out" && [[ $(grep -c '"rule": "INPUT-UNREADABLE"' "$WORK/out") == 2 ]] &&
  grep -q 'secret.yaml' "$WORK/out" && grep -q 'locked/' "$WORK/out" && [[ $(count_pod) == 1 ]]; then
  pass "INPUT-UNREADABLE for the file and the directory, the readable pod still checked"
else
  fail "unreadable inputs not reported as findings"
  show "$WORK/out" 60
  show "$WORK/err"
fi
chmod 755 "$U/locked"
chmod 644 "$U/secret.yaml"

# --- 3. charts and unknown YAML ----------------------------------------------------------------
C="$WORK/repo"
mkdir -p "$C/chart/templates" "$C/.github"
printf 'apiVersion: v2\nname: demo\nversion: 0.1.0\n' >"$C/chart/Chart.yaml"
cat >"$C/chart/templates/service.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  selector:
    app: demo
  ports:
    - port: 80
YAML
printf 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n' >"$C/.github/dependabot.yml"
expect_rc 0 "a chart's templates are not checked as manifests" "$COCONUT" check "$C" --format json --fail-on low
if grep -q '"rule": "INPUT-HELM-TEMPLATE"' "$WORK/out" && ! grep -q 'K8S-SERVICE-NO-PODS' "$WORK/out"; then
  pass "one INPUT-HELM-TEMPLATE finding, no false 'Service matches no pod'"
else
  fail "chart templates checked as manifests"
  show "$WORK/out" 40
fi
expect_rc 0 "a template named explicitly is skipped too" "$COCONUT" check "$C/chart/templates/service.yaml" --format json
grep -q '"rule": "INPUT-HELM-TEMPLATE"' "$WORK/out" && pass "explicit template: INPUT-HELM-TEMPLATE" || fail "explicit template checked"
expect_rc 0 "dependabot.yml named explicitly: info only" "$COCONUT" check "$C/.github/dependabot.yml" --format json
if grep -q '"rule": "INPUT-UNKNOWN"' "$WORK/out" && ! grep -q 'PARSE-ERROR' "$WORK/out"; then
  pass "valid YAML of no known kind is INPUT-UNKNOWN, not PARSE-ERROR"
else
  fail "unknown YAML misreported"
  show "$WORK/out"
fi

# --- 4. 20 MB of duplicate keys ----------------------------------------------------------------
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    f.write('a: 1\n' * (20 * 1024 * 1024 // 5))" "$WORK/dup.yaml"
IT_TIMEOUT=60 expect_rc 1 "20 MB of duplicate keys" /usr/bin/time -f '%e %M' -o "$WORK/time" "$COCONUT" check "$WORK/dup.yaml" --format json
read -r secs kb < <(tail -1 "$WORK/time")
findings="$(grep -c '"rule": "PARSE-ERROR"' "$WORK/out" || true)"
if ((findings <= 21)) && grep -q 'more parse errors in this file are not listed' "$WORK/out"; then
  pass "duplicate keys: $findings findings (the first 20 and a count), ${secs} s, $((kb / 1024)) MB"
else
  fail "duplicate keys not capped: $findings findings"
fi
awk -v s="$secs" -v k="$kb" 'BEGIN { exit !(s < 3 && k < 500 * 1024) }' &&
  pass "under 3 s and 500 MB" || fail "duplicate keys took ${secs} s and $((kb / 1024)) MB (limits: 3 s, 500 MB)"

# --- 5. a privileged pod after a broken document -----------------------------------------------
{
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\ndata: [\n'
  printf -- '---\n'
  cat "$T/sub/pod.yaml"
} >"$WORK/broken-then-pod.yaml"
expect_rc 1 "a syntax error in document 1, a privileged pod in document 2" \
  "$COCONUT" check "$WORK/broken-then-pod.yaml" --fail-on critical --format json
if grep -q '"rule": "PARSE-ERROR"' "$WORK/out" && [[ $(count_pod) == 1 ]]; then
  pass "the parse error is reported and the pod after it is checked"
else
  fail "documents after a broken one were not checked"
  show "$WORK/out" 40
fi

# --- 6. signals ----------------------------------------------------------------------------------
B="$WORK/big"
mkdir -p "$B"
for i in $(seq 1 400); do cp "$T/sub/pod.yaml" "$B/pod-$i.yaml"; done
python3 -c "
import sys
doc = open(sys.argv[1]).read()
with open(sys.argv[2], 'w') as f:
    for i in range(60000):
        f.write(doc.replace('privileged\n', 'p%d\n' % i, 1) + '---\n')" "$T/sub/pod.yaml" "$B/many.yaml"
# 200 ms is the product's bound (the -O2 build/ run). The sanitizer build (Debug, ASan + UBSan,
# LeakSanitizer's scan at exit) is several times slower at everything, so there the bound only
# catches a stop that waits for the end of the input (seconds): 1000 ms.
limit_ms=200
if grep -qs '^COCONUT_SANITIZE:BOOL=ON' "${COCONUT_BUILD_DIR:-$(dirname "$COCONUT")}/CMakeCache.txt"; then
  limit_ms=1000
fi
for sig in TERM INT; do
  want=$([[ $sig == TERM ]] && echo 143 || echo 130)
  "$COCONUT" check "$B" --format json >"$WORK/sig.out" 2>"$WORK/sig.err" &
  pid=$!
  sleep 0.5
  start=$(date +%s%N)
  kill -"$sig" "$pid"
  rc=0
  wait "$pid" || rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  if [[ $rc == "$want" ]] && ((ms < limit_ms)) && [[ ! -s $WORK/sig.out ]]; then
    pass "SIG$sig: exit $rc after $ms ms, nothing half-written on stdout"
  else
    fail "SIG$sig: exit $rc after $ms ms (want $want within $limit_ms ms), stdout $(wc -c <"$WORK/sig.out") bytes"
    show "$WORK/sig.err"
  fi
done
rc=0
timeout 5 "$COCONUT" check "$B" --format json >/dev/null 2>&1 || rc=$?
[[ $rc == 0 || $rc == 1 || $rc == 124 ]] && pass "timeout 5 coconut check BIG ends (exit $rc)" || fail "timeout 5: exit $rc"

# --- the whole hostile tree at once: under 3 s and 500 MB, every problem reported -------------
H="$WORK/hostile"
mkdir -p "$H/sub" "$H/locked"
cp "$T/sub/pod.yaml" "$H/locked/pod.yaml"
chmod 000 "$H/locked"
cp "$WORK/dup.yaml" "$H/dup.yaml"
cp "$WORK/broken-then-pod.yaml" "$H/broken-then-pod.yaml"
ln -s .. "$H/sub/up"
ln -s ../sub "$H/sub/again"
cat >"$H/flow.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {
  name: flow,
  namespace: team
}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      command: [
        "nginx",
        "-g",
        "daemon off;"
      ]
YAML
chmod -R a+rX "$H" 2>/dev/null || true
chmod 000 "$H/locked"
IT_TIMEOUT=30 expect_rc 1 "the hostile tree in one run" /usr/bin/time -f '%e %M' -o "$WORK/time" \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$COCONUT" check "$H" --format json --fail-on critical
read -r secs kb < <(tail -1 "$WORK/time")
ok=1
grep -q '"rule": "INPUT-UNREADABLE"' "$WORK/out" || { ok=0; echo "     no INPUT-UNREADABLE"; }
grep -q 'more parse errors in this file are not listed' "$WORK/out" || { ok=0; echo "     duplicate keys not capped"; }
[[ $(count_pod) == 1 ]] || { ok=0; echo "     the privileged pod after the broken document: $(count_pod) findings"; }
grep -q '"file": "[^"]*flow.yaml", *"line": [0-9]*, *"column": [0-9]*, *"rule": "PARSE-ERROR"' "$WORK/out" && { ok=0; echo "     flow.yaml rejected"; }
grep -q 'flow.yaml' "$WORK/out" || { ok=0; echo "     flow.yaml not checked"; }
((ok)) && pass "every problem reported: unreadable dir, capped duplicates, pod after the broken document, flow-indented manifest read" ||
  { fail "the hostile tree"; show "$WORK/out" 60; }
awk -v s="$secs" -v k="$kb" 'BEGIN { exit !(s < 3 && k < 500 * 1024) }' &&
  pass "the hostile tree in ${secs} s and $((kb / 1024)) MB (limits: 3 s, 500 MB)" ||
  fail "the hostile tree took ${secs} s and $((kb / 1024)) MB"
chmod 755 "$H/locked"

# --- 7. flags and SARIF --------------------------------------------------------------------------
IT_CWD="$T" expect_rc 1 "--ignore 'RULE -- reason' before a PATH leaves the PATH alone" \
  "$COCONUT" check --ignore 'K8S-IMAGE-DIGEST -- pinned by the release job' sub --format json
[[ $(count_pod) == 1 ]] && pass "the PATH after --ignore was checked" || fail "--ignore swallowed the PATH"
G="$WORK/gitrepo"
mkdir -p "$G/.git" "$G/deploy/my dir"
cp "$T/sub/pod.yaml" "$G/deploy/my dir/pod#1.yaml"
IT_CWD="$G/deploy" expect_rc 1 "SARIF from a subdirectory, an absolute path argument" \
  "$COCONUT" check "$G/deploy/my dir" --format sarif
uri="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])' "$WORK/out")"
[[ $uri == "deploy/my%20dir/pod%231.yaml" ]] && pass "SARIF URI is repository-relative and percent-encoded: $uri" ||
  fail "SARIF URI: got '$uri'"

it_finish
