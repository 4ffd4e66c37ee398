#!/usr/bin/env bash
# Runs the libFuzzer harnesses of a build tree configured with -DCOCONUT_FUZZ=ON (`make fuzz`):
#
#   fuzz/run.sh BUILD_DIR SECONDS [JOBS] [HARNESS...]     (default: every fuzz_* in BUILD_DIR)
#
# Each harness runs SECONDS seconds from a fresh working corpus BUILD_DIR/fuzz-work/NAME/corpus
# (new inputs land there), reading the seeds of fuzz/seed.sh, the hand-picked inputs of
# fuzz/corpus/NAME/ and, for yaml, the YAML Test Suite in the shared data directory (read in
# place). JOBS harnesses run at a time (default 1). Crash, leak, timeout and out-of-memory
# inputs are written to BUILD_DIR/fuzz-work/NAME/ (crash-*, leak-*, timeout-*, oom-*), the
# fuzzer's output to BUILD_DIR/fuzz-work/NAME/log. Prints one line per harness and exits
# non-zero when any harness found something or could not run.
set -uo pipefail

build="${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [JOBS] [HARNESS...]}"
seconds="${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [JOBS] [HARNESS...]}"
jobs="${3:-1}"
shift $(($# >= 3 ? 3 : $#))
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$build" && pwd)"
shared="${COCONUT_SHARED_DIR:-$(dirname "$root")/shared}"

harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  for exe in "$build"/fuzz_*; do [[ -x $exe ]] && harnesses+=("${exe##*/fuzz_}"); done
fi
if ((${#harnesses[@]} == 0)); then
  echo "fuzz/run.sh: no fuzz_* executables in $build (configure with CXX=clang++ -DCOCONUT_FUZZ=ON)" >&2
  exit 2
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"

# run_one NAME: fuzzes one harness; the summary line goes to fuzz-work/NAME/result.
run_one() {
  local name=$1 work="$build/fuzz-work/$1"
  rm -rf "$work"
  mkdir -p "$work/corpus"
  local dirs=("$work/corpus" "$work/seeds")
  "$root/fuzz/seed.sh" "$name" "$work/seeds" >/dev/null
  [[ -d $root/fuzz/corpus/$name ]] && dirs+=("$root/fuzz/corpus/$name")
  [[ $name == yaml && -d $shared/yaml-test-suite ]] && dirs+=("$shared/yaml-test-suite")
  # fuzz/NAME.dict, else the YAML one for the harnesses that read YAML.
  local dict=()
  if [[ -f $root/fuzz/$name.dict ]]; then
    dict=(-dict="$root/fuzz/$name.dict")
  elif [[ $name == spec || $name == ansible || $name == inputs ]]; then
    dict=(-dict="$root/fuzz/yaml.dict")
  fi
  local start=$SECONDS rc=0
  "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/" "${dict[@]}" "${dirs[@]}" >"$work/log" 2>&1 || rc=$?
  local took=$((SECONDS - start))
  local execs rate found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  found=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  [[ $found -eq 0 && $rc -ne 0 ]] && found="? (exit $rc, see $work/log)"
  printf '%-10s %6ss %12s %8s   %s\n' \
    "$name" "$took" "${execs:-?}" "${rate:-?}" "$found" >"$work/result"
  [[ $rc -eq 0 && $found == 0 ]]
}

echo "fuzz: ${harnesses[*]}: ${seconds}s each, $jobs at a time, work dirs in $build/fuzz-work/"
failed=0 running=0
for name in "${harnesses[@]}"; do
  if [[ ! -x $build/fuzz_$name ]]; then
    echo "fuzz/run.sh: $build/fuzz_$name does not exist" >&2
    failed=1
    continue
  fi
  run_one "$name" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

printf '%-10s %7s %12s %8s   %s\n' harness time executions exec/s crashes
for name in "${harnesses[@]}"; do
  [[ -f $build/fuzz-work/$name/result ]] && cat "$build/fuzz-work/$name/result"
done
if ((failed)); then
  echo "fuzz: FAILED: see the crash-*/leak-*/timeout-*/oom-* files and the log in $build/fuzz-work/<harness>/" >&2
  exit 1
fi
