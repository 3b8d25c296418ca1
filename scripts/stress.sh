#!/usr/bin/env bash
# Runs `make test` RUNS times in a row (default 5) on a fresh clone of REV
# (default HEAD) while a busy loop keeps one core spinning, and prints one
# line per run: exit code, wall time and load average. Issue 18's "five
# consecutive runs under load"; see docs/testing.md. Logs go to OUT
# (default /tmp/assay-stress).
set -u
REV=${1:-HEAD}
RUNS=${RUNS:-5}
OUT=${OUT:-/tmp/assay-stress}
repo=$(git rev-parse --show-toplevel)
clone=$(mktemp -d /tmp/assay-stress-clone.XXXXXX)
mkdir -p "$OUT"
git clone -q "$repo" "$clone" && git -C "$clone" checkout -q "$(git -C "$repo" rev-parse "$REV")" || exit 1
( while :; do :; done ) &
busy=$!
trap 'kill $busy 2>/dev/null; rm -rf "$clone"' EXIT
echo "rev $(git -C "$clone" rev-parse --short HEAD), $RUNS runs, one core kept busy" | tee "$OUT/results.txt"
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s) load=$(cut -d' ' -f1 /proc/loadavg)
  (cd "$clone" && CI=true make test > "$OUT/run$i.log" 2>&1)
  rc=$?
  echo "run $i: exit $rc, $(( $(date +%s) - start )) s, load $load → $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/results.txt"
done
