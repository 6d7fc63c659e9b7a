# shellcheck shell=bash
# What every run on the suite's layout shares (faults/run, bin/bench-cluster): the one-run-at-a-time
# lock, the pids of the run's clients, waiting for a node's AMQP port. Sourced after net.sh.

# The pids of the clients of the run in progress (JVMs in the root namespace), for the clean-up of
# this run or, after a kill -9 of it, of the next one.
FAULTS_PIDS=/run/warren-faults.pids
# One run at a time on a machine: the namespaces, bridge and addresses are fixed. The lock file
# holds the running one's pid (a lock held by an open file would live on in the nodes and clients
# a killed run leaves behind).
FAULTS_LOCK=/run/warren-faults.lock

# take_lock NAME: takes the machine's lock for this shell ($$), or fails naming the run that holds
# it (a faults/run or bin/bench-cluster still running). A lock left by a run killed with kill -9 is
# taken over.
take_lock() {
  local other
  other="$(cat "$FAULTS_LOCK" 2>/dev/null || true)"
  if [ -n "$other" ] && [ "$other" != "$$" ] &&
    { tr '\0' ' ' <"/proc/$other/cmdline"; } 2>/dev/null | grep -qE 'faults/run|bin/bench-cluster'; then
    echo "$1: another run of the fault suite or the cluster benchmark is running on this machine (pid $other)" >&2
    return 1
  fi
  echo "$$" >"$FAULTS_LOCK"
}

release_lock() { rm -f "$FAULTS_LOCK"; }

# Kills the clients FAULTS_PIDS lists: those still running one of the run's client jars
# (faults.jar, or PerfTest's classes for the benchmark), since a pid may have been reused.
kill_clients() {
  local pid
  [ -f "$FAULTS_PIDS" ] || return 0
  while read -r pid; do
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qE 'faults\.jar|com\.rabbitmq\.perf\.PerfTest'; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$FAULTS_PIDS"
  rm -f "$FAULTS_PIDS"
}

# wait_amqp I SECONDS: until node I accepts TCP connections on its AMQP port.
wait_amqp() {
  local deadline=$(($(date +%s) + $2))
  until timeout 1 bash -c "exec 3<>/dev/tcp/$(node_ip "$1")/5672" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}
