#!/bin/sh
# shellcheck disable=SC3003,SC3045 # busybox ash has $'..' and read -t
# One HTTP connection (started by `nc -ll -e`; stdin and stdout are the socket).
#
# Why not just `httpd -f -p 8000`: busybox httpd runs a CGI only when the URL names an
# existing file under /cgi-bin/ (or, for URLs ending in "/", /cgi-bin/index.cgi). Any
# other missing path is a 404, there is no rewrite rule, and Debian's busybox is built
# without httpd's reverse proxy ("P:" lines). So this reads the request head, rewrites
# /<path> to /cgi-bin/index.cgi/<path> and hands the request to a one-shot `httpd -i`,
# which runs index.cgi with PATH_INFO=/<path>.
# Busybox ash: $'\r' works, `read` takes one byte at a time from a socket (so it never
# consumes the body), and a small here-document costs no fork.
CR=$'\r'
# A client that connects and never sends anything must not pin a process forever.
IFS=' ' read -r -t 30 method target proto || exit 0
case "$target" in
  /*) target="/cgi-bin/index.cgi$target" ;;
  *) ;; # not origin-form: httpd answers 400
esac
head="$method $target ${proto%"$CR"}$CR"
len=0
while IFS= read -r -t 30 line; do
  line=${line%"$CR"}
  [ -n "$line" ] || break
  case "$line" in
    [Cc]ontent-[Ll]ength:*) len=${line#*:}; len=${len# } ;;
  esac
  head="$head
$line$CR"
done
if [ "$len" = 0 ]; then
  exec httpd -i -h /www <<EOF
$head
$CR
EOF
fi
# With a request body: forward exactly Content-Length bytes after the head.
{ printf '%s\n\r\n' "$head"; head -c "$len"; } | httpd -i -h /www
