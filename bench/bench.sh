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
#   BENCH_KUSTOMIZE_RUNS=3      timed runs of kubectl kustomize per size
#   BENCH_STRICT=1              exit 1 when the largest size misses the goal
#   BENCH_WORK=bench/work       scratch dir (specs, outputs, hyperfine JSON)
# Times are wall-clock best-of-N (hyperfine when installed, else a date +%s%N loop); peak RSS
# is GNU time's %M (max resident set size) of one run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COCONUT="${1:-$ROOT/build/coconut}"
[[ $COCONUT == /* ]] || COCONUT="$PWD/$COCONUT"
SIZES="${BENCH_SIZES:-10 100 1000}"
RUNS="${BENCH_RUNS:-10}"
KRUNS="${BENCH_KUSTOMIZE_RUNS:-3}"
WORK="${BENCH_WORK:-$ROOT/bench/work}"
GOAL_MS=500
GOAL_MB=100

die() { echo "bench: error: $*" >&2; exit 1; }
[[ -x $COCONUT ]] || die "coconut binary not found: $COCONUT (run make build)"
command -v kubectl >/dev/null || die "kubectl not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install time"
HYPERFINE="$(command -v hyperfine || true)"
mkdir -p "$WORK"

# best_ms CMD: best wall time in ms over N runs (global $runs), output dir removed before each.
best_ms() {
  local prepare="$1" cmd="$2" runs="$3" json="$4"
  if [[ -n $HYPERFINE ]]; then
    "$HYPERFINE" --style none --warmup 1 --runs "$runs" --prepare "$prepare" \
      --export-json "$json" "$cmd" >/dev/null 2>&1 ||
      die "hyperfine failed for: $cmd"
    node -e 'const r=require(process.argv[1]).results[0]; console.log((r.min*1000).toFixed(1))' "$json"
  else
    local best="" i t0 t1 ms
    bash -c "$prepare; $cmd" >/dev/null 2>&1 # warm-up
    for ((i = 0; i < runs; i++)); do
      bash -c "$prepare"
      t0=$(date +%s%N)
      bash -c "$cmd" >/dev/null 2>&1 || die "failed: $cmd"
      t1=$(date +%s%N)
      ms=$(((t1 - t0) / 1000))
      [[ -z $best || $ms -lt $best ]] && best=$ms
    done
    awk -v us="$best" 'BEGIN { printf "%.1f\n", us / 1000 }'
  fi
}

# peak_mb CMD: peak RSS in MB of one run.
peak_mb() {
  local kb
  kb="$(/usr/bin/time -f '%M' -o "$WORK/time.out" bash -c "exec $1" >/dev/null 2>"$WORK/time.err" && cat "$WORK/time.out")" ||
    die "failed: $1 ($(tail -3 "$WORK/time.err"))"
  awk -v kb="$kb" 'BEGIN { printf "%.1f\n", kb / 1024 }'
}

q() { printf '%q' "$1"; }

echo "coconut bench: $("$COCONUT" --version 2>/dev/null | head -1); kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: /kustomize /p');" \
  "timer: ${HYPERFINE:+hyperfine $($HYPERFINE --version | cut -d' ' -f2)}${HYPERFINE:-date loop}; $(nproc) cores"
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
  coconut_ms="$(best_ms "rm -rf $(q "$out")" "$gen" "$RUNS" "$WORK/hf-coconut-$n.json")"
  rm -rf "$out"
  coconut_mb="$(peak_mb "$gen")"
  objects="$(cat "$out"/k8s/base/*.yaml | grep -c '^kind:')"
  objects=$((objects - 1)) # base/kustomization.yaml's own `kind: Kustomization`
  files="$(find "$out" -type f | wc -l)"

  overlay="$out/k8s/overlays/production"
  [[ -d $overlay ]] || die "no production overlay in $out"
  kust="kubectl kustomize $(q "$overlay")"
  kubectl kustomize "$overlay" >"$WORK/render-$n.yaml" || die "kubectl kustomize failed on $overlay"
  rendered="$(grep -c '^kind:' "$WORK/render-$n.yaml")"
  echo "[$n services] timing: $kust"
  kust_ms="$(best_ms "true" "$kust" "$KRUNS" "$WORK/hf-kustomize-$n.json")"
  kust_mb="$(peak_mb "$kust")"
  ratio="$(awk -v k="$kust_ms" -v c="$coconut_ms" 'BEGIN { printf "%.1fx", (c > 0 ? k / c : 0) }')"
  ROWS+=("$(printf '%8s %8s %8s %11s %13s %9s %13s %15s' "$n" "$objects" "$files" "$coconut_ms" "$kust_ms" "$ratio" "$coconut_mb" "$kust_mb")")
  largest="$n $coconut_ms $coconut_mb"
  [[ $rendered -ge $objects ]] || die "production overlay renders $rendered objects, base has $objects"
done

echo
printf '%8s %8s %8s %11s %13s %9s %13s %15s\n' services objects files "coconut ms" "kustomize ms" ratio "coconut MB" "kustomize MB"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
echo "(coconut ms: best of $RUNS runs of 'generate --target kubernetes' writing base + every overlay;"
echo " kustomize ms: best of $KRUNS runs of 'kubectl kustomize' on the production overlay it produced;"
echo " ratio = kustomize / coconut; MB = peak RSS; objects = Kubernetes objects in k8s/base)"

read -r ln lms lmb <<<"$largest"
if [[ $ln -ge 1000 ]]; then
  verdict="$(awk -v ms="$lms" -v mb="$lmb" -v gms="$GOAL_MS" -v gmb="$GOAL_MB" 'BEGIN { print ((ms < gms && mb < gmb) ? "met" : "MISSED") }')"
  echo "goal (1,000 services < ${GOAL_MS} ms and < ${GOAL_MB} MB): $verdict — $ln services in $lms ms, $lmb MB"
  [[ $verdict == met ]] || goal_ok=0
fi
if [[ ${BENCH_STRICT:-0} == 1 && $goal_ok == 0 ]]; then exit 1; fi
