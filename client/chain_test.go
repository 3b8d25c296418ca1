package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	p2p "github.com/cometbft/cometbft/proto/tendermint/p2p"
	cmtservice "github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// fakeNode answers the four gRPC calls Broadcast makes and keeps one
// account's sequence the way a node does: the committed sequence (what the
// account query returns) and the one CheckTx expects next, ahead of it by
// the account's txs waiting in the mempool.
type fakeNode struct {
	mu        sync.Mutex
	dec       sdk.TxDecoder
	committed uint64
	expected  uint64
	// mismatchIn says where a wrong sequence is refused: "simulate" (a
	// gRPC error, as the SDK's Simulate reports it) or "checktx" (code 32).
	mismatchIn string
	// landAfterRefusal: the waiting tx lands in the block after the first
	// refusal, so a re-query then sees the sequence the node expects.
	landAfterRefusal bool
	checkTxCode      uint32 // refuse every broadcast with this code (0: accept)
	simulations      int
	broadcasts       int
	refusals         int
	txs              map[string]*sdk.TxResponse
}

func (n *fakeNode) sequence(bz []byte) (uint64, error) {
	tx, err := n.dec(bz)
	if err != nil {
		return 0, err
	}
	sigs, err := tx.(authsigning.SigVerifiableTx).GetSignaturesV2()
	if err != nil || len(sigs) != 1 {
		return 0, fmt.Errorf("want one signer: %v", err)
	}
	return sigs[0].Sequence, nil
}

// refuse is the node's answer to a wrong sequence; a block may land after.
func (n *fakeNode) refuse(got uint64) string {
	n.refusals++
	msg := fmt.Sprintf("account sequence mismatch, expected %d, got %d: incorrect account sequence", n.expected, got)
	if n.landAfterRefusal {
		n.committed = n.expected
	}
	return msg
}

type nodeInfo struct {
	cmtservice.UnimplementedServiceServer
}

func (nodeInfo) GetNodeInfo(context.Context, *cmtservice.GetNodeInfoRequest) (*cmtservice.GetNodeInfoResponse, error) {
	return &cmtservice.GetNodeInfoResponse{DefaultNodeInfo: &p2p.DefaultNodeInfo{Network: "assay-test"}}, nil
}

type authQuery struct {
	authtypes.UnimplementedQueryServer
	n *fakeNode
}

func (q authQuery) Account(_ context.Context, req *authtypes.QueryAccountRequest) (*authtypes.QueryAccountResponse, error) {
	q.n.mu.Lock()
	defer q.n.mu.Unlock()
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	acc, err := codectypes.NewAnyWithValue(authtypes.NewBaseAccount(addr, nil, 7, q.n.committed))
	if err != nil {
		return nil, err
	}
	return &authtypes.QueryAccountResponse{Account: acc}, nil
}

type txService struct {
	txtypes.UnimplementedServiceServer
	n *fakeNode
}

func (s txService) Simulate(_ context.Context, req *txtypes.SimulateRequest) (*txtypes.SimulateResponse, error) {
	n := s.n
	n.mu.Lock()
	defer n.mu.Unlock()
	n.simulations++
	seq, err := n.sequence(req.TxBytes)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if n.mismatchIn == "simulate" && seq != n.expected {
		return nil, status.Error(codes.Unknown, n.refuse(seq))
	}
	return &txtypes.SimulateResponse{GasInfo: &sdk.GasInfo{GasUsed: 50_000}}, nil
}

func (s txService) BroadcastTx(_ context.Context, req *txtypes.BroadcastTxRequest) (*txtypes.BroadcastTxResponse, error) {
	n := s.n
	n.mu.Lock()
	defer n.mu.Unlock()
	n.broadcasts++
	sum := sha256.Sum256(req.TxBytes)
	res := &sdk.TxResponse{TxHash: strings.ToUpper(hex.EncodeToString(sum[:]))}
	seq, err := n.sequence(req.TxBytes)
	switch {
	case err != nil:
		return nil, status.Error(codes.InvalidArgument, err.Error())
	case n.checkTxCode != 0:
		res.Codespace, res.Code, res.RawLog = "sdk", n.checkTxCode, "insufficient funds"
	case seq != n.expected:
		res.Codespace, res.Code, res.RawLog = "sdk", 32, n.refuse(seq)
	default:
		n.expected++
		n.committed = n.expected // included in the next block
		n.txs[res.TxHash] = &sdk.TxResponse{TxHash: res.TxHash, Height: 9}
	}
	return &txtypes.BroadcastTxResponse{TxResponse: res}, nil
}

func (s txService) GetTx(_ context.Context, req *txtypes.GetTxRequest) (*txtypes.GetTxResponse, error) {
	s.n.mu.Lock()
	defer s.n.mu.Unlock()
	if r, ok := s.n.txs[req.Hash]; ok {
		return &txtypes.GetTxResponse{TxResponse: r}, nil
	}
	return nil, status.Error(codes.NotFound, "tx not found")
}

// dialFakeNode serves n on loopback and returns a Chain over it whose
// keyring holds the key "val".
func dialFakeNode(t *testing.T, n *fakeNode) (*Chain, string) {
	t.Helper()
	cdc, reg := Codec()
	n.dec = authtx.NewTxConfig(cdc.(*codec.ProtoCodec), authtx.DefaultSignModes).TxDecoder()
	n.txs = map[string]*sdk.TxResponse{}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(reg).GRPCCodec()))
	cmtservice.RegisterServiceServer(gs, &nodeInfo{})
	authtypes.RegisterQueryServer(gs, &authQuery{n: n})
	txtypes.RegisterServiceServer(gs, &txService{n: n})
	go func() { _ = gs.Serve(lis) }()
	t.Cleanup(gs.Stop)

	kr := keyring.NewInMemory(cdc)
	rec, _, err := kr.NewMnemonic("val", keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Dial(context.Background(), lis.Addr().String(), kr, ChainOptions{TxTimeout: 500 * time.Millisecond, PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, addr.String()
}

func axonMsg(hotkey string) sdk.Msg {
	return &subnettypes.MsgServeAxon{Hotkey: hotkey, Netuid: 1, Endpoint: "127.0.0.1:8091", Protocol: "grpc", ModelHash: strings.Repeat("ab", 32)}
}

// TestBroadcastRequeriesSequence: a tx of the same account waits in the
// mempool (sent by a process killed before it landed), so the committed
// sequence is one behind and the node refuses ours as a sequence mismatch,
// in the simulation or in CheckTx. Broadcast re-queries the sequence and
// signs again; once the waiting tx has landed, ours goes through, sent
// once. Other refusals are returned at once, and a mismatch that never
// clears gives up after TxTimeout, marked as never sent.
func TestBroadcastRequeriesSequence(t *testing.T) {
	for _, where := range []string{"simulate", "checktx"} {
		t.Run(where, func(t *testing.T) {
			n := &fakeNode{committed: 4, expected: 5, mismatchIn: where, landAfterRefusal: true}
			c, addr := dialFakeNode(t, n)
			res, err := c.Broadcast(context.Background(), "val", axonMsg(addr))
			if err != nil {
				t.Fatalf("broadcast after a sequence mismatch: %v", err)
			}
			if res.Height != 9 || n.refusals != 1 || n.expected != 6 || len(n.txs) != 1 {
				t.Fatalf("height %d, refusals %d, next sequence %d, txs landed %d; want 9, 1, 6, 1", res.Height, n.refusals, n.expected, len(n.txs))
			}
		})
	}

	t.Run("never clears", func(t *testing.T) {
		n := &fakeNode{committed: 4, expected: 5, mismatchIn: "simulate"}
		c, addr := dialFakeNode(t, n)
		start := time.Now()
		_, err := c.Broadcast(context.Background(), "val", axonMsg(addr))
		if err == nil || !strings.Contains(err.Error(), "account sequence mismatch") || !errors.Is(err, ErrNotSent) {
			t.Fatalf("want a sequence mismatch marked ErrNotSent, got %v", err)
		}
		if n.refusals < 2 || time.Since(start) > 5*time.Second {
			t.Fatalf("%d attempts in %v: want retries bounded by the 500ms TxTimeout", n.refusals, time.Since(start))
		}
	})

	t.Run("other refusal", func(t *testing.T) {
		n := &fakeNode{committed: 4, expected: 4, checkTxCode: 5}
		c, addr := dialFakeNode(t, n)
		_, err := c.Broadcast(context.Background(), "val", axonMsg(addr))
		var te *TxError
		if !errors.As(err, &te) || te.Code != 5 || n.broadcasts != 1 {
			t.Fatalf("want one broadcast refused with code 5, got %d broadcasts, %v", n.broadcasts, err)
		}
	})
}
