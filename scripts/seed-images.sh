#!/usr/bin/env bash
# Builds the base images Slipway's examples and docker tests use -- busybox, caddy, haproxy --
# locally, FROM scratch, out of the host's Debian binaries (packages busybox-static, caddy,
# haproxy). No registry is reachable here, so nothing may be pulled.
#
#   scripts/seed-images.sh            build the missing images, skip the present ones
#   scripts/seed-images.sh --force    rebuild all of them
#
# Every image is labelled slipway.seed=true. A freshly built image is smoke-tested before the
# script reports it; a failing image has its tags removed again.
set -euo pipefail

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force | -f) FORCE=1 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "seed-images: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[seed-images] %s\n' "$*"; }
die() { printf '[seed-images] error: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || die "docker not found (run scripts/install-docker-debian.sh)"
docker info >/dev/null 2>&1 || die "no docker engine answers"
BUSYBOX=/bin/busybox
CADDY=/usr/bin/caddy
HAPROXY=/usr/sbin/haproxy
for bin in "$BUSYBOX" "$CADDY" "$HAPROXY"; do
  [ -x "$bin" ] || die "$bin missing (apt-get install busybox-static caddy haproxy)"
done
# Must be the static busybox: it lands in images without a libc.
! ldd "$BUSYBOX" >/dev/null 2>&1 || die "$BUSYBOX is not statically linked (install busybox-static)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/slipway-seed.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- helpers ---------------------------------------------------------------------------------

# all_present TAG... : true when every tag exists locally.
all_present() { docker image inspect "$@" >/dev/null 2>&1; }

# new_context NAME : prints a fresh build context dir with rootfs/ holding busybox, /tmp,
# /etc/passwd and /etc/group (root + nobody, plus any extra "name:uid" given after NAME).
new_context() {
  local name=$1; shift
  local ctx="$WORK/$name"
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/root"
  chmod 1777 "$ctx/rootfs/tmp"
  cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$ctx/rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$ctx/rootfs/etc/group"
  local extra user uid
  for extra in "$@"; do
    user=${extra%%:*}; uid=${extra#*:}
    echo "$user:x:$uid:$uid:$user:/var/lib/$user:/bin/false" >>"$ctx/rootfs/etc/passwd"
    echo "$user:x:$uid:" >>"$ctx/rootfs/etc/group"
  done
  # Go (caddy) and glibc both read this; without it lookups can skip /etc/hosts.
  echo 'hosts: files dns' >"$ctx/rootfs/etc/nsswitch.conf"
  echo "$ctx"
}

# add_dynamic ROOTFS BINARY : copies BINARY and every library ldd lists (the dynamic loader
# included) into ROOTFS at the same paths. -L dereferences: on merged-/usr Debian,
# /lib64/ld-linux-x86-64.so.2 and the .so.N names are symlinks.
add_dynamic() {
  local rootfs=$1 bin=$2 lib
  cp -L --parents "$bin" "$rootfs/"
  while read -r lib; do
    [ -n "$lib" ] && cp -L --parents "$lib" "$rootfs/"
  done < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
}

# build NAME CONTEXT TAG... : docker build with all tags; output only shown on failure.
build() {
  local name=$1 ctx=$2; shift 2
  local args=() tag
  for tag in "$@"; do args+=(-t "$tag"); done
  if ! docker build --label slipway.seed=true "${args[@]}" "$ctx" >"$WORK/$name.build.log" 2>&1; then
    cat "$WORK/$name.build.log" >&2
    die "building $name failed"
  fi
}

# verify NAME TAG... -- CHECK-COMMAND... : runs the check; on failure untags and dies.
verify() {
  local name=$1; shift
  local tags=() out
  while [ "$1" != "--" ]; do tags+=("$1"); shift; done
  shift
  if ! out=$("$@" 2>&1); then
    echo "$out" >&2
    docker rmi "${tags[@]}" >/dev/null 2>&1 || true
    die "$name image built but failed its smoke test: $*"
  fi
}

# seed NAME TAG... : skip, or build via build_NAME and smoke-test via verify_NAME.
seed() {
  local name=$1; shift
  if [ "$FORCE" -eq 0 ] && all_present "$@"; then
    log "$name: already present ($*)"
    return 0
  fi
  local before after
  before=$(docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true)
  "build_$name" "$@"
  "verify_$name" "$@"
  after=$(docker image inspect -f '{{.Id}}' "$1")
  # A rebuild with different content leaves the previous image untagged: drop it, unless
  # a container still uses it (then docker refuses, which is fine).
  if [ -n "$before" ] && [ "$before" != "$after" ]; then
    docker rmi "$before" >/dev/null 2>&1 || true
  fi
  log "$name: built ($*) ${after:7:12}"
}

# --- busybox ---------------------------------------------------------------------------------

build_busybox() {
  local ctx
  ctx=$(new_context busybox)
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
# Scratch has no shell yet, hence the exec form: creates /bin/sh, /bin/httpd, /bin/wget, ...
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]
EOF
  build busybox "$ctx" "$@"
}

# shellcheck disable=SC2016 # single quotes on purpose: the container's shell expands
verify_busybox() {
  verify busybox "$@" -- docker run --rm "$1" sh -c \
    'echo hi | grep -q hi && for a in httpd wget nc sleep; do command -v $a >/dev/null || exit 1; done && test -d /tmp'
}

# --- caddy -----------------------------------------------------------------------------------

build_caddy() {
  local ctx
  ctx=$(new_context caddy)
  add_dynamic "$ctx/rootfs" "$CADDY"
  mkdir -p "$ctx/rootfs/etc/caddy" "$ctx/rootfs/srv" "$ctx/rootfs/config" "$ctx/rootfs/data"
  # Never reach out: no automatic HTTPS (no ACME, no cert storage), admin API on localhost
  # only (so `caddy reload` inside the container still works, like the official image).
  cat >"$ctx/rootfs/etc/caddy/Caddyfile" <<'EOF'
{
	auto_https off
	admin localhost:2019
}

:80 {
	respond "caddy seed image" 200
}
EOF
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
# Same environment as the official image: caddy keeps its state in /config and /data.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data HOME=/root
EXPOSE 80
WORKDIR /srv
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
EOF
  build caddy "$ctx" "$@"
}

# shellcheck disable=SC2016 # as above
verify_caddy() {
  verify caddy "$@" -- docker run --rm "$1" caddy version
  verify caddy "$@" -- docker run --rm "$1" caddy validate --config /etc/caddy/Caddyfile --adapter caddyfile
  # Serve for real: start the default CMD, fetch from inside the container.
  verify caddy "$@" -- docker run --rm "$1" sh -c \
    'caddy run --config /etc/caddy/Caddyfile --adapter caddyfile >/tmp/log 2>&1 & i=0
     until wget -q -O- http://127.0.0.1:80/ | grep -q "caddy seed image"; do
       i=$((i+1)); [ $i -lt 50 ] || { cat /tmp/log; exit 1; }; sleep 0.1; done'
}

# --- haproxy ---------------------------------------------------------------------------------

build_haproxy() {
  local ctx
  ctx=$(new_context haproxy haproxy:99) # uid/gid 99 as in the official image
  add_dynamic "$ctx/rootfs" "$HAPROXY"
  mkdir -p "$ctx/rootfs/usr/local/etc/haproxy" "$ctx/rootfs/var/lib/haproxy" "$ctx/rootfs/run"
  cat >"$ctx/rootfs/usr/local/etc/haproxy/haproxy.cfg" <<'EOF'
global
	log stdout format raw local0

defaults
	mode http
	log global
	timeout connect 5s
	timeout client 30s
	timeout server 30s

frontend default
	bind :80
	http-request return status 200 content-type text/plain string "haproxy seed image"
EOF
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN ["/bin/chown", "99:99", "/var/lib/haproxy"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EXPOSE 80
# As in the official image: SIGUSR1 = soft stop (finish open connections, then exit).
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
EOF
  build haproxy "$ctx" "$@"
}

verify_haproxy() {
  verify haproxy "$@" -- docker run --rm "$1" haproxy -v
  verify haproxy "$@" -- docker run --rm "$1" haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg
}

# --- main ------------------------------------------------------------------------------------

# "HAProxy version 2.6.12-1+deb12u4 ..." -> 2.6 (older builds print "HA-Proxy").
HAPROXY_MM=$("$HAPROXY" -v | sed -n 's/^HA-\{0,1\}Proxy version \([0-9]*\.[0-9]*\).*/\1/p' | head -n1)
[ -n "$HAPROXY_MM" ] || die "could not read haproxy's version from '$HAPROXY -v'"

seed busybox busybox:latest busybox:stable
seed caddy caddy:latest caddy:2
seed haproxy haproxy:latest "haproxy:$HAPROXY_MM"
