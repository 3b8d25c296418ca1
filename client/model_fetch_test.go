package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// modelDouble is a miner whose GetModel is the test's: honest or not.
type modelDouble struct {
	synapsev1.UnimplementedAxonServer
	serve func(req *synapsev1.GetModelRequest, md metadata.MD, send func(*synapsev1.ModelChunk) error, ctx context.Context) error
}

func (d *modelDouble) GetModel(req *synapsev1.GetModelRequest, stream grpc.ServerStreamingServer[synapsev1.ModelChunk]) error {
	md, _ := metadata.FromIncomingContext(stream.Context())
	return d.serve(req, md, stream.Send, stream.Context())
}

// startDouble serves d on loopback and returns an Axon for it expecting hash.
func startDouble(t *testing.T, d *modelDouble, hash string) Axon {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	synapsev1.RegisterAxonServer(gs, d)
	go gs.Serve(lis)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); gs.Stop() })
	return Axon{Hotkey: "miner", ModelHash: hash, Conn: conn}
}

func hexHash(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// chunked sends file in chunks of size n, honestly.
func chunked(file []byte, n int, send func(*synapsev1.ModelChunk) error) error {
	for off := 0; off < len(file); off += n {
		end := min(off+n, len(file))
		if err := send(&synapsev1.ModelChunk{Data: file[off:end], Offset: uint64(off), TotalSize: uint64(len(file))}); err != nil {
			return err
		}
	}
	return nil
}

func testFile(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

// The request is signed (the four metadata keys, over the GetModelRequest
// body for the expected hash), and an honest stream comes back whole.
func TestFetchModelHonest(t *testing.T) {
	file := testFile(3000)
	hash := hexHash(file)
	signer := NewPrivKeySigner(secp256k1.GenPrivKey())
	var asked string
	ax := startDouble(t, &modelDouble{serve: func(req *synapsev1.GetModelRequest, md metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
		for _, k := range []string{MDHotkey, MDNonce, MDPubKey, MDSignature} {
			if len(md.Get(k)) != 1 {
				return status.Errorf(codes.Unauthenticated, "no %s", k)
			}
		}
		if md.Get(MDHotkey)[0] != signer.Address() {
			return status.Errorf(codes.Unauthenticated, "hotkey %s", md.Get(MDHotkey)[0])
		}
		asked = req.ModelHash
		return chunked(file, 1000, send)
	}}, hash)
	got, err := NewDendrite(signer, nil).FetchModel(context.Background(), ax, 3000, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, file) || asked != hash {
		t.Fatalf("got %d bytes (asked for %q)", len(got), asked)
	}
}

// Every misbehaviour ends in an error that says what was wrong, within
// the timeout.
func TestFetchModelMisbehavingMiner(t *testing.T) {
	file := testFile(3000)
	hash := hexHash(file)
	type serveFunc = func(*synapsev1.GetModelRequest, metadata.MD, func(*synapsev1.ModelChunk) error, context.Context) error
	cases := []struct {
		name     string
		maxBytes int64
		serve    serveFunc
		is       error
		code     codes.Code
		says     []string
	}{
		{name: "announces more than the cap", maxBytes: 2999,
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				return chunked(file, 1000, send)
			}, is: ErrModelTooLarge, says: []string{"total_size 3000", "cap is 2999"}},
		{name: "announces 1 TiB",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				return send(&synapsev1.ModelChunk{Data: file[:10], TotalSize: 1 << 40})
			}, is: ErrModelTooLarge, says: []string{"total_size 1099511627776"}},
		{name: "changes total_size",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				send(&synapsev1.ModelChunk{Data: file[:2000], TotalSize: 3000})
				return send(&synapsev1.ModelChunk{Data: file[2000:], Offset: 2000, TotalSize: 2500})
			}, is: ErrModelStream, says: []string{"total_size 2500", "first chunk said 3000"}},
		{name: "streams past its total_size",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				send(&synapsev1.ModelChunk{Data: file[:2000], TotalSize: 2500})
				return send(&synapsev1.ModelChunk{Data: file[2000:], Offset: 2000, TotalSize: 2500})
			}, is: ErrModelTooLarge, says: []string{"1000 bytes run past total_size 2500"}},
		{name: "gap",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				send(&synapsev1.ModelChunk{Data: file[:1000], TotalSize: 3000})
				return send(&synapsev1.ModelChunk{Data: file[2000:], Offset: 2000, TotalSize: 3000})
			}, is: ErrModelStream, says: []string{"offset 2000, want 1000"}},
		{name: "empty chunks",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				for {
					if err := send(&synapsev1.ModelChunk{TotalSize: 3000}); err != nil {
						return err
					}
				}
			}, is: ErrModelStream, says: []string{"0 bytes, want 1..1048576"}},
		{name: "chunk over 1 MiB",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				return send(&synapsev1.ModelChunk{Data: make([]byte, MaxModelChunk+1), TotalSize: 2 * MaxModelChunk})
			}, is: ErrModelStream, says: []string{"1048577 bytes"}},
		{name: "ends early",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				return send(&synapsev1.ModelChunk{Data: file[:1000], TotalSize: 3000})
			}, is: ErrModelStream, says: []string{"ended at byte 1000 of total_size 3000"}},
		{name: "other bytes",
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, _ context.Context) error {
				bad := bytes.Clone(file)
				bad[1500]++
				return chunked(bad, 1000, send)
			}, is: ErrModelHashMismatch, says: []string{hash, func() string { b := bytes.Clone(file); b[1500]++; return hexHash(b) }()}},
		{name: "stalls mid-stream", code: codes.DeadlineExceeded,
			serve: func(_ *synapsev1.GetModelRequest, _ metadata.MD, send func(*synapsev1.ModelChunk) error, ctx context.Context) error {
				send(&synapsev1.ModelChunk{Data: file[:1000], TotalSize: 3000})
				<-ctx.Done()
				return ctx.Err()
			}},
		{name: "refuses", code: codes.PermissionDenied,
			serve: func(*synapsev1.GetModelRequest, metadata.MD, func(*synapsev1.ModelChunk) error, context.Context) error {
				return status.Error(codes.PermissionDenied, "no permit")
			}},
	}
	signer := NewPrivKeySigner(secp256k1.GenPrivKey())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ax := startDouble(t, &modelDouble{serve: tc.serve}, hash)
			capBytes := tc.maxBytes
			if capBytes == 0 {
				capBytes = 64 << 20
			}
			const timeout = 300 * time.Millisecond
			start := time.Now()
			got, err := NewDendrite(signer, nil).FetchModel(context.Background(), ax, capBytes, timeout)
			if took := time.Since(start); took > timeout+2*time.Second {
				t.Errorf("took %v, timeout %v", took, timeout)
			}
			if err == nil {
				t.Fatalf("no error, %d bytes", len(got))
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("%v, want %v", err, tc.is)
			}
			if tc.code != codes.OK && status.Code(err) != tc.code {
				t.Fatalf("%v, want code %v", err, tc.code)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
}

// Bad arguments are refused before any call.
func TestFetchModelArguments(t *testing.T) {
	d := NewDendrite(NewPrivKeySigner(secp256k1.GenPrivKey()), nil)
	if _, err := d.FetchModel(context.Background(), Axon{Hotkey: "m"}, 1, time.Second); err == nil || !strings.Contains(err.Error(), "no expected model hash") {
		t.Errorf("no hash: %v", err)
	}
	if _, err := d.FetchModel(context.Background(), Axon{Hotkey: "m", ModelHash: "ab"}, 0, time.Second); err == nil || !strings.Contains(err.Error(), "maxBytes 0") {
		t.Errorf("maxBytes 0: %v", err)
	}
}
