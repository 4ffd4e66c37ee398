#!/usr/bin/env bash
# The `ansible` target with the real Ansible tools, for every example (docs/generators/ansible.md):
#  - `coconut generate -t ansible` writes site.yml, ansible.cfg, roles/ and one inventory per
#    environment (the environments the spec declares);
#  - per inventory: `ansible-playbook --syntax-check` passes and `ansible-inventory --list` shows
#    every spec group with its hosts (Ansible spelling: `-` -> `_`), the lb group and the host
#    variables the spec gives;
#  - `ansible-lint --offline --profile production` on the tree: "Passed", 0 failures, 0 warnings —
#    and the same linter FAILS on a copy with one `mode:` removed (the gate is live);
#  - `coconut check` on the tree: nothing above info, and the Ansible plays/tasks were read;
#  - content: one play per service with serial / max_fail_percentage, the nginx template with
#    both slots and weights, `validate:` with `nginx -t`, secrets as vault variables only;
#  - hello's systemd-mode nginx.conf rendered by Ansible from each inventory passes `nginx -t`
#    (as root; the start-stop-daemon mode is run for real by real_deploy.sh).
#
# Needs ansible + ansible-lint (scripts/setup-deps.sh installs them): missing tools skip the
# suite locally and fail it in CI.
#
#   bash tests/integration/ansible_target.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_init "$@"
require_tool ansible-playbook ansible-inventory ansible-lint python3
export ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP="$WORK/ansible-tmp" ANSIBLE_HOME="$WORK/ansible-home"
echo "   $(ansible-playbook --version | head -1); $(ansible-lint --version 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"

# pycheck 'python body using spec/inv/out' DESCRIPTION ARGS...: a python assertion script.
pycheck() {
  local body="$1" what="$2" out
  shift 2
  if out="$(python3 -c "$body" "$@" 2>&1)"; then pass "$what${out:+ ($out)}"; else fail "$what: $out"; fi
}

while read -r name spec; do
  out="$WORK/$name"
  if ! expect_rc 0 "$name: generate -t ansible" "$COCONUT" generate -f "$spec" -t ansible -o "$out"; then continue; fi
  A="$out/ansible"
  for f in site.yml ansible.cfg; do
    [[ -f $A/$f ]] && pass "$name: $f written" || fail "$name: $f missing"
  done
  envs="$(spec_environments "$spec")"
  [[ -n $envs ]] || envs=default
  got="$(cd "$A/inventories" && ls | sort | tr '\n' ' ')"
  want="$(tr ' ' '\n' <<<"$envs" | sed '/^$/d' | sort | tr '\n' ' ')"
  [[ $got == "$want" ]] && pass "$name: one inventory per environment ($got)" || fail "$name: inventories '$got', want '$want'"

  for env in $envs; do
    inv="inventories/$env"
    IT_CWD="$A" expect_rc 0 "$name/$env: ansible-playbook --syntax-check" ansible-playbook --syntax-check -i "$inv" site.yml
    IT_CWD="$A" expect_rc 0 "$name/$env: ansible-inventory --list" ansible-inventory -i "$inv" --list
    cp "$WORK/out" "$WORK/$name-$env-inv.json"
    cfg_env=(-e "$env")
    [[ $env == default ]] && cfg_env=()
    "$COCONUT" config -f "$spec" "${cfg_env[@]}" -o json >"$WORK/$name-$env-config.json" 2>"$WORK/err" ||
      { fail "$name/$env: coconut config -o json"; show "$WORK/err"; }
    pycheck '
import json, sys
inv = json.load(open(sys.argv[1]))
cfg = json.load(open(sys.argv[2]))
servers = cfg["targets"]["servers"]
n = 0
for group, hosts in servers["inventory"].items():
    g = group.replace("-", "_")
    names = [h if isinstance(h, str) else h["name"] for h in hosts]
    assert sorted(inv.get(g, {}).get("hosts", [])) == sorted(names), (g, inv.get(g), names)
    for h in hosts:
        if isinstance(h, dict):
            hv = inv["_meta"]["hostvars"][h["name"]]
            if "address" in h: assert hv["ansible_host"] == h["address"], hv
            for k, v in h.get("vars", {}).items(): assert str(hv[k]) == str(v), (k, hv)
    n += len(names)
assert "lb" in inv, "no lb group"
print("%d groups, %d host entries as the spec says" % (len(servers["inventory"]), n))
' "$name/$env: inventory groups, hosts and host vars match the resolved spec" \
      "$WORK/$name-$env-inv.json" "$WORK/$name-$env-config.json"
  done

  # ansible-lint, production profile, offline (it never downloads schemas then).
  (cd "$A" && NO_COLOR=1 tmo ansible-lint --offline --nocolor --profile production >"$WORK/lint.out" 2>&1)
  rc=$?
  if [[ $rc == 0 ]] && grep -q "Passed with production profile: 0 failure(s), 0 warning(s)" "$WORK/lint.out"; then
    pass "$name: ansible-lint --offline --profile production: $(grep -o 'Passed.*' "$WORK/lint.out")"
  else
    fail "$name: ansible-lint --profile production (exit $rc)"
    show "$WORK/lint.out" 30
  fi

  # coconut's own ANS-* rules on the written tree: nothing above info.
  expect_rc 0 "$name: coconut check of the ansible tree" "$COCONUT" check "$A" -f "$spec" --format json
  cp "$WORK/out" "$WORK/$name-check.json"
  pycheck '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if f["severity"] != "info"]
assert not bad, bad[:5]
assert d["summary"]["documents"] >= 10, d["summary"]
print("%d documents, %d info findings" % (d["summary"]["documents"], len(d["findings"])))
' "$name: coconut check reports nothing above info on the plays and tasks" "$WORK/$name-check.json"

  # Content: a play per service (serial, max_fail_percentage, tags), the lb play last.
  pycheck '
import sys, yaml, json
site = yaml.safe_load(open(sys.argv[1] + "/site.yml"))
cfg = json.load(open(sys.argv[2]))
services = list(cfg["services"])
names = [p["name"] for p in site]
assert names[-1] == "Configure the load balancer", names
assert sorted(n[len("Deploy "):] for n in names[:-1]) == sorted(services), names
for p in site[:-1]:
    assert "coconut_serial" in p["serial"] and isinstance(p["max_fail_percentage"], int), p
    assert p["tags"][0] in services and p["roles"][0]["role"] == p["tags"][0].replace("-", "_"), p
print("%d plays" % len(site))
' "$name: site.yml has one play per service (serial, max_fail_percentage, tags) and the lb play" "$A" \
    "$WORK/$name-$(head -1 <<<"$envs")-config.json"
  tmpl="$A/roles/lb/templates/nginx.conf.j2"
  if grep -q "weight=" "$tmpl" && grep -q "' down'" "$tmpl" && grep -q "for slot in \['blue', 'green'\]" "$tmpl"; then
    pass "$name: the nginx upstream template has both slots of every host, weights and down"
  else
    fail "$name: nginx template lacks slots/weights"
  fi
  grep -q "validate: .*nginx -t" "$A/roles/lb/tasks/main.yml" && pass "$name: nginx config is validated with nginx -t before use" ||
    fail "$name: no nginx -t validate in the lb role"
  if grep -rhoE '\{\{ vault_[a-z0-9_]+ \}\}' "$A" >/dev/null; then
    n_vault="$(grep -rhoE '\{\{ vault_[a-z0-9_]+ \}\}' "$A" | sort -u | wc -l)"
    pass "$name: secrets are referenced as $n_vault vault variable(s)"
  fi
done < <(list_examples)

# systemd mode cannot run here (no systemd), but its nginx.conf can be rendered by Ansible from
# the real inventory and checked by the real `nginx -t` (hello: systemd, IP addresses, so no DNS).
if command -v nginx >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  cat >"$WORK/render.yml" <<'YML'
- name: Render the lb configuration
  hosts: lb
  connection: local
  gather_facts: false
  tasks:
    - name: Read the lb role defaults
      ansible.builtin.include_vars:
        file: "{{ playbook_dir }}/roles/lb/defaults/main.yml"
    - name: Render nginx.conf
      ansible.builtin.template:
        src: "{{ playbook_dir }}/roles/lb/templates/nginx.conf.j2"
        dest: "{{ render_to }}/{{ inventory_hostname }}.conf"
        mode: "0644"
YML
  for env in staging production; do
    cp "$WORK/render.yml" "$WORK/hello/ansible/render-test.yml"
    mkdir -p "$WORK/render-$env"
    IT_CWD="$WORK/hello/ansible" run_cmd ansible-playbook -i "inventories/$env" render-test.yml -e "render_to=$WORK/render-$env"
    rm -f "$WORK/hello/ansible/render-test.yml"
    conf="$WORK/render-$env/lb-1.conf"
    if [[ $RC != 0 || ! -f $conf ]]; then
      fail "hello/$env: rendering the systemd-mode nginx.conf failed"; show "$WORK/out" 20; continue
    fi
    n_up="$(grep -c 'weight=100;' "$conf")"; n_down="$(grep -c ' down;' "$conf")"
    hosts="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["web"]["hosts"]))' "$WORK/hello-$env-inv.json")"
    if nginx -t -q -c "$conf" >"$WORK/nginx-t.out" 2>&1 && [[ $n_up == "$hosts" && $n_down == "$hosts" ]]; then
      pass "hello/$env: the systemd-mode nginx.conf rendered by Ansible passes nginx -t ($n_up blue slots up, $n_down green down)"
    else
      fail "hello/$env: nginx -t on the rendered config (up $n_up, down $n_down, hosts $hosts)"; show "$WORK/nginx-t.out"; show "$conf" 40
    fi
  done
fi

# The lint gate is live: the same tree with one file mode removed fails the production profile.
mut="$WORK/mutated"
cp -r "$WORK/hello/ansible" "$mut"
python3 - "$mut/roles/web/tasks/main.yml" <<'PY' || fail "mutation: no mode: 0755 line to remove"
import sys, re
p = sys.argv[1]
s = open(p).read()
s2 = re.sub(r"\n(\s+)mode: [\"']?0755[\"']?\n", "\n", s, count=1)
assert s2 != s
open(p, "w").write(s2)
PY
(cd "$mut" && NO_COLOR=1 tmo ansible-lint --offline --nocolor --profile production >"$WORK/lint-mut.out" 2>&1)
rc=$?
if [[ $rc != 0 ]] && grep -q "risky-file-permissions" "$WORK/lint-mut.out"; then
  pass "ansible-lint fails a tree with a file mode removed (risky-file-permissions, exit $rc)"
else
  fail "ansible-lint did not catch a removed mode (exit $rc)"
  show "$WORK/lint-mut.out" 20
fi

it_finish
