#!/usr/bin/env bash
# Gathers the seed corpus of one fuzz harness from the tests' own files (nothing is copied into
# the repository; fuzz/corpus/<name>/ holds only hand-picked inputs such as crash reproducers):
#
#   fuzz/seed.sh NAME OUT_DIR      NAME: yaml spec dockerfile ansible kyverno inputs
#
# OUT_DIR is emptied first; files are named by their content hash (duplicates collapse) and
# files above 64 KiB (the harnesses' -max_len) are left out.
set -euo pipefail

name="${1:?usage: fuzz/seed.sh NAME OUT_DIR}"
out="${2:?usage: fuzz/seed.sh NAME OUT_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf "$out"
mkdir -p "$out"

# add FILE [PREFIX_BYTE_OCTAL]: one seed (the inputs harness reads a selector byte first).
add() {
  local file=$1 prefix=${2:-}
  [[ -f $file && $(stat -c %s "$file") -le 65536 ]] || return 0
  local tmp="$out/.tmp"
  { [[ -z $prefix ]] || printf "\\$prefix"; cat "$file"; } >"$tmp"
  mv "$tmp" "$out/$(sha1sum "$tmp" | cut -c1-40)"
}

yaml_files() { find tests examples -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z; }
docker_files() { find tests examples -type f \( -name '*Dockerfile*' -o -name 'Containerfile*' \) -print0 | sort -z; }

case $name in
  yaml)
    while IFS= read -r -d '' f; do add "$f"; done < <(yaml_files) ;;
  spec)
    while IFS= read -r -d '' f; do add "$f"; done < <(find examples tests/spec_errors tests/golden -type f \
      \( -name 'coconut*.yaml' -o -path 'tests/spec_errors/*.yaml' \) -print0 | sort -z) ;;
  dockerfile)
    while IFS= read -r -d '' f; do add "$f"; done < <(docker_files)
    while IFS= read -r -d '' f; do add "$f"; done < <(find tests/policy/inputs/dockerfile -type f -print0 | sort -z) ;;
  ansible)
    while IFS= read -r -d '' f; do add "$f"; done < <(find tests/ansible_corpus tests/policy/inputs/ansible \
      tests/policy -type f \( -name '*.yml' -o -name '*.yaml' \) \( -path '*ansible*' -o -path '*/ANS-*' \) -print0 | sort -z) ;;
  kyverno)
    while IFS= read -r -d '' f; do add "$f"; done < <(find tests/kyverno -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z) ;;
  inputs)
    # The selector byte (see fuzz/inputs.cpp): low 6 bits pick the name, 0x80 runs the rules.
    # 200 = 0x80|0 Dockerfile, 202 = 0x80|2 k8s/deploy.yaml, 203 = site.yml, 206 = workflow,
    # 207 = Copilot manifest, 010 = notes.txt (detection by content only, no rules).
    while IFS= read -r -d '' f; do
      case $f in
        *Dockerfile* | *Containerfile* | */dockerfile/*) add "$f" 200 ;;
        */ANS-* | *ansible*) add "$f" 203 ;;
        */GHA-* | */github*) add "$f" 206 ;;
        */COP-* | */copilot*) add "$f" 207 ;;
        *) add "$f" 202 ;;
      esac
      add "$f" 010
    done < <(find tests/policy tests/ansible_corpus -type f -print0 | sort -z) ;;
  *)
    echo "fuzz/seed.sh: unknown harness '$name' (yaml spec dockerfile ansible kyverno inputs)" >&2
    exit 2 ;;
esac
echo "fuzz/seed.sh: $name: $(find "$out" -type f | wc -l) seeds in $out"
