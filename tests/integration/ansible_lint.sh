#!/usr/bin/env bash
# Side by side with the real ansible-lint: on the playbooks, task files and roles of
# tests/ansible_corpus/, coconut's findings for the rules aliased `ansible-lint:<tag>` must match
# ansible-lint's own findings of those tags by (tag, file, line).
#
#  - ansible-lint runs as CI runs it: `--offline`, codeclimate JSON, with the opt-in
#    no-log-password enabled; `coconut check --format json` runs on the same copy.
#  - Only tags that some coconut rule aliases are compared (`coconut rules list --format json`).
#  - Prints the agreement rate |both| / |either| and every disagreement; fails below
#    ANSIBLE_LINT_MIN_AGREEMENT (default 95 %), when a syntax-check/load failure makes
#    ansible-lint skip a corpus file, or when a tag fires on no corpus file at all.
#
# The suite installs nothing: ansible-lint and ansible come from the Debian packages that
# scripts/setup-deps.sh installs; when they are missing the suite FAILS (it is not skipped).
#
#   bash tests/integration/ansible_lint.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"

for tool in ansible-lint ansible-playbook python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool not found on PATH: this suite compares coconut with the real ansible-lint."
    echo "      Install it with scripts/setup-deps.sh (apt-get install ansible ansible-lint)."
    exit 1
  fi
done
echo "   $(ansible-lint --version 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"

CORPUS="$WORK/corpus"
cp -r "$SRC/tests/ansible_corpus" "$CORPUS"   # outside any git work tree: plain directory discovery
n_files="$(find "$CORPUS" -name '*.yml' | wc -l)"
((n_files >= 20)) && pass "corpus has $n_files YAML files" || fail "corpus has only $n_files YAML files (want >= 20)"

# --- coconut's aliased ansible-lint tags ------------------------------------------------------
if "$COCONUT" rules list --format json >"$WORK/rules.json" 2>"$WORK/rules.err"; then
  pass "coconut rules list --format json"
else
  fail "coconut rules list --format json"
  show "$WORK/rules.err"
fi

# --- ansible-lint -----------------------------------------------------------------------------
# Exit 2 means "violations found"; anything else but 0 is a tool failure. No path argument:
# ansible-lint then discovers the files itself (a "." argument would be linted as one role).
(cd "$CORPUS" && NO_COLOR=1 ANSIBLE_NOCOLOR=1 tmo ansible-lint --offline --nocolor -f codeclimate \
  --enable-list no-log-password >"$WORK/al.json" 2>"$WORK/al.err")
rc=$?
if [[ $rc == 0 || $rc == 2 ]]; then
  pass "ansible-lint ran (exit $rc)"
else
  fail "ansible-lint failed (exit $rc)"
  show "$WORK/al.err"
fi

# --- coconut ----------------------------------------------------------------------------------
# The corpus has no critical finding, so with --fail-on critical the exit code is exactly 0.
IT_CWD="$CORPUS" expect_rc 0 "coconut check --fail-on critical (no critical finding in the corpus)" \
  "$COCONUT" check --format json --fail-on critical .
cp "$WORK/out" "$WORK/coconut.json"

# --- comparison -------------------------------------------------------------------------------
# The comparator is live: with coconut's findings dropped it must report disagreement and fail.
echo '{"findings": [], "summary": {}}' >"$WORK/empty.json"
if python3 "$SRC/tests/integration/ansible_lint_compare.py" --rules "$WORK/rules.json" \
  --ansible-lint "$WORK/al.json" --coconut "$WORK/empty.json" >"$WORK/self.out" 2>&1; then
  fail "comparator self-test: no coconut findings still passed"
  show "$WORK/self.out" 10
else
  pass "comparator self-test: missing coconut findings are reported ($(grep -c 'only ansible-lint' "$WORK/self.out") disagreements)"
fi

if python3 "$SRC/tests/integration/ansible_lint_compare.py" \
  --rules "$WORK/rules.json" --ansible-lint "$WORK/al.json" --coconut "$WORK/coconut.json" \
  --min "${ANSIBLE_LINT_MIN_AGREEMENT:-95}" >"$WORK/cmp.out" 2>&1; then
  cat "$WORK/cmp.out"
  pass "ansible-lint $(grep -o 'agreement: [0-9.]* %' "$WORK/cmp.out") on $(grep -o 'ansible-lint: [0-9]* findings' "$WORK/cmp.out" | cut -d' ' -f2) findings"
else
  cat "$WORK/cmp.out"
  fail "comparison with ansible-lint (see above)"
fi

it_finish
