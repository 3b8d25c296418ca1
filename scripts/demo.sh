#!/usr/bin/env bash
# The Assay walk-through on an embedded single-node chain in a temp home:
# register the german-credit subnet from its task file, register three miner
# hotkeys, serve an axon with a model hash, and show the metagraph and costs.
# Later stages (miners, validators, emission) extend this script.
set -euo pipefail
cd "$(dirname "$0")/.."

export ASSAY_HOME=$(mktemp -d -t assay-demo-XXXXXX)
A="$PWD/build/assayd"
cleanup() { scripts/localnet.sh stop >/dev/null 2>&1 || true; rm -rf "$ASSAY_HOME"; }
trap cleanup EXIT

if curl -s -m 1 http://127.0.0.1:26657/status >/dev/null 2>&1; then
  echo "a node already listens on 127.0.0.1:26657 (scripts/localnet.sh stop?)" >&2; exit 1
fi

step() { printf '\n== %s\n' "$*"; }
tx() { # run a tx, wait for its block, fail loudly with the module's error
  local out hash code
  out=$("$A" "$@" --yes --output json --gas auto --gas-adjustment 1.5)
  hash=$(sed -n 's/.*"txhash":"\([0-9A-F]*\)".*/\1/p' <<<"$out")
  for _ in $(seq 1 20); do
    if res=$("$A" q tx "$hash" --output json 2>/dev/null); then
      code=$(sed -n 's/.*"code":\([0-9]*\).*/\1/p' <<<"$res" | head -1)
      [ "${code:-0}" = 0 ] || { echo "tx failed: $res" >&2; exit 1; }
      echo "   ok (tx ${hash:0:12}…)"; return 0
    fi
    sleep 0.5
  done
  echo "tx $hash not included" >&2; exit 1
}

step "starting a one-node chain in $ASSAY_HOME"
scripts/localnet.sh start >"$ASSAY_HOME.start.log" || { cat "$ASSAY_HOME.start.log" >&2; exit 1; }
grep "localnet up" "$ASSAY_HOME.start.log" || true; rm -f "$ASSAY_HOME.start.log"

step "lock cost for a new subnet: $("$A" q subnet lock-cost -o json | sed -n 's/.*"cost": *"\([0-9]*\)".*/\1/p') uassay"
step "owner registers the german-credit subnet (scripts/tasks/german-credit.json)"
tx tx subnet register-subnet --task-file scripts/tasks/german-credit.json --from owner

for m in miner1 miner2 miner3; do
  cost=$("$A" q subnet registration-cost 1 -o json | sed -n 's/.*"cost": *"\([0-9]*\)".*/\1/p')
  step "alice registers hotkey $m on netuid 1 (cost now $cost uassay, burned)"
  tx tx subnet register-neuron 1 --hotkey "$m" --max-cost 100000000 --from alice
done

step "miner1 serves an axon with its model hash"
hash=$(printf 'assay demo model' | sha256sum | cut -d' ' -f1)
tx tx subnet serve-axon 1 127.0.0.1:8091 --model-hash "$hash" --from miner1

step "metagraph of netuid 1"
"$A" q subnet metagraph 1 -o json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("   block %s, subnet %r (%s), tempo %s" % (d["block"], d["subnet"]["name"], d["subnet"]["task"]["dataset"], d["subnet"]["hyperparams"]["tempo"]))
print("   %-4s %-46s %-22s %s" % ("uid", "hotkey", "axon", "model_hash"))
for n in d["neurons"]:
    ax = n.get("axon") or {}
    print("   %-4s %-46s %-22s %s" % (n["uid"], n["hotkey"], ax.get("endpoint", "-"), ax.get("model_hash", "-")[:16]))
' 2>/dev/null || "$A" q subnet metagraph 1

step "a subnet that does not exist"
"$A" q subnet subnet 999 2>&1 | sed 's/^/   /' || true
echo
echo "demo finished; the chain and $ASSAY_HOME are removed on exit"
