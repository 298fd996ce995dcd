#!/usr/bin/env bash
# Cancels a job (its last checkpoint is retained: execution.checkpointing.externalized-checkpoint-retention).
#   deploy/standalone/cancel.sh JOB_ID
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ $# -eq 1 ] || die "usage: cancel.sh JOB_ID"
curl -sf -X PATCH "$(rest_url)/jobs/$1?mode=cancel" >/dev/null
log "cancelled job $1"
