// Package challenge samples the validator's evaluation batches (DESIGN §8):
// held-out rows from the subnet dataset's validation split, plus
// counterfactual twins of some of them (the same row with only the protected
// attribute flipped), shuffled together so that no position, count or flag
// tells a miner which rows are twins. Sampling is seeded (dataset.RNG), so a
// seed fixes every batch.
package challenge

import (
	"fmt"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/validator/scoring"
)

// Sampler draws challenges from one dataset. Not safe for concurrent use.
type Sampler struct {
	d    *dataset.Dataset
	pc   *dataset.ProtectedColumn // nil: no bias is measured
	rng  *dataset.RNG
	pool []int // scratch copy of the validation split
}

// NewSampler samples d's validation split. pc is the task's protected
// column (DESIGN §11), which names each row's group and makes its
// counterfactual twin; nil when no bias is measured (e.g. MNIST).
func NewSampler(d *dataset.Dataset, pc *dataset.ProtectedColumn, seed uint64) (*Sampler, error) {
	if len(d.Validation) == 0 {
		return nil, fmt.Errorf("challenge: dataset %s has an empty validation split", d.ID)
	}
	return &Sampler{d: d, pc: pc, rng: dataset.NewRNG(seed), pool: append([]int(nil), d.Validation...)}, nil
}

// Challenge is one batch: the rows to send, in request order, and what the
// scorer needs to judge the answers.
type Challenge struct {
	Rows  [][]float64
	Batch scoring.Batch
	// Source is the dataset row each request row comes from (a twin names
	// its original); Twin marks counterfactual rows. For logs and tests only:
	// neither is sent.
	Source []int
	Twin   []bool
}

// Len is the number of request rows.
func (c *Challenge) Len() int { return len(c.Rows) }

// Next draws n distinct validation rows (at most the split's size) and
// counterfactual twins for the first `pairs` of them (at most n; none
// without a protected column or without its counterfactual map), then
// shuffles all rows together.
func (s *Sampler) Next(n, pairs int) (*Challenge, error) {
	n = min(max(n, 1), len(s.pool))
	pairs = min(max(pairs, 0), n)
	if s.pc == nil || !s.pc.HasTwins() {
		pairs = 0
	}
	// Partial Fisher–Yates: the first n entries of pool become the sample.
	for i := 0; i < n; i++ {
		j := i + s.rng.Intn(len(s.pool)-i)
		s.pool[i], s.pool[j] = s.pool[j], s.pool[i]
	}
	type item struct {
		row    []float64
		src    int
		twinOf int // index into items of the original; -1 for an original
	}
	items := make([]item, 0, n+pairs)
	for _, r := range s.pool[:n] {
		items = append(items, item{row: s.d.Row(r), src: r, twinOf: -1})
	}
	for i := 0; i < pairs; i++ {
		cf, err := s.pc.Twin(items[i].row)
		if err != nil {
			return nil, fmt.Errorf("challenge: row %d: %w", items[i].src, err)
		}
		items = append(items, item{row: cf, src: items[i].src, twinOf: i})
	}
	order := make([]int, len(items)) // order[pos] = item index
	for i := range order {
		order[i] = i
	}
	dataset.Shuffle(s.rng, order)
	posOf := make([]int, len(items))
	for pos, it := range order {
		posOf[it] = pos
	}

	c := &Challenge{
		Rows:   make([][]float64, len(items)),
		Source: make([]int, len(items)),
		Twin:   make([]bool, len(items)),
		Batch: scoring.Batch{
			Labels: make([]int, len(items)),
			Groups: make([]string, len(items)),
		},
	}
	for pos, i := range order {
		it := items[i]
		c.Rows[pos] = append([]float64(nil), it.row...)
		c.Source[pos] = it.src
		c.Batch.Labels[pos] = s.d.Y[it.src]
		if s.pc != nil {
			g, err := s.pc.Group(it.row)
			if err != nil {
				return nil, fmt.Errorf("challenge: row %d: %w", it.src, err)
			}
			c.Batch.Groups[pos] = s.pc.Groups[g]
		}
		if it.twinOf >= 0 {
			c.Twin[pos] = true
			c.Batch.Pairs = append(c.Batch.Pairs, [2]int{posOf[it.twinOf], pos})
		} else {
			c.Batch.Eval = append(c.Batch.Eval, pos)
		}
	}
	return c, nil
}

// Favorable returns the index of the task's positive class (label.positive;
// 0 when the task names none, where the fairness metrics that need it are
// refused by the spec's validation).
func Favorable(s *dataset.Schema) int {
	for i, c := range s.Classes {
		if c == s.Favorable {
			return i
		}
	}
	return 0
}
