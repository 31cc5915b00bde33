#!/usr/bin/env bash
# The scenario shown by scripts/demo.sh (run it there: it expects to be inside a sandbox): the
# tutorial's steps (scripts/tutorial/steps.mjs, docs/tutorial.md), each command and its output.
set -euo pipefail
PONT_TUTORIAL_SANDBOX=1 exec node "$(dirname "$0")/tutorial/make.mjs" --play
