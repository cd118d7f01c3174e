#!/usr/bin/env bash
# Installs what Slipway needs on a Debian (bookworm) host, using only apt:
#   docker.io, the Compose v2 plugin (from Debian trixie's docker-compose package),
#   busybox-static, caddy and haproxy (for locally built test images), git, and postgresql
#   (its binaries only: the store's tests start throwaway clusters of their own), and for the
#   HTTPS tests Debian's pebble (an ACME server, with pebble-challtestsrv), openssl and curl; openssh for the deploy-key test; wrk for bench/router;
#   docker-registry, apache2-utils (htpasswd, for a registry that wants a login), iproute2 and util-linux (unshare, nsenter) for the 3-node swarm of test/swarm.
# Then starts dockerd when no engine answers. Safe to run more than once.
set -euo pipefail

log() { printf '[install-docker] %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      echo "install-docker-debian.sh must run as root: sudo $0" >&2
    else
      echo "install-docker-debian.sh must run as root (sudo is not installed: log in as root, or su -c $0)" >&2
    fi
    exit 1
  fi
}

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

compose_ok() {
  local v
  v=$(docker compose version --short 2>/dev/null || true)
  [ -n "$v" ] || return 1
  # Compose >= 2.24 is required.
  local major minor
  major=$(echo "${v#v}" | cut -d. -f1); minor=$(echo "${v#v}" | cut -d. -f2)
  [ "$major" -gt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -ge 24 ]; }
}

install_compose_plugin() {
  compose_ok && return 0
  log "installing the Compose v2 plugin from Debian trixie's docker-compose package"
  local work uri
  work=$(mktemp -d)
  # Same mirror as the machine's own apt sources, trixie suite, kept apart from the system lists.
  uri=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
        | head -n1 | awk '{print $2}' || true)
  uri=${uri:-http://deb.debian.org/debian}
  echo "deb [trusted=yes] $uri trixie main" >"$work/trixie.list"
  mkdir -p "$work/lists/partial" "$work/archives/partial"
  local opts=(-o "Dir::Etc::SourceList=$work/trixie.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
              -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update -qq
  (cd "$work" && apt-get "${opts[@]}" download docker-compose >/dev/null)
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/x"
  local bin
  bin=$(find "$work/x" -type f -name docker-compose -perm -u+x | head -n1)
  [ -n "$bin" ] || { echo "docker-compose binary not found in the trixie package" >&2; exit 1; }
  mkdir -p /usr/libexec/docker/cli-plugins /usr/local/lib/docker/cli-plugins
  install -m 0755 "$bin" /usr/libexec/docker/cli-plugins/docker-compose
  install -m 0755 "$bin" /usr/local/lib/docker/cli-plugins/docker-compose
  rm -rf "$work"
  compose_ok || { echo "docker compose still not usable after install" >&2; exit 1; }
}

# Docker's default address pools hold about 30 networks; each Slipway environment takes one,
# and each release running or kept one more. A dockerd this script starts gets /24 subnets
# instead (4,096 networks), unless the host already has a daemon.json of its own.
configure_address_pools() {
  [ -e /etc/docker/daemon.json ] && return 0
  mkdir -p /etc/docker
  printf '{\n  "default-address-pools": [{ "base": "172.16.0.0/12", "size": 24 }]\n}\n' >/etc/docker/daemon.json
  log "wrote /etc/docker/daemon.json: /24 subnets from 172.16.0.0/12 for many environments"
}

start_dockerd() {
  if docker info >/dev/null 2>&1; then return 0; fi
  configure_address_pools
  log "starting dockerd"
  mkdir -p /var/log
  nohup dockerd >/var/log/slipway-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not answer within 60 s; see /var/log/slipway-dockerd.log" >&2
  tail -n 30 /var/log/slipway-dockerd.log >&2 || true
  exit 1
}

# The swarm tests start registries of their own on 127.0.0.1:5000; the package's service, where
# systemd started it, would hold that port.
stop_packaged_registry() {
  command -v systemctl >/dev/null 2>&1 || return 0
  systemctl is-active --quiet docker-registry 2>/dev/null || return 0
  log "stopping and disabling the docker-registry service (the swarm tests run their own)"
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
}

need_root
apt_install_missing docker.io busybox-static caddy haproxy git ca-certificates iptables postgresql pebble openssl curl openssh-client openssh-server wrk docker-registry apache2-utils iproute2 util-linux
stop_packaged_registry
install_compose_plugin
start_dockerd
log "docker $(docker version --format '{{.Server.Version}}'), compose $(docker compose version --short)"
