# shellcheck shell=bash disable=SC2034 # the variables set here are read by faults/run
# The nemesis: one function per scenario, run while the workload runs (faults/README.md,
# "Scenarios"). Each sets the load it wants first (scenario_load), then injects its faults on a
# schedule counted from the start of the load, and returns once everything is healed and every
# node runs again. Every fault is logged to $FAULTS_RUN/nemesis.log with the time.

FAULTS_SCENARIOS=(kill-follower kill-leader kill-all pause partition-one partition-leader netem snapshot)

# scenario_load NAME: sets LOAD_SECONDS (how long publishers publish), PUBLISH_RATE (each
# publisher, messages/s) and CONSUME_RATE (each consumer, deliveries/s; 0 = as fast as it can).
scenario_load() {
  LOAD_SECONDS=60
  PUBLISH_RATE=100
  CONSUME_RATE=40
  case "$1" in
    partition-one | partition-leader) LOAD_SECONDS=70 ;;
    snapshot) LOAD_SECONDS=90 PUBLISH_RATE=300 CONSUME_RATE=150 ;;
  esac
}

nemesis() {
  echo "$(date +%T.%3N) $*" | tee -a "$FAULTS_RUN/nemesis.log" >&2
}

# at SECONDS: sleeps until SECONDS after the load started ($LOAD_STARTED, epoch seconds): when
# the first fault of a scenario comes.
at() {
  local wait=$(($1 - ($(date +%s) - LOAD_STARTED)))
  if [ "$wait" -gt 0 ]; then hold "$wait"; fi
}

# hold SECONDS: how long a fault lasts, or the pause between two, counted from now (asking for the
# leader or killing a node may take seconds on a busy machine; the fault still lasts this long).
# A signal to faults/run (kill -INT) ends the wait at once: bash runs its trap when wait returns,
# where a sleep in the foreground would first run out.
hold() {
  sleep "$1" &
  wait "$!"
}

# kill_nodes I...: kill -9 of each node named, all at once, then waits until they are gone (a
# launcher may linger a moment), so that a restart starts afresh.
kill_nodes() {
  local i pid
  for i in "$@"; do
    pid="$(target_pid "$i")"
    nemesis "kill -9 n$i (pid ${pid:-none})"
    if [ -n "$pid" ]; then kill -9 "$pid"; fi
  done
  for i in "$@"; do
    while node_running "$i"; do sleep 0.1; done
  done
}

restart_node() {
  nemesis "restart n$1"
  target_start "$1"
}

signal_node() {
  local pid
  pid="$(target_pid "$1")"
  nemesis "SIG$2 n$1 (pid ${pid:-none})"
  if [ -n "$pid" ]; then kill "-$2" "$pid"; fi
}

# The node leading the queue now, and a node that does not.
leader() { target_leader "$FAULTS_QUEUE"; }
follower_of() {
  local i
  for i in 3 2 1; do
    if [ "$i" != "$1" ]; then
      echo "$i"
      return
    fi
  done
}
others_of() {
  local i out=()
  for i in "${FAULTS_NODES[@]}"; do if [ "$i" != "$1" ]; then out+=("$i"); fi; done
  (IFS=,; echo "${out[*]}")
}

scenario_kill-follower() {
  local l f
  at 15
  l="$(leader)"
  f="$(follower_of "$l")"
  nemesis "leader is n$l; follower n$f"
  kill_nodes "$f"
  hold 15
  restart_node "$f"
}

scenario_kill-leader() {
  local l
  at 15
  l="$(leader)"
  nemesis "leader is n$l"
  kill_nodes "$l"
  hold 15
  restart_node "$l"
}

scenario_kill-all() {
  local i
  at 15
  kill_nodes "${FAULTS_NODES[@]}"
  hold 5
  # Together: a RabbitMQ node restarted after a crash of all waits for its peers to boot.
  for i in "${FAULTS_NODES[@]}"; do restart_node "$i"; done
}

scenario_pause() {
  local l f
  at 10
  l="$(leader)"
  nemesis "leader is n$l"
  signal_node "$l" STOP
  hold 15
  signal_node "$l" CONT
  hold 10
  f="$(follower_of "$(leader)")"
  signal_node "$f" STOP
  hold 10
  signal_node "$f" CONT
}

scenario_partition-one() {
  local l f
  at 15
  l="$(leader)"
  f="$(follower_of "$l")"
  nemesis "leader is n$l; partition n$f | n$(others_of "$f")"
  partition "$f" "$(others_of "$f")"
  hold 25
  nemesis "heal"
  heal
}

scenario_partition-leader() {
  local l
  at 15
  l="$(leader)"
  # Publisher p1 prefers node 1, where the queue was declared (its first leader): it keeps
  # publishing to the isolated leader as long as that node lets it.
  nemesis "partition the leader n$l | n$(others_of "$l") (clients reach every node)"
  partition "$l" "$(others_of "$l")"
  hold 25
  nemesis "heal"
  heal
}

scenario_netem() {
  local i how
  at 10
  for i in "${FAULTS_NODES[@]}"; do
    how="$(degrade "$i")"
    nemesis "degrade n$i: $how"
  done
  hold 35
  nemesis "heal"
  heal
}

scenario_snapshot() {
  local l f
  at 10
  l="$(leader)"
  f="$(follower_of "$l")"
  target_raft_state "$FAULTS_QUEUE" >>"$FAULTS_RUN/nemesis.log" || true
  nemesis "leader is n$l; follower n$f stays down while the others commit and compact their logs"
  kill_nodes "$f"
  hold 65
  target_raft_state "$FAULTS_QUEUE" >>"$FAULTS_RUN/nemesis.log" || true
  restart_node "$f"
}
