#!/usr/bin/env bash
# Installs the official Azure Mobile Apps Node server (azure-mobile-apps 4.x with its sqlite provider) so that the
# client's compatibility tests can run against it (target NODE_V2). Without it those tests are skipped.
# Usage: outpost-client/scripts/install-node-server.sh [dir]   (default: ~/.cache/outpost-node-server)
set -euo pipefail
dir="${1:-$HOME/.cache/outpost-node-server}"
command -v node >/dev/null || { echo "node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"outpost-node-server","private":true}' > package.json
npm install --no-audit --no-fund azure-mobile-apps@4.0.2 express@4 sqlite3@5
# sqlite3's install script is not run by default; build its native module from source (no prebuilt download).
npm rebuild sqlite3 --foreground-scripts
test -f node_modules/sqlite3/build/Release/node_sqlite3.node
echo "installed in $dir"
