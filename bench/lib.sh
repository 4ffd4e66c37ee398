# Shared helpers of the bench/ scripts (bench.sh, targets.sh). Sourced, not run:
#
#   source "$ROOT/bench/lib.sh"
#   bench_init "${1:-}"           sets COCONUT (argument, default build/coconut), WORK
#                                 ($BENCH_WORK, default bench/work; created), RUNS ($BENCH_RUNS,
#                                 default 10); checks coconut and GNU time
#   die MESSAGE                   "NAME: error: MESSAGE" on stderr, exit 1 (NAME: $BENCH_NAME, default bench)
#   best_ms PREPARE CMD RUNS JSON prints "WALL CPU" in ms (best wall, mean user+system CPU)
#   peak_mb CMD                   prints the peak RSS of one run of CMD in MB
#   q STRING                      STRING quoted for bash -c (printf %q)
#   bench_timer                   describes the timer in use (hyperfine VERSION or the date loop)
# shellcheck shell=bash

HYPERFINE="$(command -v hyperfine || true)"

die() { echo "${BENCH_NAME:-bench}: error: $*" >&2; exit 1; }

bench_init() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  COCONUT="${1:-$root/build/coconut}"
  [[ $COCONUT == /* ]] || COCONUT="$PWD/$COCONUT"
  WORK="${BENCH_WORK:-$root/bench/work}"
  [[ $WORK == /* ]] || WORK="$PWD/$WORK"
  # shellcheck disable=SC2034 # used by the sourcing script
  RUNS="${BENCH_RUNS:-10}"
  [[ -x $COCONUT ]] || die "coconut binary not found: $COCONUT (run make build)"
  [[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install time"
  mkdir -p "$WORK"
}

# best_ms PREPARE CMD RUNS JSON: prints "WALL CPU": the best wall time of CMD in ms over RUNS
# runs (PREPARE before each), and its mean CPU time (user + system) in ms. CPU time is what to
# compare on a busy machine, where wall time includes waiting for a core.
best_ms() {
  local prepare="$1" cmd="$2" runs="$3" json="$4"
  if [[ -n $HYPERFINE ]]; then
    "$HYPERFINE" --style none --warmup 1 --runs "$runs" --prepare "$prepare" \
      --export-json "$json" "$cmd" >/dev/null 2>&1 ||
      die "hyperfine failed for: $cmd"
    node -e 'const r=require(process.argv[1]).results[0]; console.log((r.min*1000).toFixed(1), ((r.user+r.system)*1000).toFixed(1))' "$json"
  else
    local best="" cpu_sum=0 i t0 t1 us cpu
    bash -c "$prepare; $cmd" >/dev/null 2>&1 # warm-up
    for ((i = 0; i < runs; i++)); do
      bash -c "$prepare"
      t0=$(date +%s%N)
      /usr/bin/time -f '%U %S' -o "$WORK/cpu.out" bash -c "$cmd" >/dev/null 2>&1 || die "failed: $cmd"
      t1=$(date +%s%N)
      us=$(((t1 - t0) / 1000))
      cpu="$(awk '{ printf "%d", ($1 + $2) * 1000000 }' "$WORK/cpu.out")"
      cpu_sum=$((cpu_sum + cpu))
      [[ -z $best || $us -lt $best ]] && best=$us
    done
    awk -v us="$best" -v c="$cpu_sum" -v n="$runs" 'BEGIN { printf "%.1f %.1f\n", us / 1000, c / n / 1000 }'
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

bench_timer() {
  if [[ -n $HYPERFINE ]]; then echo "hyperfine $("$HYPERFINE" --version | cut -d' ' -f2)"; else echo "date +%s%N loop"; fi
}
