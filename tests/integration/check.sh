#!/usr/bin/env bash
# `coconut check` end to end, with the real tools around it:
#  1. docs/rules.md equals `coconut docs rules`; `rules list/show` work by id and by alias.
#  2. every example: the artifacts generated from its spec have zero findings under the
#     restricted profile (no-PATH mode, spec exceptions applied). Only the two digest-pinning
#     rules may report, at info severity: pinning needs coconut.lock (coconut build --push).
#     Also every environment's overlay rendered by the REAL `kubectl kustomize`, piped into
#     `coconut check -`, the written deploy/ tree checked as a directory, and its copilot/
#     manifests checked on their own (every one read, no finding).
#  3. reports: SARIF validates against the SARIF 2.1.0 schema (ajv) with repo-relative URIs;
#     JUnit XML parses and counts the findings; JSON follows the contract.
#  4. exit codes: findings -> 1; --fail-on above them -> 0; bad path / unknown --ignore -> 2.
#  5. bad input: truncated YAML, binary, a 50 MB file, 100k nested brackets, an unterminated
#     heredoc -> a positioned PARSE-ERROR, no crash, no hang (CI runs this under ASan+UBSan too).
#  6. --schemas with the shared strict Kubernetes schemas; --compliance soc2; --policy (Kyverno).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool kubectl python3
require_node_tools
require_k8s_schemas
SARIF_SCHEMA="$SHARED/schemas/schemastore__sarif-2.1.0.json"
[[ -f $SARIF_SCHEMA ]] || skip_or_fail "SARIF schema not found: $SARIF_SCHEMA"
export NODE_PATH="$NODE_TOOLS/node_modules"

# jq-like assertions in python3: pyassert FILE 'python expression over d' DESCRIPTION
pyassert() {
  local file="$1" expr="$2" what="$3" out
  if out="$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
r=eval(sys.argv[2])
print(r)
sys.exit(0 if r is True else 1)' "$file" "$expr" 2>&1)"; then
    pass "$what"
  else
    fail "$what: $expr -> $out"
  fi
}

# --- 1. rule catalogue ----------------------------------------------------------------------------
if expect_rc 0 "docs rules" "$COCONUT" docs rules; then
  if cmp -s "$WORK/out" "$SRC/docs/rules.md"; then
    pass "docs/rules.md equals 'coconut docs rules'"
  else
    fail "docs/rules.md is stale: regenerate with 'coconut docs rules > docs/rules.md'"
    diff -u "$SRC/docs/rules.md" "$WORK/out" | show - 20
  fi
fi
expect_rc 0 "rules list --format json" "$COCONUT" rules list --format json && cp "$WORK/out" "$WORK/rules.json"
pyassert "$WORK/rules.json" 'sum(1 for r in d if r["input"]=="kubernetes")>=40 and sum(1 for r in d if r["input"]=="dockerfile")>=20 and sum(1 for r in d if r["input"]=="ansible")>=12 and sum(1 for r in d if r["input"]=="copilot")>=6 and sum(1 for r in d if r["input"]=="github-workflow")>=8' \
  "rule counts per input meet the issue's minimums"
pyassert "$WORK/rules.json" 'all(r["remediation"] and r["description"] and (r["compliance"] or r.get("no_compliance_reason")) for r in d)' \
  "every rule has description, remediation and compliance or a reason"
if expect_rc 0 "rules show by alias" "$COCONUT" rules show kube-linter:privileged-container; then
  grep -q '^K8S-PRIVILEGED ' "$WORK/out" && pass "alias kube-linter:privileged-container resolves to K8S-PRIVILEGED" ||
    fail "rules show kube-linter:privileged-container did not show K8S-PRIVILEGED"
fi
expect_rc 2 "rules show unknown id" "$COCONUT" rules show NOPE-NOT-A-RULE

# --- 2. the generated artifacts of every example are clean ----------------------------------------
# Only informational findings: digest pins, and Secrets passed in env (CIS 5.4.1 prefers files).
clean_expr='all(f["rule"] in ("K8S-IMAGE-DIGEST","DF-IMAGE-DIGEST","K8S-ENV-SECRET-REF") and f["severity"]=="info" for f in d["findings"])'
# The written tree also holds the Helm chart: its templates are not Kubernetes YAML, each is
# skipped, with one info finding (INPUT-HELM-TEMPLATE) for the templates directory that says how
# to check it, and nothing else.
tree_expr='all((f["rule"] in ("K8S-IMAGE-DIGEST","DF-IMAGE-DIGEST","K8S-ENV-SECRET-REF") or (f["rule"]=="INPUT-HELM-TEMPLATE" and f["file"].endswith("/chart/templates"))) and f["severity"]=="info" for f in d["findings"]) and any(f["rule"]=="INPUT-HELM-TEMPLATE" for f in d["findings"])'
while read -r name spec; do
  dir="$(dirname "$spec")"
  IT_CWD="$dir" expect_rc 0 "$name: check --profile restricted (no path: generated in memory)" \
    "$COCONUT" check --profile restricted --format json
  cp "$WORK/out" "$WORK/$name.json"
  pyassert "$WORK/$name.json" "$clean_expr and d['summary']['documents']>0" \
    "$name: generated artifacts have no findings under restricted (only info digest pins)"
  out="$WORK/gen-$name"
  run_cmd "$COCONUT" generate -f "$spec" -o "$out"
  [[ $RC == 0 ]] || { fail "$name: generate failed"; show "$WORK/err"; continue; }
  expect_rc 0 "$name: check of the written deploy tree" "$COCONUT" check "$out" -f "$spec" --format json
  cp "$WORK/out" "$WORK/$name-dir.json"
  pyassert "$WORK/$name-dir.json" "$tree_expr and d['summary']['documents']>0" \
    "$name: the written deploy tree (directory walk, spec exceptions) is clean; chart templates skipped with one info finding"
  # The Copilot manifests (every example enables targets.ecs.copilot): each one is read as a
  # CopilotManifest document and the COP-* rules find nothing the spec does not waive.
  cop_n="$(find "$out/copilot" -name manifest.yml 2>/dev/null | wc -l)"
  if [[ $cop_n -gt 0 ]]; then
    expect_rc 0 "$name: check of the Copilot manifests" "$COCONUT" check "$out/copilot" -f "$spec" --format json
    cp "$WORK/out" "$WORK/$name-copilot.json"
    pyassert "$WORK/$name-copilot.json" "d['findings']==[] and d['summary']['documents']==$cop_n" \
      "$name: all $cop_n Copilot manifests are checked and clean (COP-* rules, spec exceptions)"
  else
    fail "$name: no Copilot manifests generated (targets.ecs.copilot is on in every example)"
  fi
  for env in $(generated_overlays "$out"); do
    if ! tmo kubectl kustomize "$out/k8s/overlays/$env" >"$WORK/render.yaml" 2>"$WORK/err"; then
      fail "$name/$env: kubectl kustomize failed"; show "$WORK/err"; continue
    fi
    IT_STDIN="$WORK/render.yaml" expect_rc 0 "$name/$env: check - (kubectl kustomize output on stdin)" \
      "$COCONUT" check - -f "$spec" -e "$env" --format json
    cp "$WORK/out" "$WORK/$name-$env.json"
    pyassert "$WORK/$name-$env.json" "$clean_expr and d['summary']['documents']>0" \
      "$name/$env: kubectl kustomize output on stdin is clean"
  done
done < <(list_examples)
cp "$SRC/examples/hello/coconut.yaml" "$WORK/typo.yaml"
printf 'policies:\n  exceptions:\n    - {rule: K8S-PRIVILEGD, reason: "a typo"}\n' >>"$WORK/typo.yaml"
expect_rc 2 "a spec exception naming an unknown rule" "$COCONUT" check -f "$WORK/typo.yaml"
grep -q "did you mean 'K8S-PRIVILEGED'" "$WORK/err" && pass "unknown exception rule: did-you-mean" || { fail "no did-you-mean"; show "$WORK/err"; }

# --- 3. reports -----------------------------------------------------------------------------------
FIX="$WORK/fixtures"
mkdir -p "$FIX/k8s" "$FIX/docker"
cat >"$FIX/k8s/bad.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
  namespace: team
spec:
  replicas: 1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx
          securityContext: {privileged: true}
EOF
printf 'FROM ubuntu\nRUN apt-get update && apt-get install curl\nADD . /app\nCMD /app/run\n' >"$FIX/docker/Dockerfile"
IT_CWD="$WORK" expect_rc 1 "findings: check --format sarif --output FILE" "$COCONUT" check fixtures --format sarif --output "$WORK/out.sarif"
if node "$NODE_TOOLS/validate-json.js" "$SARIF_SCHEMA" "$WORK/out.sarif" >"$WORK/v.out" 2>&1; then
  pass "SARIF validates against the SARIF 2.1.0 schema"
else
  fail "SARIF does not validate"; show "$WORK/v.out"
fi
pyassert "$WORK/out.sarif" 'any(r["ruleId"]=="K8S-PRIVILEGED" and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]=="fixtures/k8s/bad.yaml" and r["locations"][0]["physicalLocation"]["region"]["startLine"]==16 for r in d["runs"][0]["results"])' \
  "SARIF result K8S-PRIVILEGED at fixtures/k8s/bad.yaml line 16"
pyassert "$WORK/out.sarif" 'all(d["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"]==r["ruleId"] for r in d["runs"][0]["results"])' \
  "SARIF ruleIndex points at the rule's metadata"
IT_CWD="$WORK" expect_rc 1 "findings: check --format json" "$COCONUT" check fixtures --format json
cp "$WORK/out" "$WORK/f.json"
pyassert "$WORK/f.json" 'any(f["rule"]=="K8S-PRIVILEGED" and f["line"]==16 and f["column"]==41 and f["object"]=="Deployment/team/bad" and "kube-linter:privileged-container" in f["aliases"] for f in d["findings"])' \
  "JSON contract: rule, line, column, object, aliases"
pyassert "$WORK/f.json" 'any(f["rule"].startswith("DF-") and f["file"]=="fixtures/docker/Dockerfile" and f["object"] is None for f in d["findings"])' \
  "JSON: Dockerfile findings have object null"
IT_CWD="$WORK" expect_rc 1 "findings: check --format junit" "$COCONUT" check fixtures --format junit
cp "$WORK/out" "$WORK/j.xml"
if python3 -c 'import sys,json,xml.etree.ElementTree as ET
t=ET.parse(sys.argv[1]).getroot(); n=len(json.load(open(sys.argv[2]))["findings"])
assert int(t.get("failures"))==n and len(t.findall(".//failure"))==n, (t.get("failures"), n)' "$WORK/j.xml" "$WORK/f.json" 2>"$WORK/err"; then
  pass "JUnit XML parses and has one failure per finding"
else
  fail "JUnit XML"; show "$WORK/err"
fi
expect_rc 0 "--fail-on critical with no critical finding" "$COCONUT" check "$FIX/docker" --fail-on critical
expect_rc 1 "text report exits 1" "$COCONUT" check "$FIX"
grep -q "bad.yaml" "$WORK/out" && grep -q "^  16:41  critical  K8S-PRIVILEGED" "$WORK/out" && pass "text report is grouped by file with line:col" ||
  { fail "text report layout"; show "$WORK/out"; }
expect_rc 2 "missing path" "$COCONUT" check "$WORK/does-not-exist"
expect_rc 2 "unknown --ignore rule" "$COCONUT" check "$FIX" --ignore NOT-A-RULE
expect_rc 1 "--ignore by alias with a reason" "$COCONUT" check "$FIX/k8s/bad.yaml" --format json --ignore 'kube-linter:privileged-container -- test' &&
  pyassert "$WORK/out" 'not any(f["rule"]=="K8S-PRIVILEGED" for f in d["findings"]) and any(s["rule"]=="K8S-PRIVILEGED" for s in d["suppressed"])' \
    "--ignore kube-linter:privileged-container suppresses K8S-PRIVILEGED"
expect_rc 1 "--compliance soc2" "$COCONUT" check "$FIX" --compliance soc2
grep -q "SOC 2" "$WORK/out" && grep -Eq "FAIL  CC6\.[0-9]" "$WORK/out" && pass "compliance report lists failing SOC 2 controls" ||
  { fail "compliance report"; show "$WORK/out"; }

# --- 4. --schemas ---------------------------------------------------------------------------------
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selectr: {app: x}\n  ports: [{port: 80}]\n' >"$WORK/svc.yaml"
expect_rc 1 "--schemas: unknown field" "$COCONUT" check "$WORK/svc.yaml" --schemas "$K8S_SCHEMAS" --format json &&
  pyassert "$WORK/out" 'any(f["rule"]=="K8S-SCHEMA" and f["line"]==5 and f["column"]==3 and "selector" in f["message"] for f in d["findings"])' \
    "--schemas reports the unknown field at 5:3 and suggests 'selector'"

# --- 5. bad input ---------------------------------------------------------------------------------
BAD="$WORK/bad"
mkdir -p "$BAD"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1, 2\n' >"$BAD/truncated.yaml"
head -c 4096 /dev/urandom >"$BAD/binary.yaml"
python3 -c 'print("a: " + "[" * 100000)' >"$BAD/nested.yaml"
printf 'FROM debian:12\nRUN <<EOT\n  echo never closed\n' >"$BAD/Dockerfile"
python3 -c '
import sys
doc = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  key: \"" + "x" * 2000 + "\"\n"
with open(sys.argv[1], "w") as f:
    i = 0
    while f.tell() < 50 * 1024 * 1024:
        f.write(doc.replace("{i}", str(i))); i += 1
' "$BAD/big.yaml"
for f in truncated.yaml binary.yaml nested.yaml Dockerfile; do
  IT_TIMEOUT=60 run_cmd "$COCONUT" check "$BAD/$f" --format json
  if [[ $RC == 1 ]] && python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); assert any(x["rule"]=="PARSE-ERROR" and x["line"]>=1 for x in d["findings"])' "$WORK/out" 2>/dev/null; then
    pass "bad input $f: positioned PARSE-ERROR, exit 1"
  else
    fail "bad input $f: exit $RC"; show "$WORK/out" 10; show "$WORK/err" 10
  fi
done
IT_TIMEOUT=300 run_cmd "$COCONUT" check "$BAD/big.yaml" --format json
if [[ $RC == 0 ]] && python3 -c 'import json,sys
d=json.load(open(sys.argv[1])); assert d["summary"]["documents"] > 20000, d["summary"]' "$WORK/out"; then
  pass "50 MB file: every document checked, exit 0"
else
  fail "50 MB file: exit $RC"; show "$WORK/err" 10
fi

# --- 6. custom policies (Kyverno) -----------------------------------------------------------------
cat >"$WORK/policy.yaml" <<'EOF'
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
  annotations:
    policies.kyverno.io/severity: high
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-team
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "label 'team' is required"
        pattern:
          metadata:
            labels:
              team: "?*"
EOF
expect_rc 1 "--policy (Kyverno, autogen to the Deployment)" "$COCONUT" check "$FIX/k8s/bad.yaml" --policy "$WORK/policy.yaml" --format json &&
  pyassert "$WORK/out" 'any(f["rule"]=="require-team-label/autogen-check-team" and f["severity"]=="high" and f["object"]=="Deployment/team/bad" for f in d["findings"])' \
    "Kyverno rule for Pod applies to the Deployment's pod template (autogen-check-team, as Kyverno names it)"
printf 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: m}\nspec:\n  rules:\n    - name: r\n      match: {any: [{resources: {kinds: [Pod]}}]}\n      mutate: {patchStrategicMerge: {metadata: {labels: {a: b}}}}\n' >"$WORK/mutate.yaml"
expect_rc 2 "unsupported Kyverno feature is an error" "$COCONUT" check "$FIX/k8s/bad.yaml" --policy "$WORK/mutate.yaml"
grep -qi "mutate" "$WORK/err" && pass "the error names the unsupported feature (mutate)" || { fail "error does not name mutate"; show "$WORK/err"; }
expect_rc 0 "coconut policy test tests/kyverno (Kyverno CLI test files)" "$COCONUT" policy test "$SRC/tests/kyverno"
if grep -Eq '^([0-9]+) of \1 results agree \(([2-9][0-9]|1[5-9]) test files\)' "$WORK/out"; then
  pass "every expected Kyverno result agrees ($(tail -1 "$WORK/out"))"
else
  fail "Kyverno test results"; show "$WORK/out" 10
fi

it_finish
