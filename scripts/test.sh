#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what is missing, builds, runs `npm test`
# (unit tests and integration tests, each of the latter in a throwaway network sandbox).
# Its last line is the summary "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
exec npm test --silent
