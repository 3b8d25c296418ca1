#!/usr/bin/env bash
# Installs cosmovisor, the process manager that swaps assayd at an upgrade
# height (docs/upgrades.md), into build/tools/ at the one pinned version.
#   scripts/cosmovisor.sh          install unless build/tools/cosmovisor is already v1.7.1
# Prints the binary's path. GOBIN is project-local so nothing outside the
# checkout changes; `make tools` and tests/upgrade call this script.
# Exit 3: the Go module proxy refuses cosmovisor (some mirrors do not serve
# cosmossdk.io/tools/cosmovisor); tests/upgrade then says so and uses its
# stand-in. Any other failure exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=v1.7.1
TOOLS=${TOOLS_DIR:-$PWD/build/tools}
BIN="$TOOLS/cosmovisor"
STAMP="$TOOLS/.cosmovisor-$VERSION"

if [ -x "$BIN" ] && [ -f "$STAMP" ]; then
  echo "$BIN"
  exit 0
fi
mkdir -p "$TOOLS"
echo "installing cosmovisor $VERSION into $TOOLS" >&2
if ! out=$(GOBIN="$TOOLS" GOFLAGS= go install "cosmossdk.io/tools/cosmovisor/cmd/cosmovisor@$VERSION" 2>&1); then
  echo "$out" >&2
  if grep -qE '403 Forbidden|404 Not Found|410 Gone|not available' <<<"$out"; then
    echo "cosmovisor $VERSION is not served by the Go module proxy ($(go env GOPROXY))" >&2
    exit 3
  fi
  exit 1
fi
rm -f "$TOOLS"/.cosmovisor-*
touch "$STAMP"
echo "$BIN"
