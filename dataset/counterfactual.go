package dataset

import (
	"fmt"
	"slices"
)

// Protected describes a protected attribute: which feature carries it, how
// rows are grouped by it, and how a row's counterfactual (the same row with
// the attribute flipped, everything else equal) is made. It is data, not
// code, so it travels in model files and task specs unchanged.
//
// A categorical attribute flips through Swap (every category of the feature
// maps to its counterpart and names its group). A numeric one is split at
// Threshold: rows below it belong to BelowGroup and flip to AboveValue, the
// rest belong to AboveGroup and flip to BelowValue.
type Protected struct {
	Name    string `json:"name"`
	Feature string `json:"feature"`

	Swap []Swap `json:"swap,omitempty"`

	Threshold  float64 `json:"threshold,omitempty"`
	BelowGroup string  `json:"below_group,omitempty"`
	AboveGroup string  `json:"above_group,omitempty"`
	BelowValue float64 `json:"below_value,omitempty"`
	AboveValue float64 `json:"above_value,omitempty"`
}

// Swap maps one category to its counterfactual category and names the group
// the category belongs to (e.g. personal_status "male single" → "female
// single", group "male").
type Swap struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Group string `json:"group"`
}

// Validate checks p against the schema: the feature exists and, for a
// categorical feature, every category has exactly one swap to a known category.
func (p Protected) Validate(s *Schema) error {
	c := s.FeatureIndex(p.Feature)
	if c < 0 {
		return fmt.Errorf("dataset: protected attribute %q: no feature %q", p.Name, p.Feature)
	}
	f := s.Features[c]
	if f.Kind == Numeric {
		if len(p.Swap) != 0 || p.BelowGroup == "" || p.AboveGroup == "" {
			return fmt.Errorf("dataset: protected attribute %q on numeric %q needs a threshold and two groups, no swaps", p.Name, p.Feature)
		}
		if p.BelowValue >= p.Threshold || p.AboveValue < p.Threshold {
			return fmt.Errorf("dataset: protected attribute %q: flip values %v/%v do not cross threshold %v", p.Name, p.BelowValue, p.AboveValue, p.Threshold)
		}
		return nil
	}
	if len(p.Swap) != len(f.Categories) {
		return fmt.Errorf("dataset: protected attribute %q: %d swaps for %d categories of %q", p.Name, len(p.Swap), len(f.Categories), p.Feature)
	}
	for _, cat := range f.Categories {
		i := slices.IndexFunc(p.Swap, func(w Swap) bool { return w.From == cat })
		if i < 0 {
			return fmt.Errorf("dataset: protected attribute %q: no swap for category %q", p.Name, cat)
		}
		if !slices.Contains(f.Categories, p.Swap[i].To) {
			return fmt.Errorf("dataset: protected attribute %q: swap target %q is not a category of %q", p.Name, p.Swap[i].To, p.Feature)
		}
		if p.Swap[i].To == cat {
			return fmt.Errorf("dataset: protected attribute %q: category %q swaps to itself", p.Name, cat)
		}
	}
	return nil
}

// Group returns the group of row under p (e.g. "male" or "female").
func (p Protected) Group(s *Schema, row []float64) (string, error) {
	c, f, err := p.column(s, row)
	if err != nil {
		return "", err
	}
	if f.Kind == Numeric {
		if row[c] < p.Threshold {
			return p.BelowGroup, nil
		}
		return p.AboveGroup, nil
	}
	w, err := p.swapOf(f, row[c])
	return w.Group, err
}

// Counterfactual returns a copy of row with the protected attribute flipped
// and every other feature unchanged.
func (p Protected) Counterfactual(s *Schema, row []float64) ([]float64, error) {
	c, f, err := p.column(s, row)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(row)
	if f.Kind == Numeric {
		if row[c] < p.Threshold {
			out[c] = p.AboveValue
		} else {
			out[c] = p.BelowValue
		}
		return out, nil
	}
	w, err := p.swapOf(f, row[c])
	if err != nil {
		return nil, err
	}
	out[c] = float64(slices.Index(f.Categories, w.To))
	return out, nil
}

// Counterfactuals flips the protected attribute of every row.
func (p Protected) Counterfactuals(s *Schema, rows [][]float64) ([][]float64, error) {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		cf, err := p.Counterfactual(s, r)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		out[i] = cf
	}
	return out, nil
}

func (p Protected) column(s *Schema, row []float64) (int, Feature, error) {
	c := s.FeatureIndex(p.Feature)
	if c < 0 {
		return 0, Feature{}, fmt.Errorf("dataset: protected attribute %q: no feature %q", p.Name, p.Feature)
	}
	if len(row) != len(s.Features) {
		return 0, Feature{}, fmt.Errorf("dataset: row has %d values, want %d", len(row), len(s.Features))
	}
	return c, s.Features[c], nil
}

func (p Protected) swapOf(f Feature, v float64) (Swap, error) {
	k := int(v)
	if float64(k) != v || k < 0 || k >= len(f.Categories) {
		return Swap{}, fmt.Errorf("dataset: feature %s: category index %v out of range", f.Name, v)
	}
	i := slices.IndexFunc(p.Swap, func(w Swap) bool { return w.From == f.Categories[k] })
	if i < 0 {
		return Swap{}, fmt.Errorf("dataset: protected attribute %q: no swap for %q", p.Name, f.Categories[k])
	}
	return p.Swap[i], nil
}
