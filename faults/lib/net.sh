# shellcheck shell=bash
# The suite's network: three namespaces, one per node, on a bridge in the root namespace.
#
#   root namespace:  bridge wrnbr0 10.77.0.254/24   (the workload's clients run here)
#                      |            |            |
#                    wrnv1        wrnv2        wrnv3      (veth, root side)
#                      |            |            |
#   namespace:       wrn-n1       wrn-n2       wrn-n3
#   interface:       wrnp1        wrnp2        wrnp3
#   address:         10.77.0.1    10.77.0.2    10.77.0.3
#
# Faults live inside the nodes' namespaces only (iptables rules, tc qdiscs), so deleting a
# namespace removes every trace of them; the root namespace gets the bridge and nothing else.
# Needs root. Sourced by faults/run; every function is idempotent where it cleans up.

FAULTS_NODES=(1 2 3)
FAULTS_BRIDGE=wrnbr0
FAULTS_CLIENT_ADDRESS=10.77.0.254

node_ns() { echo "wrn-n$1"; }
node_ip() { echo "10.77.0.$1"; }
node_if() { echo "wrnp$1"; }

# in_ns I CMD...: runs CMD inside node I's namespace.
in_ns() {
  local i="$1"
  shift
  ip netns exec "$(node_ns "$i")" "$@"
}

net_up() {
  net_down
  ip link add "$FAULTS_BRIDGE" type bridge
  ip addr add "$FAULTS_CLIENT_ADDRESS/24" dev "$FAULTS_BRIDGE"
  ip link set "$FAULTS_BRIDGE" up
  local i
  for i in "${FAULTS_NODES[@]}"; do
    ip netns add "$(node_ns "$i")"
    ip link add "wrnv$i" type veth peer name "$(node_if "$i")"
    ip link set "$(node_if "$i")" netns "$(node_ns "$i")"
    ip link set "wrnv$i" master "$FAULTS_BRIDGE"
    ip link set "wrnv$i" up
    in_ns "$i" ip link set lo up
    in_ns "$i" ip addr add "$(node_ip "$i")/24" dev "$(node_if "$i")"
    in_ns "$i" ip link set "$(node_if "$i")" up
  done
}

# Kills every process left in the namespaces (SIGKILL: nodes, epmd), then deletes them, their
# veth pairs and the bridge. Safe to run when nothing is there.
net_down() {
  local i ns pids
  for i in "${FAULTS_NODES[@]}"; do
    ns="$(node_ns "$i")"
    if ip netns list | grep -qw "$ns"; then
      pids="$(ip netns pids "$ns" || true)"
      if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -CONT $pids 2>/dev/null || true
        # shellcheck disable=SC2086
        kill -9 $pids 2>/dev/null || true
      fi
      ip netns delete "$ns"
    fi
    # Deleting the namespace deletes the pair too, but not at once: either may win.
    ip link delete "wrnv$i" 2>/dev/null || true
  done
  ip link delete "$FAULTS_BRIDGE" 2>/dev/null || true
}

# What is left of the suite's network, one line per object; empty when clean.
net_leftovers() {
  ip netns list | grep -E '^wrn-n[0-9]' || true
  ip -o link show | grep -oE 'wrn(br|v|p)[0-9]+' || true
}

# node_process I COMM: the pid of the process named COMM (as /proc/PID/comm has it) in node I's
# namespace, empty when there is none.
node_process() {
  local pid
  for pid in $(ip netns pids "$(node_ns "$1")" 2>/dev/null); do
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]; then
      echo "$pid"
      return 0
    fi
  done
}

# node_running I: whether anything but epmd (which outlives a RabbitMQ node, as on a real machine)
# runs in node I's namespace: a node starting, running, stopped or being torn down.
node_running() {
  local pid
  for pid in $(ip netns pids "$(node_ns "$1")" 2>/dev/null); do
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != epmd ]; then return 0; fi
  done
  return 1
}

# partition GROUP_A GROUP_B: nodes in A cannot reach nodes in B nor the other way (dropped, as a
# cut cable: no reset). Groups are comma-separated node numbers ("1" "2,3"). Clients (10.77.0.254)
# still reach every node.
partition() {
  local a b
  IFS=, read -r -a a <<<"$1"
  IFS=, read -r -a b <<<"$2"
  local i j
  for i in "${a[@]}"; do
    for j in "${b[@]}"; do
      drop_between "$i" "$j"
      drop_between "$j" "$i"
    done
  done
}

drop_between() {
  in_ns "$1" iptables -A INPUT -s "$(node_ip "$2")" -j DROP
  in_ns "$1" iptables -A OUTPUT -d "$(node_ip "$2")" -j DROP
}

# degrade I: node I's network gets worse: every packet it sends delayed 50 ms +- 25 ms and 2%
# lost, with netem, peers and clients alike. A kernel without netem (CONFIG_NET_SCH_NETEM unset,
# as on some VMs) gets the nearest this suite can do without it, and says so: 2% of packets
# dropped at random each way by iptables (the statistic match) and its sending rate held to
# 8 Mbit/s by a token bucket (tbf), which delays what queues behind a burst by up to 100 ms.
degrade() {
  local i="$1" dev
  dev="$(node_if "$i")"
  if in_ns "$i" tc qdisc replace dev "$dev" root netem delay 50ms 25ms loss 2% 2>/dev/null; then
    echo "netem delay 50ms 25ms loss 2%"
    return 0
  fi
  in_ns "$i" iptables -A INPUT -m statistic --mode random --probability 0.02 -j DROP
  in_ns "$i" iptables -A OUTPUT -m statistic --mode random --probability 0.02 -j DROP
  in_ns "$i" tc qdisc replace dev "$dev" root tbf rate 8mbit burst 16kb latency 100ms
  echo "no netem in this kernel: iptables random drop 2% each way, tbf rate 8mbit latency 100ms"
}

# Removes every partition, random drop and qdisc.
heal() {
  local i
  for i in "${FAULTS_NODES[@]}"; do
    in_ns "$i" iptables -F INPUT
    in_ns "$i" iptables -F OUTPUT
    in_ns "$i" tc qdisc del dev "$(node_if "$i")" root 2>/dev/null || true
  done
}
