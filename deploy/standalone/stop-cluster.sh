#!/usr/bin/env bash
# Stops every JVM the standalone scripts started for this $WORK (by recorded pid, nothing else).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ -d "$WORK/pids" ] || exit 0
for f in "$WORK"/pids/*.pid; do
  [ -e "$f" ] || continue
  name="$(basename "$f" .pid)"
  stop_pid "$name"
  log "stopped $name"
done
rm -f "$WORK/rest-url"
