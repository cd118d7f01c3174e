#!/bin/sh
# The whole app. http.sh sends every request here as /cgi-bin/index.cgi/<path>, so
# PATH_INFO holds the path the client asked for: /healthz, /version, /slow, anything else.
version=${APP_VERSION:-$(cat /app/VERSION)}
case "$PATH_INFO" in
  /healthz) body="ok" ;;
  /version) body="$version" ;;
  /slow)
    # A long request, to see a release finish what it holds after the switch: /slow?SECONDS.
    case "${QUERY_STRING:-}" in
      '' | *[!0-9]*) seconds=2 ;;
      *) seconds=$QUERY_STRING ;;
    esac
    sleep "$seconds"
    body="slow hello from $version"
    ;;
  *)
    body="hello from $version"
    if [ -n "${GREETING:-}" ]; then
      body="$body
greeting: $GREETING"
    fi
    ;;
esac
# httpd only prepends "HTTP/1.1 200 OK"; the headers are ours. An exact Content-Length and
# "Connection: close" let keep-alive clients (benchmarks, proxies) see where the reply ends.
printf 'Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n%s\n' \
  "$((${#body} + 1))" "$body"
