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

# warren_queue_api I QUEUE: node I's management API answer for QUEUE (vhost /), asked from the
# root namespace; empty when the node does not answer.
warren_queue_api() {
  curl -s -m 5 -u guest:guest "http://$(node_ip "$1"):15672/api/queues/%2F/$2" 2>/dev/null || true
}

# target_leader QUEUE: the number of the node leading the queue, as the live nodes' management API
# reports its "leader" (the queue group's leader: the same on every node that reaches it); when
# they differ (a node cut off still names the leader it last heard), the one most of them name.
# Asked again for up to 20 s while none names one (an election); 1 if none does by then (so that
# the scenario still has a node to act on; stderr says so).
target_leader() {
  local q="$1" i out deadline=$((SECONDS + 20)) best count
  local -A votes
  while :; do
    votes=()
    for i in "${FAULTS_NODES[@]}"; do
      [ -n "$(target_pid "$i")" ] || continue
      out="$(warren_queue_api "$i" "$q")"
      if [[ "$out" =~ \"leader\":\"n([0-9]+)\" ]]; then
        votes[${BASH_REMATCH[1]}]=$((${votes[${BASH_REMATCH[1]}]:-0} + 1))
      fi
    done
    best="" count=0
    for i in "${!votes[@]}"; do
      if [ "${votes[$i]}" -gt "$count" ]; then best="$i" count="${votes[$i]}"; fi
    done
    if [ -n "$best" ]; then
      echo "$best"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "no node's management API names a leader of $q: taking n1" >&2
      echo 1
      return 0
    fi
    sleep 1
  done
}

# target_raft_state QUEUE: the queue's replicas as each live node's management API reports them
# (leader, members, online).
target_raft_state() {
  local i out leader members online
  for i in "${FAULTS_NODES[@]}"; do
    [ -n "$(target_pid "$i")" ] || continue
    out="$(warren_queue_api "$i" "$1")"
    [[ "$out" =~ \"members\":\[([^]]*)\] ]] || continue
    members="${BASH_REMATCH[1]}"
    [[ "$out" =~ \"online\":\[([^]]*)\] ]] && online="${BASH_REMATCH[1]}" || online="?"
    [[ "$out" =~ \"leader\":\"([^\"]*)\" ]] && leader="${BASH_REMATCH[1]}" || leader="none"
    echo "n$i reports leader $leader, members $members, online $online"
  done
}
