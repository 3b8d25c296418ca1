// Package model holds Assay's Gorgonia models: architecture, training with
// seeded initialisation, the versioned model file and its hash, and a
// goroutine-safe batched Predictor. See README.md for the file format.
package model

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/assay-network/assay/dataset"
)

// KindMLP is the only architecture so far: dense layers with ReLU between
// them and a softmax over the classes.
const KindMLP = "mlp"

// Limits on what a model file may declare, so a hostile header cannot make
// Load allocate without bound.
const (
	maxLayerWidth = 1 << 14
	maxLayers     = 16
	maxParams     = 1 << 26
)

// Architecture fixes the shape of a model: Inputs encoded features, Hidden
// layer widths, Classes outputs.
type Architecture struct {
	Kind    string `json:"kind"`
	Inputs  int    `json:"inputs"`
	Hidden  []int  `json:"hidden"`
	Classes int    `json:"classes"`
}

// String is a one-line description, e.g. "mlp 61-32-2".
func (a Architecture) String() string {
	s := fmt.Sprintf("%s %d", a.Kind, a.Inputs)
	for _, h := range a.Hidden {
		s += fmt.Sprintf("-%d", h)
	}
	return s + fmt.Sprintf("-%d", a.Classes)
}

// Validate rejects architectures this build cannot run.
func (a Architecture) Validate() error {
	if a.Kind != KindMLP {
		return fmt.Errorf("model: architecture %q unsupported (want %q)", a.Kind, KindMLP)
	}
	if len(a.Hidden) > maxLayers {
		return fmt.Errorf("model: %d hidden layers, at most %d", len(a.Hidden), maxLayers)
	}
	if a.Classes < 2 {
		return fmt.Errorf("model: %d classes, want at least 2", a.Classes)
	}
	params := 0
	for _, s := range a.Shapes() {
		for _, d := range s {
			if d <= 0 || d > maxLayerWidth {
				return fmt.Errorf("model: layer width %d out of range [1, %d]", d, maxLayerWidth)
			}
		}
		params += s[0] * s[1]
	}
	if params > maxParams {
		return fmt.Errorf("model: %d parameters, at most %d", params, maxParams)
	}
	return nil
}

// Shapes lists the parameter tensors in their fixed order: W0, b0, W1, b1, …
// where Wi is (fan-in × fan-out) and bi is (1 × fan-out).
func (a Architecture) Shapes() [][]int {
	var out [][]int
	in := a.Inputs
	for _, h := range append(append([]int{}, a.Hidden...), a.Classes) {
		out = append(out, []int{in, h}, []int{1, h})
		in = h
	}
	return out
}

// ParamName names parameter i in graphs and errors.
func ParamName(i int) string {
	if i%2 == 0 {
		return fmt.Sprintf("W%d", i/2)
	}
	return fmt.Sprintf("b%d", i/2)
}

// InitWeights returns He-initialised weights (uniform, suited to ReLU) and
// zero biases from a seeded generator. Gorgonia's own initialisers seed from
// the clock, so we never use them: the same seed must give the same model.
func InitWeights(a Architecture, seed uint64) []*tensor.Dense {
	rng := dataset.NewRNG(seed)
	var out []*tensor.Dense
	for i, s := range a.Shapes() {
		data := make([]float64, s[0]*s[1])
		if i%2 == 0 {
			limit := math.Sqrt(6 / float64(s[0]))
			for j := range data {
				data[j] = (2*rng.Float64() - 1) * limit
			}
		}
		out = append(out, tensor.New(tensor.WithShape(s...), tensor.WithBacking(data)))
	}
	return out
}

// forward adds the MLP to the graph of x and returns the logits node.
// params are W/b nodes in Shapes order.
func forward(x *G.Node, params []*G.Node) (*G.Node, error) {
	h := x
	for l := 0; l < len(params)/2; l++ {
		xw, err := G.Mul(h, params[2*l])
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", l, err)
		}
		// Broadcast the (1 × out) bias over the batch axis.
		h, err = G.BroadcastAdd(xw, params[2*l+1], nil, []byte{0})
		if err != nil {
			return nil, fmt.Errorf("layer %d bias: %w", l, err)
		}
		if l < len(params)/2-1 {
			if h, err = G.Rectify(h); err != nil {
				return nil, fmt.Errorf("layer %d relu: %w", l, err)
			}
		}
	}
	return h, nil
}
