# Test hosts for the suites that deploy for real (../shared/LAB.md, "Servers for Ansible"):
# N "servers", each its own network namespace with an sshd, reachable from this machine over a
# bridge on a private /24 that exists only for the test. Sourced by the suites; run directly it
# self-tests (ctest: integration.lab_hosts): three hosts up, ssh into each, each sees only its
# own address, a port bound on one is free on the others, everything gone after teardown.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lab_hosts.sh"
#   lab_hosts_up 3 "$WORK/lab"     # or fails with a reason (returns 1)
#   ... LAB_HOSTS=(10.201.7.11 10.201.7.12 10.201.7.13), LAB_SSH_PORT=22, LAB_SSH_USER=deploy,
#   ... LAB_SSH_KEY=$WORK/lab/id_ed25519, LAB_HOST_NAMES=(lab1 lab2 lab3),
#   ... LAB_HOST_ROOTS=($WORK/lab/hosts/lab1 …): a directory per host owned by the ssh user (the
#   ... namespaces share ONE file system: a host's files must live under its own root),
#   ... LAB_GATEWAY=10.201.7.1 (this machine's address on the bridge; a service on this machine
#   ... listening there, e.g. nginx, is reachable from the hosts)
#   lab_hosts_down                 # idempotent; also run by lab_hosts_up's caller's EXIT trap
#
# Traffic rule of these machines: packets go only to 127.0.0.0/8 and to the namespaces made
# here. The subnet is 10.201.X.0/24 with X picked so that no route of this machine overlaps it;
# nothing else in 10/8 is ever addressed. Everything started is stopped by PID (sshd pidfiles, and
# every process still inside a namespace: `ip netns pids`).
#
# Logins are as a non-root user with /bin/sh (root's shell start-up files cost ~0.6 s per
# remote command); the user is created once (useradd) and left in place: it has no password
# (`usermod -p '*'`), only the key this file generates per run is authorised, and sshd runs only
# inside the test's namespaces.
# shellcheck shell=bash

LAB_SSH_USER="${LAB_SSH_USER:-deploy}"
LAB_SSH_PORT=22
LAB_HOSTS=()
LAB_HOST_NAMES=()
LAB_HOST_ROOTS=()
LAB_NETNS=()
LAB_BRIDGE=""
LAB_DIR=""
LAB_GATEWAY=""
LAB_SSH_KEY=""

_lab_log() { printf 'lab_hosts: %s\n' "$*" >&2; }

# A /24 in 10.201.0.0/16 that no current route or address overlaps.
_lab_pick_subnet() {
  local x routes
  routes="$(ip -4 route show table all 2>/dev/null; ip -4 addr show 2>/dev/null)"
  for ((x = ($$ % 200) + 10; x < 250; x++)); do
    grep -q "10\.201\.$x\." <<<"$routes" || { echo "$x"; return 0; }
  done
  return 1
}

lab_hosts_up() {
  local n="${1:-3}" dir="${2:-}" i x name addr
  [[ -n $dir ]] || { _lab_log "usage: lab_hosts_up N DIR"; return 1; }
  [[ $(id -u) -eq 0 ]] || { _lab_log "needs root (ip netns, sshd)"; return 1; }
  local t
  for t in ip /usr/sbin/sshd ssh ssh-keygen; do
    command -v "$t" >/dev/null 2>&1 || { _lab_log "$t not found (apt-get install openssh-server openssh-client iproute2)"; return 1; }
  done
  mkdir -p "$dir" && LAB_DIR="$(cd "$dir" && pwd)"
  chmod 755 "$LAB_DIR"
  # sshd reads authorized_keys as the user, and the user writes its host root: every directory
  # above LAB_DIR must be traversable (a suite's mktemp -d work dir is 0700).
  local up="$LAB_DIR"
  while [[ $up != / ]]; do
    up="$(dirname "$up")"
    [[ -n "$(find "$up" -maxdepth 0 -perm -o+x)" ]] || chmod o+x "$up" || { _lab_log "cannot make $up traversable"; return 1; }
  done

  if ! id "$LAB_SSH_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/sh "$LAB_SSH_USER" || { _lab_log "useradd $LAB_SSH_USER failed"; return 1; }
    usermod -p '*' "$LAB_SSH_USER"
  fi
  mkdir -p /run/sshd

  ssh-keygen -q -t ed25519 -N '' -C coconut-lab -f "$LAB_DIR/id_ed25519" || return 1
  ssh-keygen -q -t ed25519 -N '' -C coconut-lab-host -f "$LAB_DIR/host_ed25519" || return 1
  cp "$LAB_DIR/id_ed25519.pub" "$LAB_DIR/authorized_keys"
  chmod 644 "$LAB_DIR/authorized_keys"
  LAB_SSH_KEY="$LAB_DIR/id_ed25519"

  x="$(_lab_pick_subnet)" || { _lab_log "no free 10.201.X.0/24 subnet"; return 1; }
  LAB_GATEWAY="10.201.$x.1"
  LAB_BRIDGE="cocolab$x"
  ip link add "$LAB_BRIDGE" type bridge || { _lab_log "ip link add bridge failed"; return 1; }
  ip addr add "$LAB_GATEWAY/24" dev "$LAB_BRIDGE"
  ip link set "$LAB_BRIDGE" up

  for ((i = 1; i <= n; i++)); do
    name="lab$i"
    addr="10.201.$x.$((10 + i))"
    local ns="coco$x-$i" veth_host="cl$x-$i" veth_ns="cl$x-$i-ns"
    ip netns add "$ns" || { _lab_log "ip netns add $ns failed"; lab_hosts_down; return 1; }
    LAB_NETNS+=("$ns")
    ip link add "$veth_host" type veth peer name "$veth_ns" netns "$ns" || { lab_hosts_down; return 1; }
    ip link set "$veth_host" master "$LAB_BRIDGE"
    ip link set "$veth_host" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr/24" dev "$veth_ns"
    ip -n "$ns" link set "$veth_ns" up
    ip -n "$ns" route add default via "$LAB_GATEWAY"

    mkdir -p "$LAB_DIR/sshd/$name" "$LAB_DIR/hosts/$name"
    chown "$LAB_SSH_USER": "$LAB_DIR/hosts/$name"
    cat >"$LAB_DIR/sshd/$name/sshd_config" <<EOF
ListenAddress $addr:$LAB_SSH_PORT
HostKey $LAB_DIR/host_ed25519
PidFile $LAB_DIR/sshd/$name/sshd.pid
AuthorizedKeysFile $LAB_DIR/authorized_keys
AllowUsers $LAB_SSH_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
X11Forwarding no
PrintMotd no
Subsystem sftp internal-sftp
EOF
    ip netns exec "$ns" /usr/sbin/sshd -f "$LAB_DIR/sshd/$name/sshd_config" -E "$LAB_DIR/sshd/$name/log" ||
      { _lab_log "sshd in $ns failed: $(tail -3 "$LAB_DIR/sshd/$name/log" 2>/dev/null)"; lab_hosts_down; return 1; }
    LAB_HOSTS+=("$addr")
    LAB_HOST_NAMES+=("$name")
    LAB_HOST_ROOTS+=("$LAB_DIR/hosts/$name")
  done

  # Ready when every host answers a login (sshd forks its listener before it returns, but be sure).
  local deadline=$((SECONDS + 20))
  for addr in "${LAB_HOSTS[@]}"; do
    until lab_ssh "$addr" true 2>/dev/null; do
      ((SECONDS < deadline)) || { _lab_log "no ssh login to $addr within 20 s"; lab_hosts_down; return 1; }
      sleep 0.2
    done
  done
  export LAB_HOSTS LAB_HOST_NAMES LAB_HOST_ROOTS LAB_SSH_USER LAB_SSH_PORT LAB_SSH_KEY LAB_GATEWAY LAB_DIR
  return 0
}

# lab_ssh ADDR CMD...: runs CMD on a test host as the ssh user.
lab_ssh() {
  local addr="$1"
  shift
  ssh -q -i "$LAB_SSH_KEY" -p "$LAB_SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 "$LAB_SSH_USER@$addr" "$@"
}

lab_hosts_down() {
  local ns pid f
  for ns in "${LAB_NETNS[@]}"; do
    # Everything still running inside the namespace: sshd and whatever a play started there.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
  done
  if ((${#LAB_NETNS[@]})); then
    local deadline=$((SECONDS + 5)) left
    while :; do
      left=0
      for ns in "${LAB_NETNS[@]}"; do [[ -n "$(ip netns pids "$ns" 2>/dev/null)" ]] && left=1; done
      ((left == 0 || SECONDS >= deadline)) && break
      sleep 0.1
    done
    for ns in "${LAB_NETNS[@]}"; do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
      ip netns del "$ns" 2>/dev/null
    done
  fi
  if [[ -n $LAB_DIR ]]; then
    for f in "$LAB_DIR"/sshd/*/sshd.pid; do
      [[ -f $f ]] && kill -TERM "$(cat "$f")" 2>/dev/null
    done
  fi
  [[ -n $LAB_BRIDGE ]] && ip link del "$LAB_BRIDGE" 2>/dev/null
  LAB_NETNS=()
  LAB_BRIDGE=""
  LAB_HOSTS=()
  return 0
}

# --- self-test (run directly) ----------------------------------------------------------------------
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
  it_init "$@"
  require_tool ip /usr/sbin/sshd ssh ssh-keygen
  [[ $(id -u) -eq 0 ]] || skip_or_fail "needs root for network namespaces"
  trap 'lab_hosts_down; _it_cleanup' EXIT
  started=$SECONDS
  if lab_hosts_up 3 "$WORK/lab"; then
    pass "3 hosts up in $((SECONDS - started)) s: ${LAB_HOSTS[*]}"
    for i in 0 1 2; do
      addr="${LAB_HOSTS[$i]}"
      out="$(lab_ssh "$addr" 'id -un; ip -4 -o addr show scope global 2>/dev/null | awk "{print \$4}"' 2>&1)"
      if [[ $out == "$LAB_SSH_USER"$'\n'"$addr/24" ]]; then
        pass "host $((i + 1)): login as $LAB_SSH_USER, sees only its own address $addr"
      else
        fail "host $((i + 1)) ($addr): expected '$LAB_SSH_USER' and '$addr/24', got: $out"
      fi
      if lab_ssh "$addr" "touch '${LAB_HOST_ROOTS[$i]}/probe'" && [[ -f ${LAB_HOST_ROOTS[$i]}/probe ]]; then
        pass "host $((i + 1)): its root ${LAB_HOST_ROOTS[$i]} is writable by $LAB_SSH_USER"
      else
        fail "host $((i + 1)): cannot write its root ${LAB_HOST_ROOTS[$i]}"
      fi
    done
    # Isolation: the same port bound on host 1 is still free on host 2 (real servers, not one stack).
    lab_ssh "${LAB_HOSTS[0]}" 'exec python3 -c "import socket,time;s=socket.socket();s.bind((\"0.0.0.0\",18080));s.listen();time.sleep(30)"' 2>/dev/null &
    holder=$!
    sleep 0.5
    if lab_ssh "${LAB_HOSTS[1]}" 'python3 -c "import socket;s=socket.socket();s.bind((\"0.0.0.0\",18080))"'; then
      pass "port 18080 bound on host 1 is free on host 2 (separate network stacks)"
    else
      fail "port 18080 bound on host 1 is taken on host 2: the hosts share a network stack"
    fi
    ns_list="${LAB_NETNS[*]}"
    bridge="$LAB_BRIDGE"
    lab_hosts_down
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    leftover=""
    for ns in $ns_list; do ip netns list | grep -qw "$ns" && leftover+=" netns:$ns"; done
    ip link show "$bridge" >/dev/null 2>&1 && leftover+=" bridge:$bridge"
    pgrep -f "sshd -f $WORK/lab" >/dev/null && leftover+=" sshd"
    if [[ -z $leftover ]]; then pass "teardown leaves no namespace, bridge or sshd"; else fail "teardown left:$leftover"; fi
  else
    fail "lab_hosts_up 3 failed"
  fi
  it_finish
fi
