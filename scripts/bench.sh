#!/usr/bin/env bash
# `npm run bench`: benchmarks with baselines measured in the same run; results in bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-node.sh
export ELECTRON_OVERRIDE_DIST_PATH=/nonexistent
mkdir -p /run/systemd/system 2>/dev/null || true
npx vitest run --project bench --reporter=default "$@" 2>&1 | tee bench-results.log | grep --line-buffered -E 'BENCH |Test Files|Tests |FAIL|Error' || true
test "${PIPESTATUS[0]}" -eq 0
