#!/usr/bin/env bash
# Benchmark of the policy engine, `coconut check --format json`, on a synthetic corpus, and, in
# the same run, the real ansible-lint and an npm Dockerfile linter on the same files:
#
#   bench/check.sh [path/to/coconut]          (default: build/coconut; `make bench-check`)
#
#  1. bench/make_check_corpus.py writes $BENCH_WORK/check/: k8s/ (10,000 Kubernetes documents
#     in 500 multi-document files), docker/ (1,000 Dockerfiles), ansible/ (200 playbooks);
#     deterministic, some files with findings;
#  2. `coconut check --format json --fail-on critical` (every rule on) on each sub-corpus and on
#     all of it: wall and CPU time, peak RSS, MB/s, docs/s. coconut is single-threaded, so
#     MB/s is also MB/s per core;
#  3. `ansible-lint --offline` (Debian) over the 200 playbooks in one invocation, and
#     `dockerfilelint` (npm, pinned in bench/node/package-lock.json, installed with `npm ci`)
#     over the 1,000 Dockerfiles in one node process (its CLI takes many files), plus a per-file
#     loop on a sample, extrapolated (what a per-file CI hook pays: node start-up per file);
#  4. ratios and goals: >= 50 MB/s of YAML per core, >= 100x ansible-lint, >= 20x the npm linter.
#
# Environment:
#   BENCH_CHECK_CORPUS="10000 1000 200"  Kubernetes documents, Dockerfiles, playbooks
#   BENCH_RUNS=10                  timed runs of each fast command (best wall is reported)
#   BENCH_REPEAT_MAX_S=20          a command whose first run is slower is reported from that run
#   BENCH_ANSIBLE_LINT_TIMEOUT=1800  seconds before ansible-lint is given up ("> N s")
#   BENCH_LOOP_SAMPLE=50           Dockerfiles in the per-file dockerfilelint loop (0: skip)
#   BENCH_STRICT=1                 exit 1 when a goal is missed
#   BENCH_WORK=bench/work          scratch dir (corpus in check/, reports, hyperfine JSON)
# Times: wall best-of-N (hyperfine when installed, else a date +%s%N loop); CPU = user + system;
# peak RSS = GNU time's %M of the first run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPEAT_MAX_MS=$((${BENCH_REPEAT_MAX_S:-20} * 1000))
AL_TIMEOUT="${BENCH_ANSIBLE_LINT_TIMEOUT:-1800}"
LOOP_SAMPLE="${BENCH_LOOP_SAMPLE:-50}"
NODE_DIR="$ROOT/bench/node"
GOAL_MBPS=50 GOAL_AL=100 GOAL_NPM=20

BENCH_NAME=check
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/bench/lib.sh"
bench_init "${1:-}" # COCONUT, WORK, RUNS
command -v python3 >/dev/null || die "python3 not found"
command -v ansible-lint >/dev/null || die "ansible-lint not found: scripts/setup-deps.sh installs it"
command -v node >/dev/null || die "node not found"

DFL="$NODE_DIR/node_modules/dockerfilelint/bin/dockerfilelint"
if [[ ! -f $DFL ]]; then
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error </dev/null) >&2 ||
    die "npm ci in $NODE_DIR failed"
fi
DFL_VERSION="$(node -p 'require(process.argv[1]).version' "$NODE_DIR/node_modules/dockerfilelint/package.json")"
AL_VERSION="$(ansible-lint --version 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"

CORPUS="$WORK/check"
read -r -a CORPUS_SIZES <<<"${BENCH_CHECK_CORPUS:-10000 1000 200}"
read -r _ K8S_DOCS K8S_FILES K8S_BYTES _ DF_FILES DF_BYTES _ AN_FILES AN_BYTES < <(python3 "$ROOT/bench/make_check_corpus.py" "$CORPUS" "${CORPUS_SIZES[@]}")

echo "coconut check bench: $("$COCONUT" --version 2>/dev/null | head -1); $AL_VERSION; dockerfilelint $DFL_VERSION; node $(node --version);" \
  "timer: $(bench_timer); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus $CORPUS: $K8S_DOCS Kubernetes documents in $K8S_FILES files ($K8S_BYTES bytes), $DF_FILES Dockerfiles ($DF_BYTES bytes), $AN_FILES playbooks ($AN_BYTES bytes)"
echo

# measure NAME CMD RUNS: sets MS[NAME] CPU[NAME] MB[NAME]. A first run under GNU time gives the
# peak RSS (and the figures when it is slower than BENCH_REPEAT_MAX_S); otherwise best_ms.
# CMD must exit 0 (wrap tools whose exit status counts findings).
declare -A MS CPU MB
measure() {
  local name="$1" cmd="$2" runs="$3" t0 t1 u s kb
  echo "[$name] timing: $cmd"
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$WORK/check-time.out" bash -c "$cmd" >/dev/null 2>"$WORK/check.err" ||
    die "failed: $cmd: $(tail -3 "$WORK/check.err")"
  t1=$(date +%s%N)
  read -r u s kb <"$WORK/check-time.out"
  MB[$name]="$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')"
  if (((t1 - t0) / 1000000 < REPEAT_MAX_MS)); then
    read -r "MS[$name]" "CPU[$name]" < <(best_ms true "$cmd" "$runs" "$WORK/hf-check-$name.json")
  else
    MS[$name]="$(((t1 - t0) / 1000000)).0"
    CPU[$name]="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", (u + s) * 1000 }')"
  fi
  echo "[$name] ${MS[$name]} ms (${CPU[$name]} ms CPU, ${MB[$name]} MB)"
}

# --- 1. coconut check, per sub-corpus and all together (exit 1 = findings) ----------------------
declare -A FINDINGS
for sub in k8s docker ansible all; do
  paths=("$CORPUS/$sub")
  [[ $sub == all ]] && paths=("$CORPUS/k8s" "$CORPUS/docker" "$CORPUS/ansible")
  report="$WORK/check-$sub.json"
  cmd="$(q "$COCONUT") check --format json --fail-on critical --output $(q "$report")"
  for p in "${paths[@]}"; do cmd+=" $(q "$p")"; done
  measure "$sub" "$cmd; [ \$? -le 1 ]" "$RUNS"
  FINDINGS[$sub]="$(node -p 'require(process.argv[1]).findings.length' "$report")"
done

# --- 2. ansible-lint over the playbooks: one run, under a time budget -------------------------
# Exit 2 = violations found. Its project dir is the corpus (not the enclosing git work tree).
echo "[ansible-lint] timing: ansible-lint --offline -p --project-dir ansible/ ansible/*.yml (one run, timeout ${AL_TIMEOUT} s)"
t0=$(date +%s%N)
arc=0
(cd "$CORPUS/ansible" && NO_COLOR=1 timeout -k 10 "$AL_TIMEOUT" /usr/bin/time -f '%U %S %M' -o "$WORK/al-time.out" \
  ansible-lint --offline --nocolor -p --project-dir . ./*.yml >"$WORK/al.out" 2>"$WORK/al.err") || arc=$?
t1=$(date +%s%N)
if [[ $arc == 124 || $arc == 137 ]]; then
  AL_MS="> $((AL_TIMEOUT * 1000))" AL_CPU="?" AL_MB="?" AL_FINDINGS="?"
  AL_RATIO="$(awk -v a="$((AL_TIMEOUT * 1000))" -v c="${MS[ansible]}" 'BEGIN { printf ">%.0fx", a / c }')"
  echo "[ansible-lint] did not finish within ${AL_TIMEOUT} s (BENCH_ANSIBLE_LINT_TIMEOUT)"
else
  [[ $arc == 0 || $arc == 2 ]] || die "ansible-lint failed (exit $arc): $(tail -3 "$WORK/al.err")"
  read -r u s kb < <(tail -1 "$WORK/al-time.out") # after "Command exited with non-zero status 2"
  AL_MS="$(((t1 - t0) / 1000000)).0"
  AL_CPU="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", (u + s) * 1000 }')"
  AL_MB="$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')"
  AL_FINDINGS="$(grep -c ':[0-9]*: ' "$WORK/al.out" || true)"
  AL_RATIO="$(awk -v a="$AL_MS" -v c="${MS[ansible]}" 'BEGIN { printf "%.1fx", a / c }')"
  echo "[ansible-lint] $AL_MS ms ($AL_CPU ms CPU, $AL_MB MB), $AL_FINDINGS findings"
fi

# --- 3. dockerfilelint over the Dockerfiles: one node process; a per-file loop on a sample -----
# Its exit status is the number of issues (modulo 256), so a run is judged by its report: a
# crash leaves it empty, and the JSON is parsed below.
dfl_report="$WORK/dockerfilelint.json"
measure dockerfilelint "cd $(q "$CORPUS/docker") && node $(q "$DFL") -o json ./*.Dockerfile >$(q "$dfl_report"); [ -s $(q "$dfl_report") ]" "${BENCH_LINTER_RUNS:-3}"
DFL_FINDINGS="$(node -p 'require(process.argv[1]).totalIssues' "$dfl_report")"
loop_label="-" LOOP_MS="-"
if ((LOOP_SAMPLE > 0)); then
  rm -f "$WORK/dfl-loop.err"
  loop="cd $(q "$CORPUS/docker") && for f in \$(ls | head -$LOOP_SAMPLE); do node $(q "$DFL") \"\$f\" >/dev/null 2>>$(q "$WORK/dfl-loop.err"); done; [ ! -s $(q "$WORK/dfl-loop.err") ]"
  measure dockerfilelint-loop "$loop" 1
  LOOP_MS="$(awk -v ms="${MS[dockerfilelint-loop]}" -v n="$LOOP_SAMPLE" -v t="$DF_FILES" 'BEGIN { printf "%.1f", ms * t / n }')"
  loop_label="(per-file loop: $LOOP_SAMPLE-file sample x $((DF_FILES / LOOP_SAMPLE)))"
fi

# --- 4. table, ratios, goals ------------------------------------------------------------------
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.2f", (ms > 0 ? b / 1e6 / (ms / 1000) : 0) }'; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? n / (ms / 1000) : 0) }'; }
ALL_BYTES=$((K8S_BYTES + DF_BYTES + AN_BYTES))
declare -A BYTES=([k8s]=$K8S_BYTES [docker]=$DF_BYTES [ansible]=$AN_BYTES [all]=$ALL_BYTES)
declare -A DOCS=([k8s]=$K8S_DOCS [docker]=$DF_FILES [ansible]=$AN_FILES [all]=$((K8S_DOCS + DF_FILES + AN_FILES)))
echo
printf '%-34s %7s %10s %11s %11s %8s %9s %9s %9s\n' "command" docs "MB in" "wall ms" "cpu ms" "MB/s" "MB/s cpu" "docs/s" "peak MB"
for sub in k8s docker ansible all; do
  printf '%-34s %7s %10s %11s %11s %8s %9s %9s %9s\n' "coconut check $sub" "${DOCS[$sub]}" \
    "$(awk -v b="${BYTES[$sub]}" 'BEGIN { printf "%.2f", b / 1e6 }')" "${MS[$sub]}" "${CPU[$sub]}" \
    "$(mbps "${BYTES[$sub]}" "${MS[$sub]}")" "$(mbps "${BYTES[$sub]}" "${CPU[$sub]}")" \
    "$(rate "${DOCS[$sub]}" "${MS[$sub]}")" "${MB[$sub]}"
done
printf '%-34s %7s %10s %11s %11s %8s %9s %9s %9s\n' "ansible-lint --offline (one run)" "$AN_FILES" "-" "$AL_MS" "$AL_CPU" "-" "-" "-" "$AL_MB"
printf '%-34s %7s %10s %11s %11s %8s %9s %9s %9s\n' "dockerfilelint (one process)" "$DF_FILES" "-" "${MS[dockerfilelint]}" "${CPU[dockerfilelint]}" "-" "-" "-" "${MB[dockerfilelint]}"
[[ $LOOP_MS == - ]] || printf '%-34s %7s %10s %11s %11s\n' "dockerfilelint per file (est.)" "$DF_FILES" "-" "$LOOP_MS" "-"
echo
echo "findings: coconut k8s ${FINDINGS[k8s]}, docker ${FINDINGS[docker]}, ansible ${FINDINGS[ansible]}, all ${FINDINGS[all]};" \
  "ansible-lint $AL_FINDINGS; dockerfilelint $DFL_FINDINGS"
echo "(wall ms: best of $RUNS runs (coconut) / ${BENCH_LINTER_RUNS:-3} (dockerfilelint), or the single first run when it"
echo " took longer than $((REPEAT_MAX_MS / 1000)) s, and always one run of ansible-lint; cpu ms: user+system, the number to trust"
echo " on a busy machine; coconut is single-threaded, so MB/s is MB/s per core (MB/s cpu: per CPU-second);"
echo " docs: Kubernetes documents / Dockerfiles / playbooks; peak MB: peak RSS of the first run;"
echo " dockerfilelint: one node process over all files ${loop_label}; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
echo

# verdict NAME VALUE GOAL: "met" when VALUE >= GOAL (VALUE may be ">N").
goals_ok=1
verdict() {
  local v
  v="$(awk -v x="${2#>}" -v g="$3" 'BEGIN { print ((x + 0 >= g) ? "met" : "MISSED") }')"
  [[ $v == met ]] || goals_ok=0
  printf '%-58s %s\n' "$1" "$v"
}
yaml_mbps="$(mbps "$K8S_BYTES" "${MS[k8s]}")"
yaml_cpu="$(mbps "$K8S_BYTES" "${CPU[k8s]}")"
verdict "YAML >= $GOAL_MBPS MB/s per core: $yaml_mbps MB/s wall ($yaml_cpu per CPU-s)" "$yaml_mbps" "$GOAL_MBPS"
verdict ">= ${GOAL_AL}x ansible-lint: $AL_RATIO (wall, $AN_FILES playbooks)" "${AL_RATIO%x}" "$GOAL_AL"
npm_ratio="$(awk -v a="${MS[dockerfilelint]}" -v c="${MS[docker]}" 'BEGIN { printf "%.1f", a / c }')"
npm_cpu_ratio="$(awk -v a="${CPU[dockerfilelint]}" -v c="${CPU[docker]}" 'BEGIN { printf "%.1f", a / c }')"
verdict ">= ${GOAL_NPM}x dockerfilelint: ${npm_ratio}x wall (${npm_cpu_ratio}x CPU), one process" "$npm_ratio" "$GOAL_NPM"
if [[ $LOOP_MS != - ]]; then
  echo "  (vs the per-file loop: $(awk -v a="$LOOP_MS" -v c="${MS[docker]}" 'BEGIN { printf "%.1f", a / c }')x wall)"
fi
if [[ ${BENCH_STRICT:-0} == 1 && $goals_ok == 0 ]]; then exit 1; fi
