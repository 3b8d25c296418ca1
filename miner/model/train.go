package model

import (
	"context"
	"fmt"
	"math"

	"github.com/rs/zerolog"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/assay-network/assay/dataset"
)

// TrainConfig fixes a training run. Given the same dataset and config,
// training produces the same weights bit for bit (same binary and machine).
type TrainConfig struct {
	Variant   string // recorded in the header only
	Hidden    []int
	Epochs    int
	BatchSize int
	LearnRate float64
	L2        float64
	Seed      uint64
	// MaxTrainRows, when positive, trains on the first rows of the train
	// split only (quick tests, the undertrained reference model).
	MaxTrainRows int
	// Relabel, when set, replaces the labels of the training rows before
	// training (the biased reference model learns from such labels).
	// Validation accuracy is always measured on the true labels.
	Relabel func(ctx context.Context, rows [][]float64, labels []int) ([]int, error)
	Log     zerolog.Logger
}

// Train fits an MLP on d's train split and reports its accuracy on d's
// validation split (also recorded in the header).
func Train(ctx context.Context, d *dataset.Dataset, cfg TrainConfig) (*Model, error) {
	if cfg.Epochs < 1 || cfg.BatchSize < 1 || !(cfg.LearnRate > 0) {
		return nil, fmt.Errorf("model: epochs %d, batch size %d and learn rate %v must be positive", cfg.Epochs, cfg.BatchSize, cfg.LearnRate)
	}
	trainIdx := d.Train
	if cfg.MaxTrainRows > 0 && cfg.MaxTrainRows < len(trainIdx) {
		trainIdx = trainIdx[:cfg.MaxTrainRows]
	}
	if len(trainIdx) < cfg.BatchSize {
		return nil, fmt.Errorf("model: %d training rows, fewer than batch size %d", len(trainIdx), cfg.BatchSize)
	}
	labels := d.Labels(trainIdx)
	if cfg.Relabel != nil {
		rows, _ := d.Rows(trainIdx)
		relabelled, err := cfg.Relabel(ctx, rows, labels)
		if err != nil {
			return nil, err
		}
		if len(relabelled) != len(labels) {
			return nil, fmt.Errorf("model: relabel returned %d labels for %d rows", len(relabelled), len(labels))
		}
		for i, c := range relabelled {
			if c < 0 || c >= len(d.Schema.Classes) {
				return nil, fmt.Errorf("model: relabel gave row %d class %d", i, c)
			}
		}
		labels = relabelled
	}

	enc, err := dataset.DeriveEncoder(d)
	if err != nil {
		return nil, err
	}
	h := Header{
		Task:     d.Task,
		Dataset:  d.ID,
		TaskHash: d.TaskHash,
		Architecture: Architecture{
			Kind: KindMLP, Inputs: enc.Width(), Hidden: cfg.Hidden, Classes: len(d.Schema.Classes),
		},
		Schema:  d.Schema,
		Encoder: *enc,
		Training: TrainingInfo{
			Variant: cfg.Variant, Seed: cfg.Seed, Epochs: cfg.Epochs, BatchSize: cfg.BatchSize,
			LearnRate: cfg.LearnRate, TrainRows: len(trainIdx),
		},
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	// Encoded straight from the dataset's store: an image task's raw rows
	// as float64 would double the memory training needs.
	x, err := d.EncodeRows(enc, trainIdx)
	if err != nil {
		return nil, fmt.Errorf("model: encoding train split: %w", err)
	}
	weights, err := fit(ctx, h.Architecture, x, labels, cfg)
	if err != nil {
		return nil, err
	}
	m, err := New(h, weights)
	if err != nil {
		return nil, err
	}
	acc, err := ValidationAccuracy(ctx, m, d)
	if err != nil {
		return nil, err
	}
	m.Header.Training.ValidationAccuracy = acc
	cfg.Log.Info().Str("dataset", d.ID).Str("variant", cfg.Variant).Str("arch", h.Architecture.String()).
		Float64("val_accuracy", acc).Msg("trained")
	return m, nil
}

// fit runs minibatch Adam on the training graph: logits → LogSoftMax →
// mean negative log-likelihood. The graph has a fixed batch size, so each
// epoch reshuffles (seeded) and drops the last partial batch; every row is
// still seen across epochs.
func fit(ctx context.Context, a Architecture, x []float64, labels []int, cfg TrainConfig) ([]*tensor.Dense, error) {
	n, in, bs := len(labels), a.Inputs, cfg.BatchSize
	g := G.NewGraph()
	xn := G.NewMatrix(g, tensor.Float64, G.WithShape(bs, in), G.WithName("x"))
	yn := G.NewMatrix(g, tensor.Float64, G.WithShape(bs, a.Classes), G.WithName("y"))
	init := InitWeights(a, cfg.Seed)
	params := make(G.Nodes, len(init))
	for i, w := range init {
		params[i] = G.NewMatrix(g, tensor.Float64, G.WithShape(w.Shape()...), G.WithName(ParamName(i)), G.WithValue(w))
	}
	logits, err := forward(xn, params)
	if err != nil {
		return nil, err
	}
	logp, err := G.LogSoftMax(logits)
	if err != nil {
		return nil, fmt.Errorf("model: log-softmax: %w", err)
	}
	picked, err := G.HadamardProd(logp, yn)
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(picked)
	if err != nil {
		return nil, err
	}
	loss, err := G.Div(sum, G.NewConstant(-float64(bs)))
	if err != nil {
		return nil, err
	}
	var lossVal G.Value
	G.Read(loss, &lossVal)
	if _, err := G.Grad(loss, params...); err != nil {
		return nil, fmt.Errorf("model: gradient: %w", err)
	}
	vm := G.NewTapeMachine(g, G.BindDualValues(params...))
	defer vm.Close()
	opts := []G.SolverOpt{G.WithLearnRate(cfg.LearnRate)}
	if cfg.L2 > 0 {
		opts = append(opts, G.WithL2Reg(cfg.L2))
	}
	solver := G.NewAdamSolver(opts...)

	xb := tensor.New(tensor.WithShape(bs, in), tensor.Of(tensor.Float64))
	yb := tensor.New(tensor.WithShape(bs, a.Classes), tensor.Of(tensor.Float64))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// A generator distinct from the weight initialiser's, same seed.
	rng := dataset.NewRNG(cfg.Seed ^ 0x5bd1e995)
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		dataset.Shuffle(rng, order)
		var total float64
		batches := n / bs
		for b := 0; b < batches; b++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			xd, yd := xb.Data().([]float64), yb.Data().([]float64)
			clear(yd)
			for r := 0; r < bs; r++ {
				row := order[b*bs+r]
				copy(xd[r*in:(r+1)*in], x[row*in:(row+1)*in])
				yd[r*a.Classes+labels[row]] = 1
			}
			if err := G.Let(xn, xb); err != nil {
				return nil, err
			}
			if err := G.Let(yn, yb); err != nil {
				return nil, err
			}
			if err := vm.RunAll(); err != nil {
				return nil, fmt.Errorf("model: training step: %w", err)
			}
			if err := solver.Step(G.NodesToValueGrads(params)); err != nil {
				return nil, fmt.Errorf("model: solver step: %w", err)
			}
			total += lossVal.Data().(float64)
			vm.Reset()
		}
		avg := total / float64(batches)
		if math.IsNaN(avg) || math.IsInf(avg, 0) {
			return nil, fmt.Errorf("model: training diverged at epoch %d (loss %v)", epoch+1, avg)
		}
		cfg.Log.Debug().Int("epoch", epoch+1).Float64("loss", avg).Msg("epoch")
	}
	out := make([]*tensor.Dense, len(params))
	for i, p := range params {
		w, ok := p.Value().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("model: parameter %s has value %T", ParamName(i), p.Value())
		}
		out[i] = w.Clone().(*tensor.Dense)
	}
	return out, nil
}
