#!/usr/bin/env bash
# Regenerates Go code from proto/ offline: protoc (Debian's protobuf-compiler),
# plugins built with `go install` at pinned versions, and include paths taken
# from the Go module cache (no Buf Schema Registry).
set -euo pipefail
cd "$(dirname "$0")/.."

GOGOPROTO_VERSION=v1.7.2
GATEWAY_VERSION=v1.16.0
GOGRPC_VERSION=v1.5.1
PROTOBUF_GO_VERSION=v1.36.11

if ! command -v protoc >/dev/null; then
  echo "protoc not found: installing Debian's protobuf-compiler" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq protobuf-compiler; else
    echo "run: sudo apt-get install protobuf-compiler" >&2; exit 1; fi
fi

gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"
[ -x "$gobin/protoc-gen-gocosmos" ] || go install github.com/cosmos/gogoproto/protoc-gen-gocosmos@$GOGOPROTO_VERSION
[ -x "$gobin/protoc-gen-grpc-gateway" ] || go install github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway@$GATEWAY_VERSION
[ -x "$gobin/protoc-gen-go" ] || go install google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOBUF_GO_VERSION
[ -x "$gobin/protoc-gen-go-grpc" ] || go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$GOGRPC_VERSION

modpath() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
SDK=$(modpath github.com/cosmos/cosmos-sdk@$(go list -m -f '{{.Version}}' github.com/cosmos/cosmos-sdk))
GOGO=$(modpath github.com/cosmos/gogoproto@$(go list -m -f '{{.Version}}' github.com/cosmos/gogoproto))
CPROTO=$(modpath github.com/cosmos/cosmos-proto@$(go list -m -f '{{.Version}}' github.com/cosmos/cosmos-proto))
GATEWAY=$(modpath github.com/grpc-ecosystem/grpc-gateway@$GATEWAY_VERSION)
INCLUDES=(-I proto -I "$SDK/proto" -I "$GOGO" -I "$CPROTO/proto" -I "$GATEWAY/third_party/googleapis")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Chain modules: gogoproto (Cosmos SDK codec) + grpc-gateway for REST.
for dir in proto/assay/subnet/v1 proto/assay/emission/v1; do
  [ -d "$dir" ] || continue
  files=$(find "$dir" -maxdepth 1 -name '*.proto' | sort)
  echo "gocosmos: $dir"
  protoc "${INCLUDES[@]}" \
    --gocosmos_out=plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:"$out" \
    --grpc-gateway_out=logtostderr=true,allow_colon_final_segments=true:"$out" \
    $files
done

# Synapse (miner <-> validator): plain protobuf-go + grpc-go, no SDK codec.
# The .proto's go_package puts it in synapse/v1 (package synapsev1), a
# neutral package the miner (server) and client (dendrite) both import.
if [ -d proto/assay/synapse/v1 ]; then
  echo "go/grpc: proto/assay/synapse/v1"
  protoc "${INCLUDES[@]}" --go_out="$out" --go-grpc_out="$out" $(find proto/assay/synapse/v1 -name '*.proto' | sort)
fi

cp -r "$out"/github.com/assay-network/assay/* ./
echo "generated into $(find "$out" -name '*.go' | wc -l) files"
