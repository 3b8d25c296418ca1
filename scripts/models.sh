#!/usr/bin/env bash
# Builds the four reference models (DESIGN §7) into MODELS_DIR (default
# ./models) from the datasets in DATA_DIR (default ./data, see scripts/data.sh):
#
#   german-credit-good.amdl  german-credit-poor.amdl  german-credit-biased.amdl
#   mnist-good.amdl
#
# Idempotent: an existing model file is kept (training is seeded, so a rebuild
# gives the same bytes on the same binary; delete the file to retrain). Each
# model's hash is printed, and written beside it as FILE.sha256.
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
  local dataset=$1 variant=$2
  local out="$models_dir/$dataset-$variant.amdl"
  if [[ -s "$out" ]]; then
    echo "models: $out present ($(sha256sum "$out" | cut -d' ' -f1))"
    return
  fi
  echo "models: training $dataset/$variant"
  "$miner" train --log-format json --log-level warn --dataset "$dataset" --variant "$variant" \
    --data-dir "$data_dir" --out "$out" # written atomically: no partial file survives a failure
  sha256sum "$out" | cut -d' ' -f1 >"$out.sha256"
}

build german-credit good
build german-credit poor
build german-credit biased
build mnist good
echo "models: all reference models in $models_dir"
