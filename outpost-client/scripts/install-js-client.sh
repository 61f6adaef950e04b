#!/usr/bin/env bash
# Installs the official Azure Mobile Apps JavaScript client (azure-mobile-apps-client 2.0.1) for Node.js, with
# xhr2 (XMLHttpRequest) and sqlite3 (under the test harness's stand-in for Cordova's SQLite plugin), so that the
# server's compatibility test OfficialJsClientTest can run it. Without it that test is skipped.
# Usage: outpost-client/scripts/install-js-client.sh [dir]   (default: ~/.cache/outpost-js-client)
set -euo pipefail
dir="${1:-$HOME/.cache/outpost-js-client}"
command -v node >/dev/null || { echo "node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"outpost-js-client","private":true}' > package.json
npm install --no-audit --no-fund --save-exact azure-mobile-apps-client@2.0.1 xhr2@0.2.1 sqlite3@5.1.7
# Where npm did not run sqlite3's install script (or it left no working module), build the native module from
# source (no prebuilt download).
if ! NODE_PATH="$dir/node_modules" node -e "require('sqlite3')" >/dev/null 2>&1; then
  npm rebuild sqlite3 --foreground-scripts
fi
test -f node_modules/sqlite3/build/Release/node_sqlite3.node
NODE_PATH="$dir/node_modules" node -e "require('azure-mobile-apps-client'); require('xhr2'); require('sqlite3')"
echo "installed in $dir"
