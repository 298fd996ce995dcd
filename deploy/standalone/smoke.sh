#!/usr/bin/env bash
# The end-to-end story on a real standalone cluster (issue 10), exit 0 on success, and
# final-root=<hex> as the last line:
#   1. a Kafka broker on loopback; a chain (--chain DIR written by `generate`, else a generated one)
#   2. a standalone cluster: one JobManager and two TaskManagers, separate JVMs, one slot each
#   3. the first half of the chain published; the job jar submitted over REST at parallelism 2
#      (RocksDB, incremental checkpoints into a checkpoint directory, exactly-once feeds)
#   4. while that half flows (its first quarter committed, the rest just published): kill -9 one
#      TaskManager, start a replacement; the job restarts from its last checkpoint on it
#   5. stop-with-savepoint once the first half's results are committed
#   6. resubmit from that savepoint at parallelism 1 (a rescale) with `flink run -s` (Flink's
#      CliFrontend, deploy/standalone/flink.sh) as an assume-valid replay (the tip and its
#      ancestors skip signature checks; docs/ASSUME-VALID.md); publish the second half
#   7. read block-results with read_committed: every block's result exactly once, each line
#      equal to what `execute` prints for the same chain; the alerting metrics visible over REST
#      (Web UI) and on a Prometheus endpoint under the names the alerts use
#   deploy/standalone/smoke.sh [--chain DIR]
# Uses its own work directory ($BITQUAN_STANDALONE_DIR, default target/standalone-smoke), wiped at
# start, and stops every JVM it started on exit.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export BITQUAN_STANDALONE_DIR="${BITQUAN_STANDALONE_DIR:-$here/../../target/standalone-smoke}"
source "$here/common.sh"

chain=""
while [ $# -gt 0 ]; do
  case "$1" in
    --chain) chain="$2"; shift 2 ;;
    *) die "unknown argument $1 (usage: smoke.sh [--chain DIR])" ;;
  esac
done
[ -z "$chain" ] || [ -f "$chain/genesis.avro" ] || die "--chain $chain: no genesis.avro there (write one with generate)"

"$here/stop-cluster.sh" 2>/dev/null || true
rm -rf "$WORK"
mkdir -p "$WORK/pids" "$WORK/log"
trap '"$here/stop-cluster.sh"' EXIT
started=$SECONDS

# Builds both jars when a source is newer than the runnable jar (the launcher's check).
"$REPO/bitquan-flow" --version >/dev/null
[ -f "$JOB_JAR" ] || die "no job jar at $JOB_JAR"
# The job jar leaves Flink to the cluster (and must bring the connector): a Flink runtime class
# inside it would shadow the cluster's, a missing connector would fail only on a cluster.
jar_entries="$(unzip -Z1 "$JOB_JAR")"
for cls in org/apache/flink/runtime/ org/apache/flink/streaming/api/ org/apache/flink/api/common/; do
  ! grep -q "^$cls" <<<"$jar_entries" || die "$JOB_JAR contains Flink's own $cls"
done
for cls in org/apache/flink/connector/kafka/sink/KafkaSink.class io/bitquan/flow/jobs/cli/ClusterEntry.class \
           org/apache/kafka/clients/producer/KafkaProducer.class org/apache/avro/Schema.class; do
  grep -q "^$cls" <<<"$jar_entries" || die "$JOB_JAR lacks $cls"
done
tool() { java -cp "$CLI_JAR" io.bitquan.flow.jobs.deploy.SmokeTool "$@"; }

if [ -z "$chain" ]; then
  chain="$WORK/chain"
  "$REPO/bitquan-flow" generate --quiet --out "$chain" --seed 10 --blocks 16 --txs 150 --signatures ed25519 >&2
fi
chain="$(cd "$chain" && pwd)"
"$REPO/bitquan-flow" execute --chain "$chain" --ids >"$WORK/execute.txt"
# --ids ends each block line with the header id: the results compare without it, and the tip's id
# is the assume-valid block of the resumed job (below)
head -n -1 "$WORK/execute.txt" | sed -E 's/ id=[0-9a-f]+$//' >"$WORK/expected.txt"
tip_id="$(grep -E '^block [0-9]+ accepted' "$WORK/execute.txt" | tail -n 1 | grep -oE 'id=[0-9a-f]{64}$' | cut -d= -f2)"
[ -n "$tip_id" ] || die "execute --ids printed no id for the tip"
final_root="$(tail -n 1 "$WORK/execute.txt")"
events="$(tool publish --count --bootstrap unused --chain "$chain")"
half=$((events / 2))
quarter=$((half / 2))
[ "$quarter" -ge 1 ] || die "the chain has $events events; need at least 4"
log "chain $chain: $events events; first half [0, $half) in two quarters"

spawn broker java -cp "$CLI_JAR" io.bitquan.flow.jobs.deploy.SmokeTool broker --bootstrap-file "$WORK/bootstrap"
wait_for 90 "the Kafka broker" test -s "$WORK/bootstrap"
bootstrap="$(cat "$WORK/bootstrap")"
log "kafka at $bootstrap"

"$here/start-cluster.sh" --taskmanagers 2 --slots 1 >/dev/null
url="$(rest_url)"

# The first half in two quarters: the job commits the first, then the second is published and a
# TaskManager killed at once, so the kill lands while that data is in flight (not yet committed).
tool publish --bootstrap "$bootstrap" --chain "$chain" --from 0 --to "$quarter" >&2
run_flags=(--bootstrap "$bootstrap" --genesis "$chain" --state-backend rocksdb --checkpoint-interval 1000
           --checkpoint-dir "file://$WORK/checkpoints" --savepoint-dir "file://$WORK/savepoints"
           --transactional-id-prefix smoke --engine block-stm)
job1="$("$here/submit.sh" -- "${run_flags[@]}" --parallelism 2)"
tool results --bootstrap "$bootstrap" --expect "$quarter" --timeout 300 --linger 0 >/dev/null
tool publish --bootstrap "$bootstrap" --chain "$chain" --from "$quarter" --to "$half" >&2
victim="taskmanager-2"
log "kill -9 $victim (pid $(cat "$WORK/pids/$victim.pid")) with $quarter of $half first-half results committed, the rest just published"
stop_pid "$victim" KILL
"$here/start-taskmanager.sh" >/dev/null

tool results --bootstrap "$bootstrap" --expect "$half" --timeout 300 --linger 0 >/dev/null
restarts="$(curl -sf "$url/jobs/$job1/exceptions" | jq '.exceptionHistory.entries | length')"
log "first half committed; the job saw $restarts failure(s) (the lost TaskManager)"
[ "$restarts" -ge 1 ] || die "the job never noticed the killed TaskManager"
checkpoints="$(curl -sf "$url/jobs/$job1/checkpoints" | jq '.counts.completed')"
savepoint="$("$here/stop-with-savepoint.sh" "$job1")"

# The second job goes through Flink's own client (`flink run -s`), the first went through REST.
# It also replays assume-valid (docs/ASSUME-VALID.md): the tip and its ancestors, headers from the
# chain directory, resolved by the cluster entry point in Flink's client; results must not change.
"$here/flink.sh" run -d -s "$savepoint" "$JOB_JAR" "${run_flags[@]}" --parallelism 1 \
  --assume-valid "$tip_id" --assume-valid-headers "$chain" >"$WORK/flink-run.txt" 2>&1 \
  || { cat "$WORK/flink-run.txt" >&2; die "flink run from $savepoint failed"; }
assumed="$(grep -oE 'assume-valid: [0-9]+ of the [0-9]+ headers' "$WORK/flink-run.txt" | head -n 1)"
[ -n "$assumed" ] || { cat "$WORK/flink-run.txt" >&2; die "flink run printed no assume-valid summary"; }
log "$assumed are assumed valid in the resumed job"
job2="$(grep -o 'JobID [0-9a-f]\{32\}' "$WORK/flink-run.txt" | tail -n 1 | cut -d' ' -f2)"
[ -n "$job2" ] || { cat "$WORK/flink-run.txt" >&2; die "flink run printed no job id"; }
log "flink run -s: job $job2 from $savepoint"
tool publish --bootstrap "$bootstrap" --chain "$chain" --from "$half" >&2
tool results --bootstrap "$bootstrap" --expect "$half" --timeout 300 --linger 0 >/dev/null
# All of it, duplicates included, after a linger long enough for a late duplicate to show.
tool results --bootstrap "$bootstrap" --expect "$((events))" --timeout 300 --linger 5 >"$WORK/results.txt"

# The alerting metrics as the Web UI / REST shows them (FeedMonitor, chained to the sink).
last_height="$(grep -E '^block [0-9]+ accepted' "$WORK/expected.txt" | tail -n 1 | cut -d' ' -f2)"
vertex="$(curl -sf "$url/jobs/$job2" | jq -r '.vertices[] | select(.name | contains("feed-monitor")) | .id')"
monitor_metrics() {
  local ids
  ids="$(curl -sf "$url/jobs/$job2/vertices/$vertex/metrics" | jq -r '.[].id' | grep -E 'tipHeight|blocksBehind|checkpointAgeMillis|divergences|deadLetters' | paste -sd, -)"
  [ -n "$ids" ] && curl -sf "$url/jobs/$job2/vertices/$vertex/metrics?get=$ids" | jq -c 'map({(.id | sub("^0\\.feed-monitor\\."; "")): .value}) | add'
}
metrics_settled() {
  monitor_metrics >"$WORK/metrics.json" 2>/dev/null \
    && jq -e --arg h "$last_height" '(to_entries | map(select(.key | endswith("tipHeight"))) | .[0].value == $h)
      and (to_entries | map(select(.key | endswith("blocksBehind"))) | .[0].value == "0")' "$WORK/metrics.json"
}
wait_for 60 "feed-monitor metrics tipHeight=$last_height blocksBehind=0" metrics_settled
log "feed-monitor metrics: $(cat "$WORK/metrics.json")"
parallelism2="$(curl -sf "$url/jobs/$job2" | jq '[.vertices[].parallelism] | max')"
[ "$parallelism2" = 1 ] || die "the resumed job runs at parallelism $parallelism2, not 1"
# The same metrics through the Prometheus reporter, under the names the alerts use.
prometheus_line() {
  local range lo hi p page
  range="$(cat "$WORK/prometheus-ports")"; lo="${range%-*}"; hi="${range#*-}"
  for p in $(seq "$lo" "$hi"); do
    # whole page first: grep -m1 in a pipe would cut curl off (SIGPIPE) and pipefail would fail it
    page="$(curl -sf "http://localhost:$p/metrics" 2>/dev/null)" || continue
    grep -m1 -E '^flink_taskmanager_job_task_operator_chain_blocksBehind\{.*chain="[^"]+"' <<<"$page" && return 0
  done
  return 1
}
wait_for 60 "flink_taskmanager_job_task_operator_chain_blocksBehind on a Prometheus endpoint" prometheus_line
log "prometheus: $(prometheus_line | sed -E 's/\{.*chain="([^"]+)".*\}/{chain="\1",...}/')"
"$here/cancel.sh" "$job2"

if ! diff -u "$WORK/expected.txt" "$WORK/results.txt" >"$WORK/diff.txt"; then
  cat "$WORK/diff.txt" >&2
  echo "smoke: FAILED: block-results (read_committed) differ from execute; see $WORK/diff.txt" >&2
  exit 1
fi
echo "smoke: ok: $events block results exactly once, equal to execute; job $job1 at parallelism 2 survived kill -9 of a TaskManager with $((half - quarter)) blocks in flight ($restarts failure(s), $checkpoints checkpoints), stopped with savepoint $savepoint, resumed by flink run -s as job $job2 at parallelism 1 ($assumed assumed valid); $((SECONDS - started)) s"
echo "$final_root"
