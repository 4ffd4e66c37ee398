#!/usr/bin/env bash
# Runs one phase of `make test` (deps, build, tests, asan-build, asan-tests) and says how long
# it took when it ends, ok or not:
#
#   scripts/phase.sh NAME CMD...       -> CMD's exit code
#   scripts/phase.sh --summary LOG [TOTAL_SECONDS]
#
# With COCONUT_PHASE_LOG=FILE set (as .ci/run does), each step also appends
# "NAME<TAB>EXIT<TAB>SECONDS" to FILE; `--summary FILE` prints one line per phase (a phase run
# twice, like deps, summed; in the order the phases began) and the total: what .ci/run prints
# at the end, also after a failed phase.
set -uo pipefail

# 75 -> "1m15s", 3725 -> "1h02m05s"
fmt() {
  local s=$1
  if ((s >= 3600)); then
    printf '%dh%02dm%02ds' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
  elif ((s >= 60)); then
    printf '%dm%02ds' $((s / 60)) $((s % 60))
  else
    printf '%ds' "$s"
  fi
}

if [[ ${1:-} == --summary ]]; then
  log="${2:?usage: phase.sh --summary LOG [TOTAL_SECONDS]}"
  total="${3:-}"
  declare -A secs=() rcs=()
  order=()
  if [[ -f $log ]]; then
    while IFS=$'\t' read -r name rc s; do
      [[ -n $name ]] || continue
      [[ -n ${secs[$name]+x} ]] || { order+=("$name"); secs[$name]=0; rcs[$name]=0; }
      secs[$name]=$((secs[$name] + s))
      ((rc == 0)) || rcs[$name]=$rc
    done <"$log"
  fi
  echo "==> phase durations"
  sum=0
  for name in "${order[@]}"; do
    status=ok
    ((rcs[$name] == 0)) || status="FAILED (exit ${rcs[$name]})"
    printf '    %-12s %10s  %s\n' "$name" "$(fmt "${secs[$name]}")" "$status"
    sum=$((sum + secs[$name]))
  done
  ((${#order[@]})) || echo "    (no phase ran)"
  printf '    %-12s %10s\n' "phases" "$(fmt "$sum")"
  [[ -z $total ]] || printf '    %-12s %10s\n' "total" "$(fmt "$total")"
  exit 0
fi

if (($# < 2)); then
  echo "usage: phase.sh NAME CMD... | phase.sh --summary LOG [TOTAL_SECONDS]" >&2
  exit 2
fi
name="$1"
shift
start=$(date +%s)
rc=0
"$@" || rc=$?
took=$(($(date +%s) - start))
if ((rc == 0)); then
  echo "==> phase $name: ok after $(fmt "$took")"
else
  echo "==> phase $name: FAILED (exit $rc) after $(fmt "$took")"
fi
if [[ -n ${COCONUT_PHASE_LOG:-} ]]; then
  printf '%s\t%s\t%s\n' "$name" "$rc" "$took" >>"$COCONUT_PHASE_LOG"
fi
exit "$rc"
