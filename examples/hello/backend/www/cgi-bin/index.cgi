#!/bin/sh
# The whole app. http.sh sends every request here as /cgi-bin/index.cgi/<path>, so
# PATH_INFO holds the path the client asked for: /healthz, /version, anything else.
version=${APP_VERSION:-$(cat /app/VERSION)}
case "$PATH_INFO" in
  /healthz) body="ok" ;;
  /version) body="$version" ;;
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
