#!/usr/bin/env bash
# `npm test`: builds what the tests load (the renderer for e2e, the CLI for its tests), then runs
# every suite: unit, integration (a private systemd --user per file) and e2e (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-node.sh
export ELECTRON_OVERRIDE_DIST_PATH=/nonexistent
mkdir -p test/artifacts
npm run --silent build
exec npx vitest run --project unit --project integration --project e2e "$@"
