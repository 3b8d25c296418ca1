package daemon

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	p2p "github.com/cometbft/cometbft/proto/tendermint/p2p"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/rs/zerolog"
	"google.golang.org/grpc"

	"github.com/assay-network/assay/client"
)

// fakeNode answers GetNodeInfo, the one call client.Dial makes, as a node's
// gRPC endpoint does (with the SDK's codec).
type fakeNode struct {
	cmtservice.UnimplementedServiceServer
}

func (*fakeNode) GetNodeInfo(context.Context, *cmtservice.GetNodeInfoRequest) (*cmtservice.GetNodeInfoResponse, error) {
	return &cmtservice.GetNodeInfoResponse{DefaultNodeInfo: &p2p.DefaultNodeInfo{Network: "assay-test-1"}}, nil
}

// freeAddr is a loopback address nothing listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	lis.Close()
	return addr
}

// retryLog counts "node unreachable" warnings, safely across goroutines.
type retryLog struct {
	mu sync.Mutex
	n  int
}

func (l *retryLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if strings.Contains(string(p), "node unreachable; retrying") {
		l.n++
	}
	return len(p), nil
}

func (l *retryLog) retries() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func TestDialChainRetriesUntilTheNodeListens(t *testing.T) {
	addr := freeAddr(t)
	logs := &retryLog{}
	type result struct {
		chain *client.Chain
		err   error
	}
	done := make(chan result, 1)
	go func() {
		c, err := DialChain(context.Background(), zerolog.New(logs), ChainDial{
			Addr: addr, Backoff: Backoff{Min: 10 * time.Millisecond, Max: 50 * time.Millisecond}, AttemptTimeout: time.Second})
		done <- result{c, err}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for logs.retries() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no retries logged while the node was down")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case r := <-done:
		t.Fatalf("DialChain returned before the node listened: %v", r.err)
	default:
	}

	_, reg := client.Codec()
	gs := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(reg).GRPCCodec()))
	cmtservice.RegisterServiceServer(gs, &fakeNode{})
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = gs.Serve(lis) }()
	defer gs.Stop()

	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("DialChain: %v", r.err)
		}
		defer r.chain.Close()
		if r.chain.ChainID() != "assay-test-1" {
			t.Errorf("chain id %q, want the node's network", r.chain.ChainID())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("DialChain did not connect once the node listened")
	}
}

func TestDialChainGivesUpWhenCtxEnds(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := DialChain(ctx, zerolog.Nop(), ChainDial{Addr: addr, Backoff: Backoff{Min: 20 * time.Millisecond, Max: 40 * time.Millisecond}})
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap the ctx's end", err)
	}
	for _, want := range []string{"node gRPC " + addr + " unreachable after", "last error:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("gave up %v after the ctx ended", took)
	}
}
