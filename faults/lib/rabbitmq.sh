# shellcheck shell=bash
# Target "rabbitmq": RabbitMQ 3.10 (Debian's rabbitmq-server) as the reference, one node per
# namespace, clustered with long names (rabbit@10.77.0.I), quorum queues of three members.
#
# Each node's state lives in $FAULTS_RUN/nodes/nI: mnesia/ (data, kept across kill -9 and
# restart), log/, home/.erlang.cookie (the shared cookie, also read by rabbitmqctl), its config.
# No plugins. The package's own service and /etc/rabbitmq are never used.
# Interface for faults/run: target_start I, target_pid I, target_form_cluster, target_leader
# QUEUE, target_describe.

RMQ_SERVER=/usr/lib/rabbitmq/bin/rabbitmq-server
RMQ_CTL=/usr/lib/rabbitmq/bin/rabbitmqctl
RMQ_QUEUES=/usr/lib/rabbitmq/bin/rabbitmq-queues

rmq_node() { echo "rabbit@$(node_ip "$1")"; }

# rmq_env I: the environment every rabbitmq-server and rabbitmqctl of node I runs with.
rmq_env() {
  local d="$FAULTS_RUN/nodes/n$1"
  echo "HOME=$d/home" \
    "RABBITMQ_NODENAME=$(rmq_node "$1")" "RABBITMQ_USE_LONGNAME=true" \
    "RABBITMQ_NODE_PORT=5672" "RABBITMQ_DIST_PORT=25672" \
    "RABBITMQ_MNESIA_BASE=$d/mnesia" "RABBITMQ_LOG_BASE=$d/log" "RABBITMQ_LOGS=$d/log/rabbit.log" \
    "RABBITMQ_CONFIG_FILE=$d/rabbitmq.conf" "RABBITMQ_ADVANCED_CONFIG_FILE=$d/advanced.config" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$d/enabled_plugins" "RABBITMQ_CONF_ENV_FILE=$d/rabbitmq-env.conf" \
    "RABBITMQ_PID_FILE=$d/rabbit.pid" "ERL_CRASH_DUMP=$d/erl_crash.dump"
}

# rmq_cli I TOOL ARGS...: one of the CLI tools (rabbitmqctl, rabbitmq-queues) against node I.
rmq_cli() {
  local i="$1" tool="$2"
  shift 2
  # shellcheck disable=SC2046
  timeout 120 ip netns exec "$(node_ns "$i")" env $(rmq_env "$i") "$tool" --longnames -n "$(rmq_node "$i")" "$@"
}

rmq_ctl() {
  local i="$1"
  shift
  rmq_cli "$i" "$RMQ_CTL" "$@"
}

rmq_layout() {
  local d="$FAULTS_RUN/nodes/n$1"
  [ -d "$d/mnesia" ] && return 0
  mkdir -p "$d/mnesia" "$d/log" "$d/home"
  printf 'WARRENFAULTSCOOKIE' >"$d/home/.erlang.cookie"
  chmod 400 "$d/home/.erlang.cookie"
  echo '[].' >"$d/enabled_plugins"
  : >"$d/rabbitmq-env.conf"
  # pause_minority: RabbitMQ's advice for clusters; a node cut off from the majority stops serving
  # clients, which then reconnect elsewhere. Quorum queues are Raft either way.
  cat >"$d/rabbitmq.conf" <<EOF
listeners.tcp.default = 5672
loopback_users = none
cluster_partition_handling = pause_minority
log.file.level = info
EOF
  # A 10 s net tick (default 60 s): a cut-off peer is noticed within the scenarios' fault windows.
  echo '[{kernel, [{net_ticktime, 10}]}].' >"$d/advanced.config"
}

target_describe() { "$RMQ_CTL" version 2>/dev/null | sed 's/^/RabbitMQ /' || echo "RabbitMQ"; }

target_start() {
  local i="$1" d="$FAULTS_RUN/nodes/n$1"
  rmq_layout "$i"
  # shellcheck disable=SC2046
  in_ns "$i" env $(rmq_env "$i") setsid "$RMQ_SERVER" </dev/null >>"$d/stdout.log" 2>&1 &
}

# The pid of node I's Erlang VM (what kill -9 and SIGSTOP hit), empty when it is not running.
target_pid() { node_process "$1" beam.smp; }

# Nodes 2 and 3 join node 1, one after the other (fresh data directories).
target_form_cluster() {
  local i
  for i in 2 3; do
    {
      rmq_ctl "$i" await_startup
      rmq_ctl "$i" stop_app
      rmq_ctl "$i" join_cluster "$(rmq_node 1)"
      rmq_ctl "$i" start_app
    } >>"$FAULTS_RUN/cluster-formation.log" 2>&1
  done
  rmq_ctl 1 cluster_status --formatter json >"$FAULTS_RUN/cluster_status.json"
}

# target_leader QUEUE: the number of the node leading the queue's Raft group, asked of any node that
# answers; empty when none knows.
target_leader() {
  local q="$1" i out
  for i in "${FAULTS_NODES[@]}"; do
    [ -n "$(target_pid "$i")" ] || continue
    out="$(rmq_ctl "$i" list_queues --timeout 15 -q --no-table-headers name leader 2>/dev/null || true)"
    out="$(awk -v q="$q" '$1 == q { print $2 }' <<<"$out")"
    if [[ "$out" =~ ^rabbit@10\.77\.0\.([0-9]+)$ ]]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
  done
}

# target_raft_state QUEUE: each member's Raft log state (log, commit and snapshot index), from any
# node that answers: the snapshot scenario logs it to show that the follower it keeps down falls
# behind the others' snapshots.
target_raft_state() {
  local i out
  for i in "${FAULTS_NODES[@]}"; do
    [ -n "$(target_pid "$i")" ] || continue
    # Its table is drawn with terminal line-drawing codes: kept as plain "| a | b |" rows.
    if out="$(rmq_cli "$i" "$RMQ_QUEUES" quorum_status "$1" --timeout 15 2>/dev/null)"; then
      sed 's/\x1b(0x\x1b(B/|/g; s/\x1b\[[0-9;]*m//g' <<<"$out" | grep -E '^\||^Status' | tr -s ' '
      return 0
    fi
  done
}
