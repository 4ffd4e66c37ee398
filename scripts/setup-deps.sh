#!/usr/bin/env bash
# Installs every build and test dependency of coconut on a fresh Debian 12 machine.
#
#   scripts/setup-deps.sh            build + test dependencies
#   scripts/setup-deps.sh --bench    ... plus the benchmark-only tools (hyperfine; the npm
#                                    Dockerfile linter of bench/check.sh in bench/node)
#
# Idempotent and fast when everything is present: apt-get update/install run only when a
# package is missing (checked with dpkg-query), and `npm ci` runs only when the lock file
# changed since the last install. Only Debian's apt repositories and the npm registry are
# used; nothing else is downloaded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_TOOLS_DIR="$ROOT/tests/integration/node"
BENCH_NODE_DIR="$ROOT/bench/node"

want_bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup-deps: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf 'setup-deps: %s\n' "$*"; }
die() { printf 'setup-deps: error: %s\n' "$*" >&2; exit 1; }

# Debian packages. Every tool an integration suite needs is here: in CI (CI=true) a missing
# tool fails the suite instead of skipping it. A new suite that needs a new tool adds it here.
APT_PACKAGES=(
  # build: compiler, build system, libraries
  g++ cmake ninja-build pkg-config make
  libfyaml-dev libcli11-dev nlohmann-json3-dev libexpected-dev
  # sanitizer build (build-asan/) and the libFuzzer harnesses of fuzz/: clang 14 (libFuzzer
  # is its libclang_rt.fuzzer)
  clang
  # unit tests
  libgtest-dev libgmock-dev googletest
  # integration suites: GNU time (peak RSS), HTTP client, file(1), python3 (zip extraction in
  # helm.sh), git
  time curl file python3 git ca-certificates
  # YamlPyYaml.* unit tests: PyYAML is the reference the YAML layer is compared with (test-only)
  python3-yaml
  # build.sh: daemonless containers and a local registry (../shared/LAB.md)
  buildah podman skopeo runc slirp4netns uidmap containernetworking-plugins docker-registry
  # hello.sh: promtool check metrics
  prometheus
  # ansible_lint.sh: coconut's Ansible rules side by side with the real ansible-lint
  ansible ansible-lint
  # lab_hosts.sh and the real deploys on it: sshd test hosts in network namespaces, nginx in front
  openssh-server openssh-client iproute2 nginx
)
if [[ $want_bench == 1 ]]; then
  APT_PACKAGES+=(hyperfine)
fi
# Node.js >= 18 with npm: these machines ship it (NodeSource's nodejs, npm included); on an image
# without any node, Debian 12's own (nodejs 18 + the separate npm package) does.
if ! command -v node >/dev/null 2>&1; then
  APT_PACKAGES+=(nodejs npm)
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing: run as root"
  SUDO=(sudo)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ $status == installed ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -o DPkg::Lock::Timeout=600 </dev/null
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "${missing[@]}" </dev/null
else
  log "Debian packages present (${#APT_PACKAGES[@]} checked)"
fi

# Tools that do not come from Debian's repositories on these machines: verify only. (Helm 3
# and 4 come from npm packages; tests/integration/helm.sh fetches and caches them itself.)
command -v kubectl >/dev/null 2>&1 ||
  die "kubectl not found. It is not in Debian's repositories; these machines ship kubectl 1.32 (with kustomize 5.5) preinstalled. Install kubectl >= 1.27 on PATH and re-run."
kubectl kustomize --help >/dev/null 2>&1 || die "kubectl on PATH has no 'kustomize' subcommand (need kubectl >= 1.14; 1.32 expected)"

command -v node >/dev/null 2>&1 ||
  die "node not found after installing Debian's nodejs package"
command -v npm >/dev/null 2>&1 ||
  die "npm not found: Node.js >= 18 with npm is expected on these machines"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 18)) || die "Node.js >= 18 required (found $(node --version))"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) missing after install"

# npm_ci DIR WHAT: installs DIR's npm packages locally from its committed lock file (pinned
# versions), only when the lock changed since the last install.
npm_ci() {
  local dir="$1" what="$2" lock stamp lock_sum
  lock="$dir/package-lock.json"
  [[ -f $lock ]] || die "missing $lock"
  stamp="$dir/node_modules/.coconut-lock.sha256"
  lock_sum="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [[ -f $stamp && "$(cat "$stamp")" == "$lock_sum" ]]; then
    log "$what present ($dir/node_modules)"
  else
    log "installing $what with npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error </dev/null)
    printf '%s\n' "$lock_sum" >"$stamp"
  fi
}

# Test-only npm tools.
npm_ci "$NODE_TOOLS_DIR" "npm test tools"
(cd "$NODE_TOOLS_DIR" && node -e 'require("ajv"); require("ajv-formats"); require("yaml")') ||
  die "npm test tools failed to load from $NODE_TOOLS_DIR/node_modules"
if [[ $want_bench == 1 ]]; then
  # bench/check.sh: dockerfilelint, the npm Dockerfile linter coconut check is compared with.
  npm_ci "$BENCH_NODE_DIR" "npm bench tools"
  (cd "$BENCH_NODE_DIR" && node -e 'require.resolve("dockerfilelint/package.json")') ||
    die "npm bench tools failed to load from $BENCH_NODE_DIR/node_modules"
fi

log "ok: $(g++ --version | head -1); $(cmake --version | head -1); kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p'); node $(node --version)"
