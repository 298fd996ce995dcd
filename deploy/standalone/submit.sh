#!/usr/bin/env bash
# Uploads the job jar to the running cluster over REST and runs it; prints the job id.
#   deploy/standalone/submit.sh [--savepoint PATH] -- <flags of ./bitquan-flow run>
# e.g. submit.sh -- --bootstrap localhost:9092 --genesis chains/c1 --parallelism 2 \
#        --checkpoint-dir file:///var/lib/bitquan/checkpoints
# --savepoint resumes from a savepoint or retained checkpoint (POST /jars/:id/run savepointPath);
# the job's parallelism is its own --parallelism flag (a different one than before = a rescale).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
savepoint=""
while [ $# -gt 0 ]; do
  case "$1" in
    --savepoint) savepoint="$2"; shift 2 ;;
    --) shift; break ;;
    *) die "unknown argument $1 (usage: submit.sh [--savepoint PATH] -- <run flags>)" ;;
  esac
done
url="$(rest_url)"
[ -f "$JOB_JAR" ] || die "no job jar at $JOB_JAR (mvn -B -DskipTests package)"
# One upload per cluster and jar version: re-uploading the same bytes on every submit fills web.upload.dir.
jar_id="$(curl -sf "$url/jars" | jq -r --arg n "$(basename "$JOB_JAR")" '[.files[] | select(.name == $n)] | sort_by(.uploaded) | last | .id // empty')"
if [ -z "$jar_id" ] || [ "$JOB_JAR" -nt "$WORK/uploaded-$jar_id" ]; then
  jar_id="$(curl -sf -X POST -H "Expect:" -F "jarfile=@$JOB_JAR" "$url/jars/upload" | jq -r '.filename' | xargs basename)"
  touch "$WORK/uploaded-$jar_id"
  log "uploaded $(basename "$JOB_JAR") as $jar_id"
fi
body="$(jq -n --arg entry "$ENTRY_CLASS" --arg sp "$savepoint" '{entryClass: $entry, programArgsList: $ARGS.positional}
  + (if $sp == "" then {} else {savepointPath: $sp, allowNonRestoredState: false} end)' --args -- "$@")"
response="$(curl -s -X POST -H 'Content-Type: application/json' -d "$body" "$url/jars/$jar_id/run")"
job_id="$(echo "$response" | jq -r '.jobid // empty')"
[ -n "$job_id" ] || { echo "error: the cluster refused the job: $response" >&2; exit 1; }
log "submitted job $job_id${savepoint:+ from $savepoint}"
echo "$job_id"
