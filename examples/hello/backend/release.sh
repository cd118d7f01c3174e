#!/bin/sh
# One-off release step, run before the new version takes traffic:
#   "migrate"        append "<version> <UTC timestamp>" to /data/migrations.log (volume data)
#   "collectstatic"  copy /app/static/* into /static (volume static, served by the frontend)
# RELEASE_EXIT_CODE=N (N != 0) makes it fail with exit code N *before* touching either
# volume, so a failed release leaves the running version's data and static files alone.
set -eu
version=${APP_VERSION:-}
[ -n "$version" ] || read -r version </app/VERSION
code=${RELEASE_EXIT_CODE:-0}
if [ "$code" -ne 0 ]; then
  echo "release: failing on purpose (RELEASE_EXIT_CODE=$code), nothing changed" >&2
  exit "$code"
fi
echo "$version $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>/data/migrations.log
echo "release: migrated ($version)"
cp -R /app/static/. /static/
echo "release: collected static into /static"
