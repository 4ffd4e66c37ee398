#!/usr/bin/env bash
# Writes a synthetic coconut.yaml with N services to stdout, for bench/bench.sh.
#
#   bench/make_spec.sh N > spec.yaml
#
# Mix per block of 10 services: 2 web (port, health, ingress with TLS), 5 backend (port,
# health), 2 worker (no port), 1 job (cron schedule). Every service has env, secrets and
# resources; services depend on the next one of their block (depends_on chains of up to 9).
# 3 of the 5 backends of a block are built from source (`build: {runtime: ...}`, the runtime
# rotating node, python, go, java over all built services; images named from `registry:`) so
# the `dockerfile` target has work; every other service uses a prebuilt `image:`.
# Environments: dev (everything at 1 replica), staging (small HPA ranges), production (larger
# replica ranges and resources for every service, so its overlay patches every workload).
# Targets: every one (kubernetes, ecs with copilot, servers with a host group per service).
set -euo pipefail
n="${1:?usage: make_spec.sh N}"
[[ $n =~ ^[0-9]+$ && $n -ge 1 ]] || { echo "make_spec.sh: N must be a positive integer" >&2; exit 2; }

awk -v n="$n" '
function name(i) { return sprintf("svc-%04d", i) }
# built(i): a backend built from source (the 1st, 3rd and 5th backend of its block).
function built(i,   m) { m = (i - 1) % 10; return m == 2 || m == 4 || m == 6 }
function kind(i,   m) {
  m = (i - 1) % 10
  if (m < 2) return "web"
  if (m < 7) return "backend"
  if (m < 9) return "worker"
  return "job"
}
BEGIN {
  split("node python go java", runtimes, " ")
  print "# synthetic spec for bench/bench.sh: " n " services"
  print "apiVersion: coconut.dev/v1"
  print "name: bench"
  print "version: 1.0.0"
  print "registry: registry.example.com/bench"
  print "services:"
  for (i = 1; i <= n; i++) {
    t = kind(i); s = name(i)
    print "  " s ":"
    print "    type: " t
    if (built(i)) print "    build: {runtime: " runtimes[nbuilt++ % 4 + 1] "}"
    else print "    image: registry.example.com/bench/" s ":1.0." i
    if (t == "web" || t == "backend") {
      print "    port: " (t == "web" ? 8080 : 9000)
      print "    health: {path: /healthz, interval: 10s, timeout: 2s}"
    }
    if (t == "job") print "    schedule: \"" (i % 60) " 3 * * *\""
    print "    env:"
    print "      LOG_LEVEL: info"
    print "      SERVICE_NAME: " s
    print "      FEATURE_FLAGS: \"a,b,c\""
    print "    secrets:"
    print "      DATABASE_URL: bench/" s "/db-url"
    print "      API_KEY: bench/" s "/api-key"
    print "    resources: {cpu: 100m, memory: 128Mi}"
    if (t == "web") {
      print "    replicas: {min: 2, max: 6, cpu_percent: 70}"
      print "    ingress: {host: " s ".bench.example.com, path: /, tls: true}"
    } else if (t != "job") {
      print "    replicas: {min: 1, max: 3}"
    }
    # chain: each service depends on the next service of its block (not on jobs).
    if ((i % 10) != 0 && (i % 10) != 9 && i < n && kind(i + 1) != "job")
      print "    depends_on: [" name(i + 1) "]"
  }
  # Every target enabled: kubernetes (always), ecs + copilot, and ansible with a host group per
  # service (two hosts each; services sharing hosts would need distinct ports) and an lb group.
  print "targets:"
  print "  kubernetes: {namespace: bench}"
  print "  ecs: {copilot: true}"
  print "  servers:"
  print "    inventory:"
  for (i = 1; i <= n; i++) print "      " name(i) ": [" name(i) "-a.bench.example.com, " name(i) "-b.bench.example.com]"
  print "      lb: [lb-1.bench.example.com, lb-2.bench.example.com]"
  print "environments:"
  print "  dev:"
  print "    services:"
  for (i = 1; i <= n; i++) if (kind(i) != "job") print "      " name(i) ": {replicas: {min: 1, max: 1}}"
  print "  staging:"
  print "    services:"
  for (i = 1; i <= n; i++) if (kind(i) == "web") print "      " name(i) ": {replicas: {min: 1, max: 3}}"
  print "  production:"
  print "    services:"
  for (i = 1; i <= n; i++) {
    t = kind(i)
    if (t == "job") print "      " name(i) ": {resources: {cpu: 200m, memory: 256Mi}}"
    else if (t == "web") print "      " name(i) ": {replicas: {min: 4, max: 20}, resources: {cpu: 500m, memory: 512Mi}}"
    else print "      " name(i) ": {replicas: {min: 2, max: 8}, resources: {cpu: 250m, memory: 256Mi}}"
  }
}'
