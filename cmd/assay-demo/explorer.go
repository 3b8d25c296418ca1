package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/assay-network/assay/explorer"
)

// defaultExplorer is where the demo serves assay-explorer unless told
// otherwise; when it is taken the demo picks a free port instead, so a busy
// 8080 never fails a demo that did not ask for it.
const defaultExplorer = "127.0.0.1:8080"

// startExplorer serves the explorer (in process) on addr against the
// demo's node and returns its URL and a stop function. The node need not be
// up yet: until it answers, the pages say "node unreachable".
func startExplorer(addr string) (string, func(), error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil && addr == defaultExplorer {
		lis, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return "", nil, fmt.Errorf("--explorer %s: %w (pass another address, 127.0.0.1:0 for any free port, or \"\" for no explorer)", addr, err)
	}
	node, err := explorer.DialNode(grpcAddr)
	if err != nil {
		lis.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: explorer.NewServer(node, explorer.Config{}), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
			progress("explorer stopped: %v", err)
		}
	}()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
		node.Close()
	}
	return "http://" + lis.Addr().String() + "/", stop, nil
}
