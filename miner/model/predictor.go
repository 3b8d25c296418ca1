package model

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DefaultBatchSizes are the batch sizes a Predictor compiles graphs for. A
// request is padded up to the next size, or split into chunks of the largest.
var DefaultBatchSizes = []int{1, 8, 32, 128, 256}

// PredictorOptions tune a Predictor; the zero value is usable.
type PredictorOptions struct {
	// BatchSizes to compile graphs for (default DefaultBatchSizes).
	BatchSizes []int
	// Workers bounds the graphs per batch size, i.e. how many forward passes
	// of one size run at once (default GOMAXPROCS).
	Workers int
}

// Predictor runs a model's forward pass and is safe for concurrent use.
//
// A Gorgonia TapeMachine is not goroutine-safe, and a graph's input shape is
// fixed, so the Predictor keeps, per batch size, a pool of sessions (graph +
// VM), created on first use up to Workers. The weights' backing arrays are
// shared by every session read-only: inference graphs compute no gradients,
// so nothing writes them.
type Predictor struct {
	arch  Architecture
	sizes []int
	pools []*sessionPool // parallel to sizes
}

// session is one compiled inference graph for one batch size.
type session struct {
	x   *G.Node
	out *G.Node // logits
	in  *tensor.Dense
	vm  G.VM
}

// sessionPool hands out sessions of one batch size: free holds idle ones,
// tokens bounds how many exist.
type sessionPool struct {
	size   int
	free   chan *session
	tokens chan struct{}
	build  func(size int) (*session, error)
}

// NewPredictor compiles nothing up front; graphs are built on first use.
func NewPredictor(m *Model, opts PredictorOptions) (*Predictor, error) {
	sizes := slices.Clone(opts.BatchSizes)
	if len(sizes) == 0 {
		sizes = slices.Clone(DefaultBatchSizes)
	}
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	if sizes[0] < 1 {
		return nil, fmt.Errorf("model: batch size %d < 1", sizes[0])
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := &Predictor{arch: m.Header.Architecture, sizes: sizes}
	weights := m.Weights
	build := func(size int) (*session, error) { return newSession(p.arch, weights, size) }
	for _, s := range sizes {
		p.pools = append(p.pools, &sessionPool{
			size:   s,
			free:   make(chan *session, workers),
			tokens: make(chan struct{}, workers),
			build:  build,
		})
	}
	return p, nil
}

// newSession builds the inference graph: weights bound as constant-valued
// inputs, then logits. The softmax is applied after the run (softmaxRows):
// Gorgonia's SoftMax op starts a goroutine per row and allocates per run,
// which made it ~30% of a 256-row forward pass of the reference MLP. The
// graph has no LogSoftMax either (that lives in the separate training graph:
// Gorgonia merges the two on one node, issue #569).
func newSession(a Architecture, weights []*tensor.Dense, size int) (*session, error) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(size, a.Inputs), G.WithName("x"))
	params := make([]*G.Node, len(weights))
	for i, w := range weights {
		// Each session gets its own tensor header over the shared backing
		// array: building a TapeMachine writes the engine field of every
		// bound tensor, so sharing the *tensor.Dense itself would race.
		// The float64 data is only read.
		view := tensor.New(tensor.WithShape(w.Shape()...), tensor.WithBacking(w.Data()))
		params[i] = G.NewMatrix(g, tensor.Float64, G.WithShape(w.Shape()...), G.WithName(ParamName(i)), G.WithValue(view))
	}
	logits, err := forward(x, params)
	if err != nil {
		return nil, err
	}
	in := tensor.New(tensor.WithShape(size, a.Inputs), tensor.Of(tensor.Float64))
	if err := G.Let(x, in); err != nil {
		return nil, err
	}
	return &session{x: x, out: logits, in: in, vm: G.NewTapeMachine(g)}, nil
}

func (sp *sessionPool) get(ctx context.Context) (*session, error) {
	select {
	case s := <-sp.free:
		return s, nil
	default:
	}
	select {
	case s := <-sp.free:
		return s, nil
	case sp.tokens <- struct{}{}:
		s, err := sp.build(sp.size)
		if err != nil {
			<-sp.tokens
			return nil, err
		}
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (sp *sessionPool) put(s *session) { sp.free <- s }

// Inputs is the width of one input row.
func (p *Predictor) Inputs() int { return p.arch.Inputs }

// Classes is the width of one output row.
func (p *Predictor) Classes() int { return p.arch.Classes }

// Predict returns class probabilities for each encoded input row. Rows are
// run in chunks of the largest batch size, a final partial chunk padded up to
// the smallest batch size that holds it.
func (p *Predictor) Predict(ctx context.Context, batch [][]float64) ([][]float64, error) {
	for i, row := range batch {
		if len(row) != p.arch.Inputs {
			return nil, fmt.Errorf("model: input row %d has %d values, want %d", i, len(row), p.arch.Inputs)
		}
	}
	out := make([][]float64, 0, len(batch))
	largest := p.sizes[len(p.sizes)-1]
	for start := 0; start < len(batch); start += largest {
		chunk := batch[start:min(start+largest, len(batch))]
		probs, err := p.run(ctx, chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, probs...)
	}
	return out, nil
}

// run does one forward pass for len(rows) ≤ largest batch size.
func (p *Predictor) run(ctx context.Context, rows [][]float64) (_ [][]float64, err error) {
	i, _ := slices.BinarySearch(p.sizes, len(rows))
	sp := p.pools[i]
	s, err := sp.get(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		// A serving miner must answer a bad request with an error, not die:
		// Gorgonia reports some failures by panicking. The session may be
		// left inconsistent, so it is dropped rather than reused.
		if r := recover(); r != nil {
			<-sp.tokens
			err = fmt.Errorf("model: forward pass panicked: %v", r)
			return
		}
		sp.put(s)
	}()

	in := s.in.Data().([]float64)
	w := p.arch.Inputs
	for r, row := range rows {
		copy(in[r*w:(r+1)*w], row)
	}
	clear(in[len(rows)*w:]) // padding rows: zeros, outputs discarded
	// Reset first: a TapeMachine that is not reset silently returns the
	// previous run's output.
	s.vm.Reset()
	if err := G.Let(s.x, s.in); err != nil {
		return nil, err
	}
	if err := s.vm.RunAll(); err != nil {
		return nil, fmt.Errorf("model: forward pass: %w", err)
	}
	res, ok := s.out.Value().Data().([]float64)
	if !ok {
		return nil, fmt.Errorf("model: unexpected output type %T", s.out.Value().Data())
	}
	c := p.arch.Classes
	flat := slices.Clone(res[:len(rows)*c]) // one allocation, not one per row
	softmaxRows(flat, c)
	out := make([][]float64, len(rows))
	for r := range out {
		out[r] = flat[r*c : (r+1)*c : (r+1)*c]
	}
	return out, nil
}

// Argmax is the index of the largest value (the first on ties).
func Argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// softmaxRows replaces each width-c row of v by its softmax, computed as
// Gorgonia's SoftMax does (exp(x − max) / Σ), so probabilities match the
// in-graph op to rounding.
func softmaxRows(v []float64, c int) {
	for r := 0; r+c <= len(v); r += c {
		row := v[r : r+c]
		m := row[0]
		for _, x := range row[1:] {
			m = max(m, x)
		}
		var sum float64
		for i, x := range row {
			e := math.Exp(x - m)
			row[i] = e
			sum += e
		}
		for i := range row {
			row[i] /= sum
		}
	}
}
