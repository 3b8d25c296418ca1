package miner

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// gatedPredict blocks every forward pass until the gate is opened and
// records, per pass, its first row and its row count, so a test can tell
// which request ran and in what order.
type gatedPredict struct {
	classes int
	gate    chan struct{}
	entered chan struct{}
	mu      sync.Mutex
	ran     [][]float64
	sizes   []int
}

func (g *gatedPredict) predict(_ context.Context, rows [][]float64) ([][]float64, error) {
	g.mu.Lock()
	g.ran = append(g.ran, append([]float64(nil), rows[0]...))
	g.sizes = append(g.sizes, len(rows))
	g.mu.Unlock()
	g.entered <- struct{}{}
	<-g.gate
	out := make([][]float64, len(rows))
	for i := range out {
		out[i] = make([]float64, g.classes)
		out[i][0] = 1
	}
	return out, nil
}

// TestSaturationRefusesAndDisplacesByStake fills a one-worker miner whose
// queue holds two requests: a caller with no more stake than every waiting
// request is refused at once, a caller with more displaces the lowest
// waiting one, both are counted as saturated, and the queue then runs
// highest stake first.
func TestSaturationRefusesAndDisplacesByStake(t *testing.T) {
	_, m := fixture(t)
	classes := len(m.Header.Schema.Classes)
	g := &gatedPredict{classes: classes, gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	keys := map[uint64]*client.PrivKeySigner{5: newKey(), 10: newKey(), 20: newKey(), 30: newKey(), 6: newKey()}
	h := startServer(t, Config{QueueCapacity: 2, Workers: 1, MaxBatchRows: 3, BatchWindow: -1}, func(d *Deps) {
		d.Predict = g.predict
		p := mapPermits{}
		uid := uint32(1)
		for stake, k := range keys {
			p[k.Address()] = Permit{UID: uid, Stake: stake}
			uid++
		}
		d.Permits = p
	})
	nonce := time.Now().UnixNano()
	// Each request has its own row count, which identifies it in a pass.
	send := func(stake uint64, rows int) <-chan error {
		req := request(t, 0, rows)
		nonce++
		md, _, err := client.SignRequest(keys[stake], req, h.miner.Address(), nonce)
		if err != nil {
			t.Fatal(err)
		}
		errc := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := synapsev1.NewAxonClient(h.conn).Infer(metadata.NewOutgoingContext(ctx, md), req)
			errc <- err
		}()
		return errc
	}
	waitDepth := func(want float64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for value(t, h.srv.m.queueDepth) != want {
			if time.Now().After(deadline) {
				t.Fatalf("queue depth %v, want %v", value(t, h.srv.m.queueDepth), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	exhausted := func(name string, errc <-chan error) {
		t.Helper()
		select {
		case err := <-errc:
			if status.Code(err) != codes.ResourceExhausted {
				t.Fatalf("%s: got %v, want ResourceExhausted", name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: not refused while the queue was full", name)
		}
	}
	saturated := func() float64 { return value(t, h.srv.m.rejections.WithLabelValues("saturated")) }

	running := send(5, 1) // takes the only worker and holds it
	<-g.entered
	waitDepth(0)
	low := send(10, 1)
	mid := send(20, 2)
	waitDepth(2)

	exhausted("stake 6 into a full queue of 10 and 20", send(6, 1))
	exhausted("stake 10 into a full queue of 10 and 20 (a tie does not displace)", send(10, 1))
	if got := saturated(); got != 2 {
		t.Fatalf("saturated rejections = %v after two refusals, want 2", got)
	}
	high := send(30, 3)
	exhausted("stake 10 displaced by stake 30", low)
	if got := saturated(); got != 3 {
		t.Fatalf("saturated rejections = %v after a displacement, want 3", got)
	}
	waitDepth(2)

	close(g.gate)
	for name, errc := range map[string]<-chan error{"stake 5 (running)": running, "stake 20": mid, "stake 30": high} {
		if err := <-errc; err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	// 3 + 2 rows exceed MaxBatchRows, so stake 30 and stake 20 run as two passes.
	if want := []int{1, 3, 2}; !reflect.DeepEqual(g.sizes, want) {
		t.Fatalf("passes ran requests of %v rows, want %v: stake 5 (running), then 30, then 20; the refused and displaced never run", g.sizes, want)
	}
	if got := saturated(); got != 3 {
		t.Fatalf("saturated rejections = %v at the end, want 3", got)
	}
}

// TestEqualStakeRunsInArrivalOrder: among callers with the same stake the
// queue is first in, first out.
func TestEqualStakeRunsInArrivalOrder(t *testing.T) {
	g := &gatedPredict{classes: 1, gate: make(chan struct{}), entered: make(chan struct{}, 8)}
	m, err := newMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	b := newBatcher(g.predict, 1, 0, 8, 1, m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.run(ctx)
	var jobs []*job
	for i := range 4 {
		j := &job{ctx: ctx, rows: [][]float64{{float64(i)}}, prio: 7, added: time.Now(), done: make(chan jobResult, 1)}
		if err := b.submit(j); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
		if i == 0 {
			<-g.entered // the first holds the worker while the rest queue up
		}
	}
	close(g.gate)
	for i, j := range jobs {
		if r := <-j.done; r.err != nil {
			t.Fatalf("job %d: %v", i, r.err)
		}
	}
	for i, row := range g.ran {
		if row[0] != float64(i) {
			t.Fatalf("pass %d ran job %v: equal stake must run first in, first out", i, row[0])
		}
	}
	if len(g.ran) != 4 {
		t.Fatalf("%d passes, want 4", len(g.ran))
	}
}
