package miner

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// PredictFunc runs one forward pass over encoded rows (model.Predictor.Predict).
// It must not keep rows (the slice of rows is reused once it returns) or
// return it as its output.
type PredictFunc func(ctx context.Context, rows [][]float64) ([][]float64, error)

// job is one request's rows waiting for a forward pass.
type job struct {
	ctx   context.Context
	rows  [][]float64
	prio  uint64 // caller stake
	seq   uint64 // arrival order, FIFO among equal stake
	added time.Time
	done  chan jobResult // buffered 1: the batcher never blocks on it
	index int            // heap position
}

type jobResult struct {
	out [][]float64
	err error
}

// jobHeap pops the highest stake first, then the earliest arrival.
type jobHeap []*job

func (h jobHeap) Len() int { return len(h) }
func (h jobHeap) Less(i, j int) bool {
	if h[i].prio != h[j].prio {
		return h[i].prio > h[j].prio
	}
	return h[i].seq < h[j].seq
}
func (h jobHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i]; h[i].index = i; h[j].index = j }
func (h *jobHeap) Push(x any)   { j := x.(*job); j.index = len(*h); *h = append(*h, j) }
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return j
}
func (h jobHeap) lowest() *job { // O(n); n is the queue bound
	var lo *job
	for _, j := range h {
		if lo == nil || h.lessPrio(lo, j) {
			lo = j
		}
	}
	return lo
}

// lessPrio reports whether b should be dropped before a (lower stake, or
// equal stake and later arrival).
func (jobHeap) lessPrio(a, b *job) bool {
	if a.prio != b.prio {
		return b.prio < a.prio
	}
	return b.seq > a.seq
}

// batcher is a bounded priority queue in front of the model: requests wait
// while the forward-pass workers are busy and are merged into one pass of up
// to maxRows rows, waiting at most window after the oldest one's arrival for
// more to come. When the queue is full, a caller with more stake displaces
// the lowest-stake waiting request (which is refused as saturated).
type batcher struct {
	predict  PredictFunc
	maxRows  int
	window   time.Duration
	capacity int
	workers  int
	m        *metrics

	mu     sync.Mutex
	queue  jobHeap
	rows   int
	seq    uint64
	notify chan struct{}
}

func newBatcher(p PredictFunc, maxRows int, window time.Duration, capacity, workers int, m *metrics) *batcher {
	return &batcher{predict: p, maxRows: maxRows, window: window, capacity: capacity, workers: workers, m: m,
		notify: make(chan struct{}, 1)}
}

var errSaturated = status.Error(codes.ResourceExhausted, "miner saturated: queue full and every waiting request has at least your stake; retry later")

// submit queues j or refuses it with errSaturated.
func (b *batcher) submit(j *job) error {
	b.mu.Lock()
	if len(b.queue) >= b.capacity {
		lo := b.queue.lowest()
		if lo.prio >= j.prio {
			b.mu.Unlock()
			return errSaturated
		}
		heap.Remove(&b.queue, lo.index)
		b.rows -= len(lo.rows)
		lo.done <- jobResult{err: status.Error(codes.ResourceExhausted, "miner saturated: displaced by a caller with more stake; retry later")}
	}
	b.seq++
	j.seq = b.seq
	heap.Push(&b.queue, j)
	b.rows += len(j.rows)
	b.m.queueDepth.Set(float64(len(b.queue)))
	b.mu.Unlock()
	select {
	case b.notify <- struct{}{}:
	default:
	}
	return nil
}

// run dispatches batches until ctx ends, then fails what is still queued
// and waits for running passes.
func (b *batcher) run(ctx context.Context) {
	slots := make(chan struct{}, b.workers)
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		b.mu.Lock()
		for _, j := range b.queue {
			j.done <- jobResult{err: status.Error(codes.Unavailable, "miner shutting down")}
		}
		b.queue, b.rows = nil, 0
		b.mu.Unlock()
	}()
	for {
		// Wait for work, then for a free worker: while all workers are
		// busy, arrivals pile up and the next pass takes them together.
		for b.queued() == 0 {
			select {
			case <-ctx.Done():
				return
			case <-b.notify:
			}
		}
		select {
		case <-ctx.Done():
			return
		case slots <- struct{}{}:
		}
		b.fill(ctx)
		batch := b.take()
		if len(batch) == 0 {
			<-slots
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			b.runBatch(ctx, batch)
		}()
	}
}

func (b *batcher) queued() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// fill waits until maxRows rows are queued or the oldest job has waited window.
func (b *batcher) fill(ctx context.Context) {
	if b.window <= 0 {
		return
	}
	b.mu.Lock()
	oldest := time.Now()
	for _, j := range b.queue {
		if j.added.Before(oldest) {
			oldest = j.added
		}
	}
	full := b.rows >= b.maxRows
	b.mu.Unlock()
	if full {
		return
	}
	t := time.NewTimer(time.Until(oldest.Add(b.window)))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			return
		case <-b.notify:
			b.mu.Lock()
			full := b.rows >= b.maxRows
			b.mu.Unlock()
			if full {
				return
			}
		}
	}
}

// take pops jobs in priority order while they fit in maxRows (the first
// always fits: requests are capped at maxRows rows). Cancelled callers are
// dropped here rather than computed for.
func (b *batcher) take() []*job {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch []*job
	n := 0
	for len(b.queue) > 0 {
		j := b.queue[0]
		if j.ctx.Err() != nil {
			heap.Pop(&b.queue)
			b.rows -= len(j.rows)
			j.done <- jobResult{err: status.FromContextError(j.ctx.Err()).Err()}
			continue
		}
		if n > 0 && n+len(j.rows) > b.maxRows {
			break
		}
		heap.Pop(&b.queue)
		b.rows -= len(j.rows)
		n += len(j.rows)
		batch = append(batch, j)
	}
	b.m.queueDepth.Set(float64(len(b.queue)))
	if len(b.queue) > 0 { // wake the loop for the rest
		select {
		case b.notify <- struct{}{}:
		default:
		}
	}
	return batch
}

// batchRows holds runBatch's merged row slices.
var batchRows = sync.Pool{New: func() any { return new([][]float64) }}

// runBatch does one forward pass over every job's rows and hands each job its slice.
func (b *batcher) runBatch(ctx context.Context, batch []*job) {
	rp := batchRows.Get().(*[][]float64)
	rows := (*rp)[:0]
	for _, j := range batch {
		rows = append(rows, j.rows...)
	}
	defer func() { // the forward pass copies its input rows: the slice can be reused
		clear(rows)
		*rp = rows[:0]
		batchRows.Put(rp)
	}()
	b.m.batchSize.Observe(float64(len(rows)))
	out, err := b.predict(ctx, rows)
	if err == nil && len(out) != len(rows) {
		err = status.Errorf(codes.Internal, "forward pass returned %d rows for %d", len(out), len(rows))
	}
	o := 0
	for _, j := range batch {
		if err != nil {
			j.done <- jobResult{err: status.Errorf(codes.Internal, "forward pass: %v", err)}
			continue
		}
		j.done <- jobResult{out: out[o : o+len(j.rows)]}
		o += len(j.rows)
	}
}
