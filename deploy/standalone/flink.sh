#!/usr/bin/env bash
# Flink's own command-line client (`flink run`, `flink list`, `flink stop`, ...) against the running
# standalone cluster, as bin/flink of a distribution would be: CliFrontend on the Maven-resolved
# classpath, reading the cluster's config.yaml (REST address and port).
#   deploy/standalone/flink.sh run -d [-s SAVEPOINT] jobs/target/bitquan-flow-job.jar --bootstrap ... --genesis ...
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest_url >/dev/null
cp="$(cluster_classpath)"
# shellcheck disable=SC2086
FLINK_CONF_DIR="$CONF" exec java $FLINK_JAVA17_OPTS -cp "$cp" org.apache.flink.client.cli.CliFrontend "$@"
