package testnet

import (
	"fmt"
	"net"
	"strconv"
)

// Host is the only address a dev network listens on.
const Host = "127.0.0.1"

// PortStep separates the ports of consecutive nodes.
const PortStep = 10

// Ports are one node's listen ports. Node 0 without an offset has the
// CometBFT and Cosmos SDK defaults, so a localnet answers where every
// tutorial expects; node i adds offset + PortStep·i to each.
type Ports struct {
	P2P, RPC, ABCI, Prometheus, Pprof, GRPC, API int
}

// PortsOf is node i's ports with every port shifted by offset.
func PortsOf(offset, i int) Ports {
	d := offset + PortStep*i
	return Ports{
		P2P:        26656 + d,
		RPC:        26657 + d,
		ABCI:       26658 + d,
		Prometheus: 26660 + d,
		Pprof:      6060 + d,
		GRPC:       9090 + d,
		API:        1317 + d,
	}
}

type namedPort struct {
	kind string
	port int
}

// list names every port, for checks that must not miss one.
func (p Ports) list() []namedPort {
	return []namedPort{
		{"p2p", p.P2P}, {"rpc", p.RPC}, {"abci", p.ABCI}, {"prometheus", p.Prometheus},
		{"pprof", p.Pprof}, {"grpc", p.GRPC}, {"api", p.API},
	}
}

// addr is Host:port, the form CometBFT's pprof, Prometheus and external
// address settings and the SDK's gRPC address take.
func addr(port int) string { return net.JoinHostPort(Host, strconv.Itoa(port)) }

// tcpAddr is tcp://Host:port, the form of the CometBFT listen addresses and
// the SDK's REST address.
func tcpAddr(port int) string { return "tcp://" + addr(port) }

// PeerAddress is how other nodes dial node nodeID at these ports.
func (p Ports) PeerAddress(nodeID string) string { return fmt.Sprintf("%s@%s", nodeID, addr(p.P2P)) }
