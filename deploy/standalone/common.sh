# Sourced by the standalone scripts: where things live and how to talk to the cluster.
# Everything a script starts records its pid under $WORK/pids, and stop-cluster.sh ends exactly those.
set -euo pipefail
STANDALONE_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$STANDALONE_HERE/../.." && pwd)"
# All state of one local cluster: config, logs, pids, checkpoints, savepoints, uploaded jars.
WORK="${BITQUAN_STANDALONE_DIR:-$REPO/target/standalone}"
CONF="$WORK/conf"
JOB_JAR="$REPO/jobs/target/bitquan-flow-job.jar"
CLI_JAR="$REPO/jobs/target/bitquan-flow.jar"
ENTRY_CLASS="io.bitquan.flow.jobs.cli.ClusterEntry"

# What Flink's distribution passes on Java 17 (its config.yaml env.java.opts.all).
FLINK_JAVA17_OPTS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { echo "error: $*" >&2; exit 2; }

# The cluster's REST endpoint, written by start-cluster.sh.
rest_url() {
  [ -f "$WORK/rest-url" ] || die "no cluster: run deploy/standalone/start-cluster.sh first"
  cat "$WORK/rest-url"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Flink's classpath (no Kafka connector, no Avro, no project: those come with the job jar).
cluster_classpath() {
  # shared by every work directory (resolving takes a while); refreshed when a pom changes
  local cp="$REPO/target/standalone-flink-classpath.txt"
  if [ ! -s "$cp" ] || [ "$STANDALONE_HERE/pom.xml" -nt "$cp" ] || [ "$REPO/pom.xml" -nt "$cp" ]; then
    mkdir -p "$REPO/target"
    log "resolving the Flink classpath (mvn dependency:build-classpath) ..."
    mvn -B -q -f "$STANDALONE_HERE/pom.xml" dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile="$cp" >&2
  fi
  cat "$cp"
}

# A job's REST JSON field, e.g. json_field '.state'
json_field() { jq -r "$1"; }

# Start a JVM in the background, record its pid as $WORK/pids/<name>.pid, log to $WORK/log/<name>.log.
spawn() {
  local name="$1"; shift
  mkdir -p "$WORK/pids" "$WORK/log"
  nohup "$@" >"$WORK/log/$name.log" 2>&1 &
  echo $! >"$WORK/pids/$name.pid"
  log "started $name (pid $!), log $WORK/log/$name.log"
}

# Kill the process recorded for <name> (signal: TERM by default) and forget it.
stop_pid() {
  local name="$1" sig="${2:-TERM}" f="$WORK/pids/$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# Poll a command until it succeeds or the timeout (seconds) passes.
wait_for() {
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "error: timed out after ${timeout}s waiting for $what" >&2; return 1; }
    sleep 1
  done
}
