#!/usr/bin/env bash
# One-node Assay chain for development (DESIGN §10).
#   scripts/localnet.sh start   init once (keys, genesis), then run in the background
#   scripts/localnet.sh stop    stop the node
#   scripts/localnet.sh reset   stop and delete $ASSAY_HOME
# Home: $ASSAY_HOME (default ./.localnet), written by `assayd testnet init`.
# Keys (keyring-backend test), each funded: alice bob owner miner1 miner2
# miner3 validator1 validator2; alice is the validator.
# RPC 26657, gRPC 9090, REST 1317, chain id assay-localnet, 1 s blocks.
set -euo pipefail
cd "$(dirname "$0")/.."

export ASSAY_HOME=${ASSAY_HOME:-$PWD/.localnet}
case "$ASSAY_HOME" in /*) ;; *) ASSAY_HOME="$PWD/$ASSAY_HOME" ;; esac
ASSAYD=${ASSAYD:-$PWD/build/assayd}
CHAIN_ID=${CHAIN_ID:-assay-localnet}
FUND=${FUND:-1000000000000uassay}     # 1,000,000 ASSAY each
SELF_STAKE=${SELF_STAKE:-100000000000uassay}
PIDFILE="$ASSAY_HOME/assayd.pid"
LOG="$ASSAY_HOME/assayd.log"

if [ ! -x "$ASSAYD" ]; then
  if command -v assayd >/dev/null; then ASSAYD=$(command -v assayd); else
    echo "assayd not found: run 'make build' first" >&2; exit 1; fi
fi
d() { "$ASSAYD" --home "$ASSAY_HOME" "$@"; }

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

# The home itself (keys, genesis, config) is written by the one Go bootstrap
# that scripts/testnet.sh and make demo use too: assayd testnet init.
init_home() {
  echo "initialising $ASSAY_HOME (chain $CHAIN_ID)"
  "$ASSAYD" testnet init --nodes 1 --output-dir "$ASSAY_HOME" --chain-id "$CHAIN_ID" \
    --fund "$FUND" --self-stake "$SELF_STAKE"
}

wait_for_blocks() {
  for _ in $(seq 1 60); do
    h=$(d status 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true)
    if [ -n "${h:-}" ] && [ "$h" -ge 1 ]; then echo "localnet up at height $h (home $ASSAY_HOME, log $LOG)"; return 0; fi
    if ! running; then echo "assayd exited; last log lines:" >&2; tail -20 "$LOG" >&2; return 1; fi
    sleep 1
  done
  echo "no block after 60 s; see $LOG" >&2; return 1
}

case "${1:-}" in
  start)
    if running; then echo "already running (pid $(cat "$PIDFILE"))"; exit 0; fi
    # Another node on our ports would answer our status checks: refuse early.
    for port in 26657 26656 9090 1317; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port on 127.0.0.1 is in use (another node? scripts/localnet.sh stop, or stop that process)" >&2
        exit 1
      fi
    done
    [ -f "$ASSAY_HOME/config/genesis.json" ] || init_home
    nohup "$ASSAYD" start --home "$ASSAY_HOME" >"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
    wait_for_blocks
    echo "export ASSAY_HOME=$ASSAY_HOME   # so assayd finds this node and its keys"
    ;;
  stop)
    if running; then
      pid=$(cat "$PIDFILE"); kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped"
    else echo "not running"; fi
    rm -f "$PIDFILE"
    ;;
  reset)
    "$0" stop
    rm -rf "$ASSAY_HOME"
    echo "removed $ASSAY_HOME"
    ;;
  *)
    echo "usage: $0 start|stop|reset" >&2; exit 2 ;;
esac
