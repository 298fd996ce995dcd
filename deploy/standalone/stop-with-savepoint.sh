#!/usr/bin/env bash
# Stops a job with a savepoint (exactly-once sinks commit with it) and prints the savepoint path.
#   deploy/standalone/stop-with-savepoint.sh JOB_ID [TARGET_DIR_URI]
# Without a target, the cluster's execution.checkpointing.savepoint-dir (or the job's --savepoint-dir).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ $# -ge 1 ] || die "usage: stop-with-savepoint.sh JOB_ID [TARGET_DIR_URI]"
job="$1" target="${2:-}"
url="$(rest_url)"
body="$(jq -n --arg t "$target" '{drain: false, formatType: "CANONICAL"} + (if $t == "" then {} else {targetDirectory: $t} end)')"

# A savepoint needs every task running: right after a failover some are still deploying.
all_running() {
  curl -sf "$url/jobs/$job" | jq -e '.state == "RUNNING" and ([.vertices[].status] | all(. == "RUNNING"))' >/dev/null
}

for attempt in 1 2 3 4 5; do
  wait_for 180 "every task of job $job running" all_running
  trigger="$(curl -sf -X POST -H 'Content-Type: application/json' -d "$body" "$url/jobs/$job/stop" | jq -r '."request-id"')"
  [ -n "$trigger" ] && [ "$trigger" != null ] || die "cannot stop job $job"
  deadline=$((SECONDS + 300))
  while :; do
    status="$(curl -sf "$url/jobs/$job/savepoints/$trigger")"
    [ "$(echo "$status" | jq -r '.status.id')" = COMPLETED ] && break
    [ "$SECONDS" -lt "$deadline" ] || { echo "error: savepoint of $job not done after 300 s" >&2; exit 1; }
    sleep 1
  done
  location="$(echo "$status" | jq -r '.operation.location // empty')"
  if [ -n "$location" ]; then
    log "job $job stopped with savepoint $location"
    echo "$location"
    exit 0
  fi
  # A failed stop-with-savepoint leaves the job running (e.g. a task restarted meanwhile): try again.
  log "savepoint attempt $attempt failed: $(echo "$status" | jq -r '.operation."failure-cause"."stack-trace"' | grep -m1 -o 'CheckpointException: .*' | cut -c1-200)"
  sleep 2
done
echo "error: no savepoint for job $job after 5 attempts" >&2
exit 1
