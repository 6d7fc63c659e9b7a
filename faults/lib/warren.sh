# shellcheck shell=bash
# Target "warren": this repository's broker, one node per namespace, started by bin/broker with the
# cluster flags (README.md, "Cluster"). Node I's data directory and log are $FAULTS_RUN/nodes/nI/
# (data/, broker.log); the data directory is kept across kill -9 and restart.
# Interface for faults/run: target_start I, target_pid I, target_form_cluster, target_leader
# QUEUE, target_describe.

warren_peers() {
  local i peers=()
  for i in "${FAULTS_NODES[@]}"; do peers+=("n$i@$(node_ip "$i"):25672"); done
  (IFS=,; echo "${peers[*]}")
}

target_describe() { echo "Warren $(git -C "$FAULTS_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"; }

target_start() {
  local i="$1" d="$FAULTS_RUN/nodes/n$1"
  mkdir -p "$d/data"
  in_ns "$i" setsid "$FAULTS_ROOT/bin/broker" --data-dir "$d/data" \
    --amqp-port 5672 --management-port 15672 --prometheus-port off \
    --node-name "n$i" --cluster-address "$(node_ip "$i"):25672" --cluster-peers "$(warren_peers)" \
    --loopback-users none </dev/null >>"$d/broker.log" 2>&1 &
}

# The pid of node I's JVM (what kill -9 and SIGSTOP hit), empty when it is not running.
target_pid() { node_process "$1" java; }

# Static peers: the nodes form the cluster by themselves.
target_form_cluster() { :; }

# warren_queue_group QUEUE: the queue group Warren puts QUEUE (of vhost /) in, as mirroring's
# QueueGroups.assign computes it (Java's String.hashCode of "/\0QUEUE", floorMod the number of
# groups the nodes logged): a stopgap until the management API reports a queue's leader. Empty when
# the nodes logged no queue groups.
warren_queue_group() {
  local h=0 c groups
  groups="$(cat "$FAULTS_RUN"/nodes/n*/broker.log 2>/dev/null | grep -ao '[0-9]* queue groups started' | head -1 | cut -d' ' -f1 || true)"
  [ -n "$groups" ] || return 0
  # shellcheck disable=SC2046 # one code per byte
  for c in 47 0 $(printf '%s' "$1" | od -An -tu1); do h=$(((31 * h + c) & 0xFFFFFFFF)); done
  if [ "$h" -ge $((1 << 31)) ]; then h=$((h - (1 << 32))); fi
  echo $(((h % groups + groups) % groups))
}

# target_leader QUEUE: the node leading the queue, from the management API's queue "leader" (once
# it reports one), else the last leader the nodes logged for the queue's group, else the metadata
# group's leader as the nodes last logged it, else 1.
target_leader() {
  local q="$1" i out g
  for i in "${FAULTS_NODES[@]}"; do
    out="$(curl -s -m 5 -u guest:guest "http://$(node_ip "$i"):15672/api/queues/%2F/$q" 2>/dev/null || true)"
    if [[ "$out" =~ \"leader\":\"[^\"]*n([0-9]+)[@\"] ]]; then
      echo "${BASH_REMATCH[1]}"
      return 0
    fi
  done
  g="$(warren_queue_group "$q")"
  # Log lines begin with the time of day: sorted, the last is the latest.
  if [ -n "$g" ]; then
    out="$(cat "$FAULTS_RUN"/nodes/n*/broker.log 2>/dev/null | grep -a "queue group $g leader is now n[0-9]" | sort | tail -1 || true)"
  else
    out="$(cat "$FAULTS_RUN"/nodes/n*/broker.log 2>/dev/null | grep -a 'metadata group leader is now n[0-9]' | sort | tail -1 || true)"
  fi
  if [[ "$out" =~ leader\ is\ now\ n([0-9]+) ]]; then
    echo "${BASH_REMATCH[1]}"
  else
    echo 1
  fi
}

# target_raft_state QUEUE: the queue's members as the management API reports them (leader,
# members, online), once it does; nothing before.
target_raft_state() {
  local i out members
  for i in "${FAULTS_NODES[@]}"; do
    out="$(curl -s -m 5 -u guest:guest "http://$(node_ip "$i"):15672/api/queues/%2F/$1" 2>/dev/null || true)"
    if [[ "$out" =~ \"members\":\[([^]]*)\] ]]; then
      members="${BASH_REMATCH[1]}"
      [[ "$out" =~ \"leader\":\"([^\"]*)\" ]] || BASH_REMATCH=("" "?")
      echo "n$i reports leader ${BASH_REMATCH[1]}, members $members"
      return 0
    fi
  done
}
