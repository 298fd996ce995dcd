#!/usr/bin/env bash
# Starts one more TaskManager JVM for the running cluster (e.g. to replace a lost one, or to scale
# out). Its name is taskmanager-<n>, n one more than any started before; prints that name.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rest_url >/dev/null
cp="$(cluster_classpath)"
n=1
while [ -e "$WORK/log/taskmanager-$n.log" ]; do n=$((n + 1)); done
params="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$CONF" 2>/dev/null \
  | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
[ -n "$params" ] || die "cannot compute the TaskManager's memory parameters"
# -Xss4m: the engines' and contracts' threads recurse (same as the ./bitquan-flow launcher)
# shellcheck disable=SC2086
spawn "taskmanager-$n" java $(echo "$params" | sed -n 1p) -Xss4m $FLINK_JAVA17_OPTS -cp "$cp" \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF" $(echo "$params" | sed -n 2p)
echo "taskmanager-$n"
