#!/bin/sh
# PID 1 of the backend container: serves HTTP on :8000 (see http.sh for why nc + httpd -i).
# `nc -ll -e PROG` is busybox's persistent server: it forks PROG per connection. Its listen
# backlog is the number of -l flags (2 would drop bursts of connects, the clients then
# retrying after a second), hence the many l's: backlog 64.
# The shell stays PID 1 with a TERM trap: nc has no TERM handler and PID 1 without one
# ignores TERM, so `docker stop` would wait out its whole timeout.
nc -llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll -p 8000 -e /app/http.sh &
nc=$!
trap 'kill -TERM "$nc" 2>/dev/null; exit 0' TERM INT
wait "$nc"
echo "start.sh: the listener exited" >&2
exit 1
