#!/usr/bin/env bash
# Every Kubernetes object coconut generates is valid against the strict Kubernetes 1.32 JSON
# schemas in ../shared/schemas/k8s (additionalProperties: false: misspelled fields fail).
#
# For every example and every environment: `coconut generate --target kubernetes`, then
#  - each base file (k8s/base/*.yaml) is validated as written, and
#  - each overlay is built with `kubectl kustomize` and the rendered stream is validated.
# Kinds without a schema there (ExternalSecret, Kustomization, ...) are listed as
# "not checked (no schema)"; a built-in Kubernetes kind without a schema is a failure.
# The validator is proven live first (self-test + a real file with a misspelled field).
#
#   bash tests/integration/k8s_schemas.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool kubectl
require_node_tools
require_k8s_schemas

VALIDATE=(node "$NODE_TOOLS/validate-k8s.js" --schemas "$K8S_SCHEMAS")
GROUPS_ARGS=() # --label L FILE... per render: validated by ONE node process (schemas compiled once)
LABELS=()

# queue LABEL FILE...: adds a group to validate.
queue() {
  LABELS+=("$1")
  GROUPS_ARGS+=(--label "$@")
}

# --- 1. the validator is live ---------------------------------------------------------------
if "${VALIDATE[@]}" --self-test >"$WORK/self.out" 2>&1; then
  pass "validator self-test ($(grep -c '^ok' "$WORK/self.out") cases: misspelled fields, wrong types, int32 range, YAML 1.1 booleans rejected)"
else
  fail "validator self-test"
  show "$WORK/self.out" 40
fi

cat >"$WORK/good.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: probe, namespace: probe}
spec:
  replicas: 1
  selector: {matchLabels: {app: probe}}
  template:
    metadata: {labels: {app: probe}}
    spec:
      containers:
        - name: probe
          image: "registry.example.com/probe:1.0.0"
          ports: [{containerPort: 8080, name: http}]
YAML
sed 's/^  replicas: 1$/  replicas: 1\n  revisionHistoryLimt: 3/' "$WORK/good.yaml" >"$WORK/bad.yaml"
if "${VALIDATE[@]}" "$WORK/good.yaml" >"$WORK/v.out" 2>&1; then
  pass "hand-written Deployment accepted"
else
  fail "hand-written valid Deployment rejected"
  show "$WORK/v.out"
fi
if "${VALIDATE[@]}" "$WORK/bad.yaml" >"$WORK/v.out" 2>&1; then
  fail "Deployment with misspelled field 'revisionHistoryLimt' was accepted: the validator is not live"
elif grep -q "revisionHistoryLimt" "$WORK/v.out"; then
  pass "Deployment with misspelled field rejected, naming the field"
else
  fail "misspelled-field Deployment rejected without naming the field"
  show "$WORK/v.out"
fi

# --- 2. every example x every environment -----------------------------------------------------
examples="$(list_examples)"
[[ -n $examples ]] || fail "no examples/*/coconut.yaml found in $SRC"
first_render=""
while read -r name spec; do
  [[ -n $name ]] || continue
  out="$WORK/gen/$name"
  run_cmd "$COCONUT" generate -f "$spec" --target kubernetes -o "$out"
  if [[ $RC != 0 ]]; then
    fail "$name: coconut generate exited $RC"
    show "$WORK/err" 20
    continue
  fi
  base_files=("$out"/k8s/base/*.yaml)
  if [[ ! -f ${base_files[0]} ]]; then
    fail "$name: no k8s/base/*.yaml generated"
    continue
  fi
  queue "$name/base" "${base_files[@]}"

  overlays="$(generated_overlays "$out")"
  declared="$(spec_environments "$spec")"
  if [[ -n $declared && "$(sort <<<"$declared")" != "$(sort <<<"$overlays")" ]]; then
    fail "$name: overlays [$(echo $overlays)] differ from the spec's environments [$(echo $declared)]"
  fi
  [[ -n $overlays ]] || fail "$name: no k8s/overlays/<env> generated"
  for env in $overlays; do
    rendered="$WORK/render-$name-$env.yaml"
    if ! kubectl kustomize "$out/k8s/overlays/$env" >"$rendered" 2>"$WORK/kerr"; then
      fail "$name/$env: kubectl kustomize failed"
      show "$WORK/kerr" 20
      continue
    fi
    [[ -n $first_render ]] || first_render="$rendered"
    queue "$name/$env" "$rendered"
  done
done <<<"$examples"

# --- 3. validate every queued render in one run; one ok/FAIL per example/env -----------------
SUMMARY_ROWS=()
if ((${#LABELS[@]})); then
  "${VALIDATE[@]}" "${GROUPS_ARGS[@]}" >"$WORK/validate.out" 2>&1
  grep -v '^SUMMARY' "$WORK/validate.out" | sed 's/^/     /'
  for label in "${LABELS[@]}"; do
    summary="$(grep -F "SUMMARY label=$label " "$WORK/validate.out" | tail -1)"
    validated="$(sed -n 's/.* validated=\([0-9]*\).*/\1/p' <<<"$summary")"
    unchecked="$(sed -n 's/.* unchecked=\([0-9]*\).*/\1/p' <<<"$summary")"
    failed="$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' <<<"$summary")"
    SUMMARY_ROWS+=("$(printf '%-28s %9s %9s %6s' "$label" "${validated:-?}" "${unchecked:-?}" "${failed:-?}")")
    if [[ -z $summary ]]; then
      fail "$label: no result from the validator"
    elif [[ $failed != 0 ]]; then
      fail "$label: schema validation failed ($failed object(s)/file(s))"
    elif [[ $validated == 0 ]]; then
      fail "$label: no object was validated (empty output?)"
    else
      if [[ ${unchecked:-0} != 0 ]]; then pass "$label: $validated object(s) valid, $unchecked not checked (no schema)"; else pass "$label: $validated object(s) valid"; fi
    fi
  done
  grep -q '^SUMMARY validated=' "$WORK/validate.out" || { fail "validator crashed"; show "$WORK/validate.out"; }
fi

# --- 4. the same check on real output with one field misspelled must fail ----------------------
if [[ -n $first_render ]]; then
  cp "$first_render" "$WORK/tampered.yaml"
  printf -- '---\n' >>"$WORK/tampered.yaml"
  cat "$WORK/bad.yaml" >>"$WORK/tampered.yaml"
  if "${VALIDATE[@]}" "$WORK/tampered.yaml" >"$WORK/v.out" 2>&1; then
    fail "real rendered overlay + misspelled object was accepted"
  elif grep -q '^SUMMARY .* failed=1$' "$WORK/v.out"; then
    pass "real rendered overlay + one misspelled object: exactly that object rejected"
  else
    fail "tampered overlay: expected exactly 1 failure"
    show "$WORK/v.out"
  fi
fi

echo
printf '%-28s %9s %9s %6s\n' "objects (example/env)" validated unchecked failed
for row in "${SUMMARY_ROWS[@]}"; do echo "$row"; done
echo
it_finish
