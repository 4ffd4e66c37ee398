#!/usr/bin/env bash
# `kubectl kustomize` (the real kustomize 5.x inside kubectl) builds the base and every overlay of
# every example, and the rendered output says what the spec says:
#  - the expected kinds per service (workload, Service, Ingress, ExternalSecret, ConfigMap,
#    HPA) and replicas / requests / images equal to the spec resolved for that environment
#    (tests/integration/node/check-render.js, with spec-merge.js as an independent oracle);
#  - overlays really differ from the base where the spec says so (e.g. examples/shop:
#    production runs more replicas / bigger requests than the base), and at least one example
#    has such a difference at all.
#
#   bash tests/integration/kustomize.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool kubectl
require_node_tools

CHECK=(node "$NODE_TOOLS/check-render.js")
total_diffs=0
ROWS=()

examples="$(list_examples)"
[[ -n $examples ]] || fail "no examples/*/coconut.yaml found in $SRC"
while read -r name spec; do
  [[ -n $name ]] || continue
  out="$WORK/gen/$name"
  run_cmd "$COCONUT" generate -f "$spec" --target kubernetes -o "$out"
  if [[ $RC != 0 ]]; then
    fail "$name: coconut generate exited $RC"
    show "$WORK/err" 20
    continue
  fi

  base_render="$WORK/$name-base.yaml"
  if kubectl kustomize "$out/k8s/base" >"$base_render" 2>"$WORK/kerr"; then
    pass "$name/base: kubectl kustomize builds ($(grep -c '^kind:' "$base_render") objects)"
    "${CHECK[@]}" --spec "$spec" --rendered "$base_render" --label "$name/base" >"$WORK/check.out" 2>&1
    rc=$?
    sed 's/^/     /' "$WORK/check.out" | grep -v '^     SUMMARY'
    [[ $rc == 0 ]] && pass "$name/base: rendered objects match the spec" || fail "$name/base: rendered objects do not match the spec"
  else
    fail "$name/base: kubectl kustomize failed"
    show "$WORK/kerr" 20
    continue
  fi

  # Overlays: one per declared environment, each builds and matches the resolved spec.
  declared="$(node -e 'console.log(require(process.argv[1]).environments(process.argv[2]).join("\n"))' \
    "$NODE_TOOLS/spec-merge.js" "$spec" 2>&1)"
  overlays="$(generated_overlays "$out")"
  if [[ "$(sort <<<"$declared")" == "$(sort <<<"$overlays")" ]]; then
    pass "$name: one overlay per environment [$(echo $overlays)]"
  else
    fail "$name: overlays [$(echo $overlays)] != environments [$(echo $declared)]"
  fi
  for env in $overlays; do
    render="$WORK/$name-$env.yaml"
    if ! kubectl kustomize "$out/k8s/overlays/$env" >"$render" 2>"$WORK/kerr"; then
      fail "$name/$env: kubectl kustomize failed"
      show "$WORK/kerr" 20
      continue
    fi
    "${CHECK[@]}" --spec "$spec" --env "$env" --rendered "$render" --base-rendered "$base_render" \
      --label "$name/$env" >"$WORK/check.out" 2>&1
    rc=$?
    sed 's/^/     /' "$WORK/check.out" | grep -v '^     SUMMARY'
    summary="$(grep '^SUMMARY' "$WORK/check.out" | tail -1)"
    diffs="$(sed -n 's/.*diffs=\([0-9]*\).*/\1/p' <<<"$summary")"
    checks="$(sed -n 's/.*checks=\([0-9]*\).*/\1/p' <<<"$summary")"
    total_diffs=$((total_diffs + ${diffs:-0}))
    ROWS+=("$(printf '%-28s %7s %7s %6s' "$name/$env" "$(grep -c '^kind:' "$render")" "${checks:-?}" "${diffs:-0}")")
    if [[ $rc == 0 ]]; then
      pass "$name/$env: builds, ${checks:-?} checks against the resolved spec, ${diffs:-0} overlay difference(s) rendered"
    else
      fail "$name/$env: rendered overlay does not match the resolved spec"
    fi
    # Where the spec changes anything for this environment, the output must change too.
    if [[ ${diffs:-0} -gt 0 ]] && cmp -s "$base_render" "$render"; then
      fail "$name/$env: the spec overrides values but the overlay renders byte-identical to the base"
    fi
  done
done <<<"$examples"

# examples/shop is the documented multi-environment example: production must differ from base.
if [[ -f $SRC/examples/shop/coconut.yaml ]]; then
  if [[ -f $WORK/shop-production.yaml ]]; then
    if cmp -s "$WORK/shop-base.yaml" "$WORK/shop-production.yaml"; then
      fail "shop/production renders identical to the base"
    else
      pass "shop/production differs from the base"
    fi
  else
    fail "examples/shop has no production overlay"
  fi
fi
((total_diffs > 0)) && pass "overlay differences rendered across examples: $total_diffs" ||
  fail "no example overrides replicas or resources per environment: overlays are untested"

echo
printf '%-28s %7s %7s %6s\n' "overlay" objects checks diffs
for row in "${ROWS[@]}"; do echo "$row"; done
echo
it_finish
