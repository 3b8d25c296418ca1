package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assay-network/assay/explorer"
)

// TestServeWithNodeDown: the binary's server answers while the node is
// down (503 naming the endpoint) and stops cleanly when its context ends.
func TestServeWithNodeDown(t *testing.T) {
	node, err := explorer.DialNode("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, lis, explorer.NewServer(node, explorer.Config{QueryTimeout: 2 * time.Second}))
	}()

	res, err := http.Get("http://" + lis.Addr().String() + "/subnets")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "127.0.0.1:1") {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestBadListenFlag(t *testing.T) {
	root := newRootCmd()
	root.SetArgs([]string{"--grpc", "127.0.0.1:1", "--listen", "not-an-address"})
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	err := root.ExecuteContext(t.Context())
	if err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Fatalf("err %v, want one naming --listen", err)
	}
}
