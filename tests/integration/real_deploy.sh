#!/usr/bin/env bash
# A REAL deploy with the generated Ansible tree (label `real-deploy`): three sshd test hosts in
# network namespaces (lab_hosts.sh), examples/hello's spec with a `targets.servers` block that
# points at them (start-stop-daemon: there is no systemd in a namespace), nginx on this machine.
#
#  1. `coconut generate -t ansible`, then the GENERATED site.yml, unchanged, with only `-e` vars:
#     the hello binary (web_artifact_src) and the ssh key. serial 1: three batches of one host.
#  2. Through nginx: GET / is answered by each of the three hosts (each runs with its own
#     HELLO_VERSION from the spec's per-host `env`, and nginx's access log names three upstream
#     addresses); GET /healthz -> 200 "ok".
#  3. The deploy interface (docs/generators/ansible.md): `-e coconut_slot=green --tags web`
#     installs the green slot next to blue (from a release archive this time), `--tags lb -e coconut_active_slot=green` switches
#     nginx to it (requests now reach port 8081), per-service weights `{web: {blue: 1, green: 1}}`
#     (over global ones) send to both,
#     and `-e coconut_slot=blue -e coconut_slot_state=stopped` stops blue behind a green-only nginx.
#  4. Teardown, also on failure (EXIT trap): every process in the namespaces (sshd, the hello
#     slots) and nginx are killed by PID, namespaces and bridge removed, files deleted.
# Prints its wall time. Needs root (network namespaces), ansible, sshd, nginx, curl.
#
#   bash tests/integration/real_deploy.sh build/coconut
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lab_hosts.sh"
it_init "$@"
require_tool ansible-playbook ip /usr/sbin/sshd /usr/sbin/nginx /usr/sbin/start-stop-daemon curl python3
[[ $(id -u) -eq 0 ]] || skip_or_fail "needs root (network namespaces for the test hosts)"
BUILD="${COCONUT_BUILD_DIR:-$(dirname "$COCONUT")}"
HELLO="$BUILD/examples/hello/hello"
[[ -x $HELLO ]] || skip_or_fail "hello binary not built: $HELLO (build the examples: cmake --build build)"

STARTED=$SECONDS
LB_ROOT="$WORK/lb-root"
NGINX_PID=""
# Ansible's ssh connection masters (ControlPersist) of this run: asked to exit via their sockets.
stop_ssh_masters() {
  local sock
  for sock in "$WORK"/ansible-home/cp/*; do
    [[ -S $sock ]] && ssh -o ControlPath="$sock" -O exit lab >/dev/null 2>&1
  done
  return 0
}
teardown() {
  stop_ssh_masters
  # nginx (started by the play with start-stop-daemon and a pidfile), then the test hosts.
  local pidfile="$LB_ROOT/hello/lb/nginx.pid"
  if [[ -f $pidfile ]]; then
    NGINX_PID="$(cat "$pidfile")"
    kill -TERM "$NGINX_PID" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$NGINX_PID" 2>/dev/null
  fi
  lab_hosts_down
  _it_cleanup
}
trap teardown EXIT

if ! lab_hosts_up 3 "$WORK/lab"; then
  fail "lab_hosts_up 3: no test hosts"
  it_finish
fi
pass "3 test hosts up: ${LAB_HOSTS[*]} (ssh as $LAB_SSH_USER)"

# A free port for nginx on 127.0.0.1 (unprivileged).
LB_PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"

# The spec: examples/hello with a servers target for the lab (and no other target).
SPEC="$WORK/coconut.yaml"
python3 - "$SRC/examples/hello/coconut.yaml" "$SPEC" "$LB_PORT" "$LB_ROOT" "${LAB_HOSTS[*]}" "${LAB_HOST_NAMES[*]}" \
  "${LAB_HOST_ROOTS[*]}" <<'PY'
import sys, yaml
src, dst, port, lb_root, addrs, names, roots = sys.argv[1:8]
spec = yaml.safe_load(open(src))
spec.pop("environments", None)
# A value that looks like Jinja must reach the host literally (never evaluated by Ansible).
spec["services"]["web"]["env"] = {"COCONUT_LITERAL": "{{ lookup('pipe', 'id') }} {% endraw %}"}
web = []
for name, addr, root in zip(names.split(), addrs.split(), roots.split()):
    web.append({"name": name, "address": addr,
                "env": {"HELLO_VERSION": f"{spec['version']}-{name}"},
                "vars": {"coconut_root": root}})
spec["targets"] = {"servers": {
    "inventory": {
        "web": web,
        "lb": [{"name": "lb-1", "address": "127.0.0.1",
                "vars": {"ansible_connection": "local", "coconut_root": lb_root,
                         "lb_listen_address": "127.0.0.1"}}],
    },
    "user": "deploy",
    "service_manager": "start-stop-daemon",
    "lb_port": int(port),
    "serial": 1,
}}
yaml.safe_dump(spec, open(dst, "w"), sort_keys=False)
PY
expect_rc 0 "generate -t ansible for the lab spec" "$COCONUT" generate -f "$SPEC" -t ansible -o "$WORK/gen" || it_finish
A="$WORK/gen/ansible"
mkdir -p "$LB_ROOT"

export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_NOCOLOR=1 ANSIBLE_HOME="$WORK/ansible-home" \
  ANSIBLE_LOCAL_TEMP="$WORK/ansible-tmp" ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null"
play() {
  local t0=$SECONDS
  IT_TIMEOUT=300 IT_CWD="$A" run_cmd ansible-playbook -i inventories/default site.yml \
    -e "ansible_ssh_private_key_file=$LAB_SSH_KEY" -e "web_artifact_src=$HELLO" "$@"
  PLAY_SECONDS=$((SECONDS - t0))
}

# ---- 1. deploy (blue slot, serial 1) ---------------------------------------------------------------
play
cp "$WORK/out" "$WORK/play1.out"
if [[ $RC == 0 ]]; then
  pass "ansible-playbook site.yml (generated, unchanged): deployed in ${PLAY_SECONDS} s"
else
  fail "ansible-playbook site.yml: exit $RC"
  tail -40 "$WORK/play1.out" | show - 40
  show "$WORK/err" 10
  it_finish
fi
batches="$(grep -c '^PLAY \[Deploy web\]' "$WORK/play1.out")"
[[ $batches == 3 ]] && pass "serial 1: the web play ran in 3 batches of one host" || fail "web play batches: $batches (want 3)"
grep -q 'failed=[1-9]' "$WORK/play1.out" && fail "a host failed in the recap" || pass "recap: no failed host"
health_ok="$(grep -c 'TASK \[web : Wait until web is healthy\]' "$WORK/play1.out")"
((health_ok == 3)) && pass "health check (ansible.builtin.uri /healthz) ran once per batch" || fail "health check ran $health_ok times"

envfile="${LAB_HOST_ROOTS[0]}/hello/web/blue/web.env"
if grep -qF "COCONUT_LITERAL='{{ lookup('\"'\"'pipe'\"'\"', '\"'\"'id'\"'\"') }} {% endraw %}'" "$envfile"; then
  pass "a Jinja-looking env value reached the host literally ($envfile)"
else
  fail "Jinja-looking env value not literal in $envfile"
  show "$envfile"
fi

# ---- 2. through nginx ------------------------------------------------------------------------------
declare -A seen=()
for _ in $(seq 1 30); do
  body="$(curl -s --max-time 5 "http://127.0.0.1:$LB_PORT/")"
  seen["$body"]=1
done
n_hosts=0
for name in "${LAB_HOST_NAMES[@]}"; do
  if [[ -n ${seen["hello from coconut 1.0.0-$name"]:-} ]]; then n_hosts=$((n_hosts + 1)); fi
done
if ((n_hosts == 3)); then
  pass "30 requests through nginx were answered by all 3 hosts (${!seen[*]})"
else
  fail "answers through nginx came from $n_hosts host(s): ${!seen[*]}"
fi
ACCESS="$LB_ROOT/hello/lb/logs/access.log"
upstreams="$(grep -o 'upstream=[0-9.:]*' "$ACCESS" | sort -u | tr '\n' ' ')"
n_up="$(grep -o 'upstream=[0-9.:]*' "$ACCESS" | sort -u | wc -l)"
want_up="$(for a in "${LAB_HOSTS[@]}"; do echo "upstream=$a:8080"; done | sort | tr '\n' ' ')"
[[ $upstreams == "$want_up" ]] && pass "nginx access log: upstreams are the 3 hosts' blue slots ($upstreams)" ||
  fail "nginx upstreams: '$upstreams' ($n_up), want '$want_up'"
code="$(curl -s -o "$WORK/healthz" -w '%{http_code}' --max-time 5 "http://127.0.0.1:$LB_PORT/healthz")"
[[ $code == 200 && $(cat "$WORK/healthz") == ok* ]] && pass "/healthz through nginx: 200 ok" ||
  fail "/healthz through nginx: $code $(head -c 100 "$WORK/healthz")"

# ---- 3. the deploy interface: green slot, switch, weights ------------------------------------------
# The green slot is installed from a release archive (web_artifact_archive) instead of the binary.
tar -C "$(dirname "$HELLO")" -czf "$WORK/hello-release.tar.gz" hello
play --tags web -e coconut_slot=green -e "web_artifact_src=$WORK/hello-release.tar.gz" -e web_artifact_archive=true
cp "$WORK/out" "$WORK/play2.out"
[[ $RC == 0 ]] && pass "deploy into slot green from a release archive (-e coconut_slot=green --tags web): ${PLAY_SECONDS} s" ||
  { fail "green deploy: exit $RC"; tail -30 "$WORK/play2.out" | show - 30; }
g="${LAB_HOST_ROOTS[2]}/hello/web/green"
[[ -f $g/release.archive && -x $g/bin/hello ]] && cmp -s "$g/bin/hello" "$HELLO" &&
  pass "green slot: the archive was unpacked into bin/ ($g)" || fail "green slot: no unpacked binary in $g/bin"
running="$(for r in "${LAB_HOST_ROOTS[@]}"; do for s in blue green; do
  f="$r/hello/web/$s/run/web.pid"; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && echo "$s"; done; done | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
[[ $running == " 3 blue, 3 green," ]] && pass "both slots run on every host (pidfiles: $running)" || fail "slots running: '$running'"
: >"$ACCESS"
play --tags lb -e coconut_active_slot=green
sleep 1   # the HUP-reloaded workers take over
[[ $RC == 0 ]] && pass "switch nginx to green (--tags lb -e coconut_active_slot=green): ${PLAY_SECONDS} s" ||
  { fail "switch: exit $RC"; tail -30 "$WORK/out" | show - 30; }
for _ in $(seq 1 12); do curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$LB_PORT/"; done
ports="$(grep -o 'upstream=[0-9.]*:[0-9]*' "$ACCESS" | sed 's/.*://' | sort -u | tr '\n' ' ')"
[[ $ports == "8081 " ]] && pass "after the switch every request went to a green slot (port 8081)" ||
  fail "after the switch upstream ports were '$ports'"
: >"$ACCESS"
# Per-service weights win over the global ones (which here would send everything to green).
play --tags lb -e '{"coconut_weights": {"blue": 0, "green": 1}, "coconut_service_weights": {"web": {"blue": 1, "green": 1}}}'
sleep 1
for _ in $(seq 1 24); do curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$LB_PORT/"; done
ports="$(grep -o 'upstream=[0-9.]*:[0-9]*' "$ACCESS" | sed 's/.*://' | sort -u | tr '\n' ' ')"
[[ $RC == 0 && $ports == "8080 8081 " ]] && pass "coconut_service_weights web: blue=1 green=1 (over global blue=0): requests reach both slots ($ports)" ||
  fail "weights: exit $RC, upstream ports '$ports'"
grep -q "weight=1;" "$LB_ROOT/hello/lb/nginx.conf" && ! grep -q " down;" "$LB_ROOT/hello/lb/nginx.conf" &&
  pass "nginx.conf carries the weights (no slot down)" || fail "nginx.conf weights not as asked"

# Blue-green finish: traffic back to green only, then the blue slots stopped; nothing fails.
play --tags lb -e coconut_active_slot=green
rc_lb=$RC
play --tags web -e coconut_slot=blue -e coconut_slot_state=stopped
rc_stop=$RC
sleep 1
stopped="$(for r in "${LAB_HOST_ROOTS[@]}"; do for s in blue green; do
  f="$r/hello/web/$s/run/web.pid"; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && echo "$s"; done; done | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
[[ $rc_lb == 0 && $rc_stop == 0 && $stopped == " 3 green," ]] &&
  pass "-e coconut_slot=blue -e coconut_slot_state=stopped: blue stopped on every host, green runs ($stopped)" ||
  fail "stopping blue: lb exit $rc_lb, stop exit $rc_stop, running: '$stopped'"
codes="$(for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "http://127.0.0.1:$LB_PORT/"; done | sort | uniq -c | tr -s ' ')"
[[ $codes == " 20 200" ]] && pass "after blue stopped: 20/20 requests through nginx answered 200" || fail "after blue stopped: $codes"

# ---- 4. teardown -----------------------------------------------------------------------------------
ns_list="${LAB_NETNS[*]}"
teardown_pidfile="$LB_ROOT/hello/lb/nginx.pid"
nginx_pid="$(cat "$teardown_pidfile" 2>/dev/null)"
trap - EXIT
teardown_start=$SECONDS
pidfile="$LB_ROOT/hello/lb/nginx.pid"
[[ -n $nginx_pid ]] && kill -TERM "$nginx_pid" 2>/dev/null
for _ in $(seq 1 25); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.2; done
stop_ssh_masters
lab_hosts_down
left=""
[[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null && left+=" nginx:$nginx_pid"
for ns in $ns_list; do ip netns list | grep -qw "$ns" && left+=" netns:$ns"; done
ls "$WORK"/ansible-home/cp/* >/dev/null 2>&1 && left+=" ssh-control-sockets"
[[ -z $left ]] && pass "teardown: nginx and ssh masters stopped, namespaces (and the hello slots in them) gone" || fail "teardown left:$left"
echo "   wall time: $((SECONDS - STARTED)) s (teardown $((SECONDS - teardown_start)) s)"
_it_cleanup
it_finish
