#!/usr/bin/env bash
# Benchmark: coconut generate (Kubernetes manifests + overlays) on synthetic specs of 10, 100
# and 1000 services, and, in the same run, `kubectl kustomize` building the production overlay
# that coconut produced, as the yardstick.
#
#   bench/bench.sh [path/to/coconut]          (default: build/coconut; `make bench` runs it)
#
# Environment:
#   BENCH_SIZES="10 100 1000"   service counts
#   BENCH_RUNS=10               timed runs of coconut per size (best is reported)
#   BENCH_KUSTOMIZE_RUNS=3      timed runs of kubectl kustomize per size (one when a run > 20 s)
#   BENCH_KUSTOMIZE_TIMEOUT=900 seconds before a kubectl kustomize run is given up ("> N ms")
#   BENCH_STRICT=1              exit 1 when the largest size misses the goal
#   BENCH_WORK=bench/work       scratch dir (specs, outputs, hyperfine JSON)
# Times are wall-clock best-of-N (hyperfine when installed, else a date +%s%N loop); peak RSS
# is GNU time's %M (max resident set size) of one run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${BENCH_SIZES:-10 100 1000}"
KRUNS="${BENCH_KUSTOMIZE_RUNS:-3}"
KTIMEOUT="${BENCH_KUSTOMIZE_TIMEOUT:-900}"
KREPEAT_MAX_MS=20000 # a kustomize run slower than this is reported from its single run
GOAL_MS=500
GOAL_MB=100

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/bench/lib.sh"
bench_init "${1:-}" # COCONUT, WORK, RUNS
command -v kubectl >/dev/null || die "kubectl not found"

echo "coconut bench: $("$COCONUT" --version 2>/dev/null | head -1); kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: /kustomize /p');" \
  "timer: $(bench_timer); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "goal: 1,000 services in well under ${GOAL_MS} ms and < ${GOAL_MB} MB peak RSS (coconut generate --target kubernetes)"
echo

ROWS=()
goal_ok=1
largest=""
for n in $SIZES; do
  spec="$WORK/spec-$n.yaml"
  out="$WORK/out-$n"
  "$ROOT/bench/make_spec.sh" "$n" >"$spec"
  "$COCONUT" validate -f "$spec" >/dev/null 2>"$WORK/validate.err" ||
    die "synthetic spec with $n services does not validate:$(echo; head -5 "$WORK/validate.err")"

  gen="$(q "$COCONUT") generate -f $(q "$spec") --target kubernetes -o $(q "$out")"
  echo "[$n services] timing: $gen"
  read -r coconut_ms coconut_cpu < <(best_ms "rm -rf $(q "$out")" "$gen" "$RUNS" "$WORK/hf-coconut-$n.json")
  rm -rf "$out"
  coconut_mb="$(peak_mb "$gen")"
  objects="$(cat "$out"/k8s/base/*.yaml | grep -c '^kind:')"
  objects=$((objects - 1)) # base/kustomization.yaml's own `kind: Kustomization`
  files="$(find "$out" -type f | wc -l)"

  overlay="$out/k8s/overlays/production"
  [[ -d $overlay ]] || die "no production overlay in $out"
  kust="kubectl kustomize $(q "$overlay")"
  # First run: renders (object count), peak RSS and a first time, under a time budget
  # (kustomize grows faster than linearly with the number of patches).
  echo "[$n services] timing: $kust"
  t0=$(date +%s%N)
  krc=0
  timeout -k 10 "$KTIMEOUT" /usr/bin/time -f '%M' -o "$WORK/ktime.out" \
    kubectl kustomize "$overlay" >"$WORK/render-$n.yaml" 2>"$WORK/kustomize.err" || krc=$?
  t1=$(date +%s%N)
  if [[ $krc == 124 || $krc == 137 ]]; then
    kust_ms="> $((KTIMEOUT * 1000))"
    kust_mb="?"
    ratio="$(awk -v k="$((KTIMEOUT * 1000))" -v c="$coconut_ms" 'BEGIN { printf ">%.0fx", (c > 0 ? k / c : 0) }')"
    rendered=""
    echo "[$n services] kubectl kustomize did not finish within ${KTIMEOUT} s (BENCH_KUSTOMIZE_TIMEOUT)"
  else
    [[ $krc == 0 ]] || die "kubectl kustomize failed on $overlay: $(tail -3 "$WORK/kustomize.err")"
    rendered="$(grep -c '^kind:' "$WORK/render-$n.yaml")"
    kust_mb="$(awk -v kb="$(tail -1 "$WORK/ktime.out")" 'BEGIN { printf "%.1f\n", kb / 1024 }')"
    first_ms=$(((t1 - t0) / 1000000))
    if ((first_ms < KREPEAT_MAX_MS)); then
      read -r kust_ms _ < <(best_ms "true" "$kust" "$KRUNS" "$WORK/hf-kustomize-$n.json")
    else
      kust_ms="$first_ms.0" # too slow to repeat: one run
    fi
    ratio="$(awk -v k="$kust_ms" -v c="$coconut_ms" 'BEGIN { printf "%.1fx", (c > 0 ? k / c : 0) }')"
  fi
  ROWS+=("$(printf '%8s %8s %8s %11s %11s %13s %9s %11s %13s' "$n" "$objects" "$files" "$coconut_ms" "$coconut_cpu" "$kust_ms" "$ratio" "$coconut_mb" "$kust_mb")")
  echo "[$n services] $objects objects: coconut $coconut_ms ms ($coconut_cpu ms CPU, $coconut_mb MB); kubectl kustomize $kust_ms ms ($kust_mb MB)"
  largest="$n $coconut_ms $coconut_mb $coconut_cpu"
  [[ -z $rendered || $rendered -ge $objects ]] || die "production overlay renders $rendered objects, base has $objects"
done

echo
printf '%8s %8s %8s %11s %11s %13s %9s %11s %13s\n' services objects files "coconut ms" "(cpu ms)" "kustomize ms" ratio "coconut MB" "kustomize MB"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
echo "(coconut ms: best of $RUNS runs of 'generate --target kubernetes' writing base + every overlay;"
echo " cpu ms: its mean user+system CPU time, the number to trust when the machine is busy;"
echo " kustomize ms: best of $KRUNS runs (one when slower than 20 s) of 'kubectl kustomize' on the production overlay it produced;"
echo " ratio = kustomize / coconut; MB = peak RSS; objects = Kubernetes objects in k8s/base)"

read -r ln lms lmb lcpu <<<"$largest"
if [[ $ln -ge 1000 ]]; then
  verdict="$(awk -v ms="$lms" -v mb="$lmb" -v gms="$GOAL_MS" -v gmb="$GOAL_MB" 'BEGIN { print ((ms < gms && mb < gmb) ? "met" : "MISSED") }')"
  echo "goal (1,000 services < ${GOAL_MS} ms and < ${GOAL_MB} MB): $verdict — $ln services in $lms ms wall ($lcpu ms CPU), $lmb MB"
  [[ $verdict == met ]] || goal_ok=0
fi
if [[ ${BENCH_STRICT:-0} == 1 && $goal_ok == 0 ]]; then exit 1; fi
