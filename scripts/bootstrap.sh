#!/usr/bin/env bash
# The README's entry point, for a machine that may have nothing installed yet (a fresh Debian 12
# image has no make, and maybe no sudo: run as root there):
#
#   scripts/bootstrap.sh demo       scripts/bootstrap.sh test       (any make arguments)
#
# When make is missing it installs every dependency first with scripts/setup-deps.sh (make is
# one of its apt packages), then it runs `make ARGS...` in the source tree. With make present
# it is exactly `make ARGS...` (whose deps step runs scripts/setup-deps.sh anyway; a second run
# of it takes about a second).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v make >/dev/null 2>&1; then
  echo "bootstrap: make not found: installing the dependencies first (scripts/setup-deps.sh)"
  scripts/phase.sh deps scripts/setup-deps.sh
  command -v make >/dev/null 2>&1 || {
    echo "bootstrap: make still not found after scripts/setup-deps.sh" >&2
    exit 1
  }
fi
exec make "$@"
