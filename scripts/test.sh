#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds, runs `npm test`
# (unit tests and integration tests, each of the latter in a throwaway network sandbox).
# Its last line is the summary "N passed, N failed[, N skipped]".
set -euo pipefail
# pont changes the kernel's network configuration: root, or sudo when it is there.
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && exec sudo -- "$0" "$@"
  echo "$0: run as root (pont changes the kernel's network configuration)" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
exec npm test --silent
