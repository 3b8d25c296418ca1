#!/usr/bin/env bash
# Four-validator Assay network on loopback (DESIGN §9): any 3 of the 4 nodes
# (>2/3 of the voting power) keep producing blocks.
#   scripts/testnet.sh start       init once (keys, genesis, 4 homes), start every node that is down
#   scripts/testnet.sh stop        stop all nodes
#   scripts/testnet.sh reset       stop and delete $ASSAY_TESTNET_HOME
#   scripts/testnet.sh status      pid, height, peers and catching_up per node
#   scripts/testnet.sh kill N      stop node N (0..3), the others keep going
#   scripts/testnet.sh restart N   start node N again and wait until it has caught up
# Home: $ASSAY_TESTNET_HOME (default ./.testnet), node homes node0..node3.
# The homes are written by `assayd testnet init --nodes 4`: the same funded
# test-keyring keys as localnet (alice bob owner miner1..3 validator1..2) in
# every node home, plus the validator operators node0..node3 (equal
# self-stake). Same short x/subnet periods, 1 s blocks, chain id assay-testnet.
# Ports (all on 127.0.0.1), node i = base + 10*i (+ $ASSAY_TESTNET_PORT_OFFSET):
#   p2p 26656  rpc 26657  abci 26658  prometheus 26660  pprof 6060  gRPC 9090  REST 1317
# so node0 answers on the localnet ports: export ASSAY_HOME=$ASSAY_TESTNET_HOME/node0
# and the localnet CLI commands work unchanged.
# If ASSAY_TESTNET_WATCH_PID is set, start also runs a watchdog that stops the
# network when that process exits (tests use it so no node outlives them).
set -euo pipefail
cd "$(dirname "$0")/.."
SELF="$PWD/scripts/testnet.sh"

export ASSAY_TESTNET_HOME=${ASSAY_TESTNET_HOME:-$PWD/.testnet}
case "$ASSAY_TESTNET_HOME" in /*) ;; *) ASSAY_TESTNET_HOME="$PWD/$ASSAY_TESTNET_HOME" ;; esac
TN=$ASSAY_TESTNET_HOME
ASSAYD=${ASSAYD:-$PWD/build/assayd}
CHAIN_ID=${CHAIN_ID:-assay-testnet}
NODES=4
FUND=${FUND:-1000000000000uassay}         # 1,000,000 ASSAY each
SELF_STAKE=${SELF_STAKE:-100000000000uassay}  # equal for every validator
OFF=${ASSAY_TESTNET_PORT_OFFSET:-0}
WATCHDOG_PID="$TN/watchdog.pid"

home() { echo "$TN/node$1"; }
pidfile() { echo "$TN/node$1/assayd.pid"; }
logfile() { echo "$TN/node$1/assayd.log"; }
port() { # port KIND NODE
  local base
  case $1 in
    p2p) base=26656 ;; rpc) base=26657 ;; abci) base=26658 ;; prom) base=26660 ;;
    pprof) base=6060 ;; grpc) base=9090 ;; api) base=1317 ;;
    *) echo "unknown port kind $1" >&2; return 1 ;;
  esac
  echo $((base + OFF + 10 * $2))
}
PORT_KINDS=(p2p rpc abci prom pprof grpc api)

ensure_binary() {
  if [ ! -x "$ASSAYD" ]; then
    if command -v assayd >/dev/null; then ASSAYD=$(command -v assayd); else
      echo "assayd not found: run 'make build' first" >&2; exit 1; fi
  fi
  export ASSAYD
}

running() { local f; f=$(pidfile "$1"); [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

check_node() {
  case "${1:-}" in 0|1|2|3) ;; *) echo "node must be 0..$((NODES - 1)), got '${1:-}'" >&2; exit 2 ;; esac
}

# rpc_get PORT PATH: the body of a CometBFT RPC GET on 127.0.0.1 (empty if down).
rpc_get() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3; cat <&3' "$1" "$2" 2>/dev/null || true
}
field() { # field NAME <json: the first string or number value of NAME
  sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",} ]*\)\"\{0,1\}.*/\1/p" | sed -n '1{p;q}'
}
height() { rpc_get "$(port rpc "$1")" /status | field latest_block_height; }
catching_up() { rpc_get "$(port rpc "$1")" /status | field catching_up; }
peers() { rpc_get "$(port rpc "$1")" /net_info | field n_peers; }
port_busy() { timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null; }

# Keys, genesis, gentxs and every node's config come from the one Go
# bootstrap that scripts/localnet.sh and make demo use too: assayd testnet init.
init_net() {
  echo "initialising $TN (chain $CHAIN_ID, $NODES validators)"
  rm -rf "$TN"
  "$ASSAYD" testnet init --nodes "$NODES" --output-dir "$TN" --chain-id "$CHAIN_ID" \
    --port-offset "$OFF" --fund "$FUND" --self-stake "$SELF_STAKE"
  touch "$TN/.initialised"
}

check_ports() { # every listen port of node $1 must be free
  local i=$1 k p
  for k in "${PORT_KINDS[@]}"; do
    p=$(port "$k" "$i")
    if port_busy "$p"; then
      echo "node$i: port 127.0.0.1:$p ($k) is already in use — is a localnet running" \
        "(scripts/localnet.sh stop)? Or set ASSAY_TESTNET_PORT_OFFSET." >&2
      exit 1
    fi
  done
}

start_node() {
  local i=$1
  nohup "$ASSAYD" start --home "$(home "$i")" >>"$(logfile "$i")" 2>&1 </dev/null &
  echo $! >"$(pidfile "$i")"
  echo "node$i started (pid $!, rpc 127.0.0.1:$(port rpc "$i"), log $(logfile "$i"))"
}

stop_node() {
  local i=$1 f pid
  f=$(pidfile "$i")
  if running "$i"; then
    pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    echo "node$i stopped"
  else echo "node$i not running"; fi
  rm -f "$f"
}

start_watchdog() {
  local w=${ASSAY_TESTNET_WATCH_PID:-}
  [ -n "$w" ] || return 0
  if [ -f "$WATCHDOG_PID" ] && kill -0 "$(cat "$WATCHDOG_PID")" 2>/dev/null; then return 0; fi
  nohup bash -c 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; rm -f "$1"; exec "$2" stop' \
    "$w" "$WATCHDOG_PID" "$SELF" >/dev/null 2>&1 </dev/null &
  echo $! >"$WATCHDOG_PID"
}

# wait_height NODE MIN SECONDS: until NODE reports a height >= MIN.
wait_height() {
  local i=$1 min=$2 h
  for _ in $(seq 1 "$3"); do
    h=$(height "$i")
    if [ -n "$h" ] && [ "$h" -ge "$min" ]; then return 0; fi
    if ! running "$i"; then echo "node$i exited; last log lines:" >&2; tail -20 "$(logfile "$i")" >&2; return 1; fi
    sleep 1
  done
  echo "node$i: no height >= $min after $3 s (at '${h:-none}'); see $(logfile "$i")" >&2
  return 1
}

max_other_height() { # highest height among running nodes other than $1
  local i h m=0
  for i in $(seq 0 $((NODES - 1))); do
    [ "$i" = "$1" ] && continue
    h=$(height "$i")
    if [ -n "$h" ] && [ "$h" -gt "$m" ]; then m=$h; fi
  done
  echo "$m"
}

status() {
  local i h c p
  for i in $(seq 0 $((NODES - 1))); do
    if running "$i"; then
      h=$(height "$i"); c=$(catching_up "$i"); p=$(peers "$i")
      printf 'node%s  up    pid %-7s height %-6s peers %-2s catching_up %-5s rpc 127.0.0.1:%s\n' \
        "$i" "$(cat "$(pidfile "$i")")" "${h:--}" "${p:--}" "${c:--}" "$(port rpc "$i")"
    else
      printf 'node%s  down  %55s rpc 127.0.0.1:%s\n' "$i" "" "$(port rpc "$i")"
    fi
  done
}

case "${1:-}" in
  start)
    ensure_binary
    [ -f "$TN/.initialised" ] || init_net
    started=()
    for i in $(seq 0 $((NODES - 1))); do
      if running "$i"; then echo "node$i already running (pid $(cat "$(pidfile "$i")"))"; continue; fi
      check_ports "$i"
      started+=("$i")
    done
    for i in "${started[@]}"; do start_node "$i"; done
    start_watchdog
    # No block until 3 of 4 validators are up, so wait after starting them all.
    for i in "${started[@]}"; do wait_height "$i" 1 90; done
    status
    echo "export ASSAY_HOME=$(home 0)   # so assayd talks to node0 and finds the test keyring"
    ;;
  stop)
    if [ -f "$WATCHDOG_PID" ]; then kill "$(cat "$WATCHDOG_PID")" 2>/dev/null || true; rm -f "$WATCHDOG_PID"; fi
    for i in $(seq 0 $((NODES - 1))); do stop_node "$i"; done
    ;;
  reset)
    "$SELF" stop
    rm -rf "$TN"
    echo "removed $TN"
    ;;
  status)
    status
    ;;
  kill)
    check_node "${2:-}"
    stop_node "$2"
    ;;
  restart)
    check_node "${2:-}"
    ensure_binary
    [ -f "$TN/.initialised" ] || { echo "no testnet in $TN: run '$0 start' first" >&2; exit 1; }
    if running "$2"; then echo "node$2 already running (pid $(cat "$(pidfile "$2")"))"; else check_ports "$2"; start_node "$2"; fi
    # Caught up: not catching up and within one block of the highest other node.
    for _ in $(seq 1 90); do
      h=$(height "$2"); c=$(catching_up "$2"); m=$(max_other_height "$2")
      if [ -n "$h" ] && [ "$c" = false ] && [ "$h" -ge $((m - 1)) ]; then
        echo "node$2 caught up at height $h (others at $m)"; exit 0
      fi
      if ! running "$2"; then echo "node$2 exited; last log lines:" >&2; tail -20 "$(logfile "$2")" >&2; exit 1; fi
      sleep 1
    done
    echo "node$2 did not catch up in 90 s (height ${h:-none}, others at $m); see $(logfile "$2")" >&2
    exit 1
    ;;
  *)
    echo "usage: $0 start|stop|reset|status|kill N|restart N   (N = 0..$((NODES - 1)))" >&2; exit 2 ;;
esac
