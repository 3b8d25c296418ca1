#!/usr/bin/env bash
# Builds the five reference models (DESIGN §7) into MODELS_DIR (default
# ./models) for the built-in task files in scripts/tasks/, with their data in
# DATA_DIR's content-addressed cache (default ./data, see scripts/data.sh):
#
#   german-credit-good.amdl  german-credit-poor.amdl  german-credit-biased.amdl
#   german-credit-trivial.amdl (always the majority class)  mnist-good.amdl
#
# and the two the demo's swap miner uses (DESIGN §12: it publishes the first
# and answers with the second), trained with seed 2:
#
#   german-credit-poor-seed2.amdl  german-credit-good-seed2.amdl
#
# Idempotent: a model file trained for the task file as it is now is kept
# (training is seeded, so a rebuild gives the same bytes on the same binary;
# delete the file to retrain). A file of an older format, or trained for
# another task (another task hash), is retrained. Each model's hash is
# printed, and written beside it as FILE.sha256.
set -euo pipefail

data_dir=${1:-./data}
models_dir=${2:-./models}
cd "$(dirname "$0")/.."
mkdir -p "$models_dir"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
miner="$tmp/assay-miner"
go build -o "$miner" ./cmd/assay-miner

build() {
  local task=$1 variant=$2 seed=${3:-0} # 0: the recipe's seed
  local out="$models_dir/$task-$variant.amdl"
  [[ $seed == 0 ]] || out="$models_dir/$task-$variant-seed$seed.amdl"
  local task_file="scripts/tasks/$task.json"
  if [[ -s "$out" ]]; then
    # inspect --task-file evaluates only a model trained for that task; an
    # old-format file fails to load at all.
    if why=$("$miner" inspect --log-format json --log-level error --data-dir "$data_dir" \
      --task-file "$task_file" "$out" 2>&1 >/dev/null); then
      echo "models: $out present ($(sha256sum "$out" | cut -d' ' -f1))"
      return
    fi
    echo "models: $out is stale (${why##*: }); retraining"
  fi
  echo "models: training $task/$variant${3:+ (seed $3)}"
  local start=$SECONDS
  "$miner" train --log-format json --log-level warn --task-file "$task_file" --variant "$variant" --seed "$seed" \
    --data-dir "$data_dir" --out "$out" # written atomically: no partial file survives a failure
  echo "models: $task/$variant trained in $((SECONDS - start)) s"
  sha256sum "$out" | cut -d' ' -f1 >"$out.sha256"
}

build german-credit good
build german-credit poor
build german-credit biased
build german-credit trivial
build german-credit poor 2
build german-credit good 2
build mnist good
echo "models: all reference models in $models_dir"
