#!/usr/bin/env bash
# The Assay demo (`make demo`): a one-node chain in a temp home, the
# german-credit and MNIST subnets, the good/poor/biased/trivial reference
# miners, a copy and a swap cheat, and two validators as real processes for
# a few tempos, then a table per subnet of who earned what and why. The
# orchestration is cmd/assay-demo (Go); this wrapper only makes sure the
# binaries, data and models exist.
#
#   scripts/demo.sh            human-readable tables on stdout
#   scripts/demo.sh --json     one JSON object on stdout, everything else on stderr
#   scripts/demo.sh --short    german-credit only
#   scripts/demo.sh --temperature 0.2   german-credit with another reward.temperature
#   scripts/demo.sh --keep     keep the temp home (logs, keyring, validator state)
#
# Needs ports 26657/9090/1317/26656 on 127.0.0.1; waits on /tmp/assay-ports.lock
# while another local chain test holds them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-$PWD/build}

# Under `make demo` the build, data and models targets already ran.
if [ -z "${MAKELEVEL:-}" ]; then
  make -s build data models BUILD_DIR="$BUILD_DIR" >&2
fi
exec "$BUILD_DIR/assay-demo" --bin-dir "$BUILD_DIR" "$@"
