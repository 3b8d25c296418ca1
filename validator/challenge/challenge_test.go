package challenge

import (
	"os"
	"slices"
	"testing"

	"github.com/assay-network/assay/dataset"
	"github.com/assay-network/assay/task"
)

// load is the built-in cps1985-wages task (protected column gender) on the
// committed copy of its file.
func load(t *testing.T) *dataset.Dataset {
	t.Helper()
	raw, err := os.ReadFile("../../scripts/tasks/cps1985-wages.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.LoadTask(s, map[string]string{task.RoleData: "../../dataset/testdata/cps1985-wages/data.csv"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNextShape(t *testing.T) {
	d := load(t)
	s, err := NewSampler(d, d.ProtectedColumn, 7)
	if err != nil {
		t.Fatal(err)
	}
	gender := d.Schema.FeatureIndex("gender")
	twinsAtEnd := 0
	for round := 0; round < 20; round++ {
		c, err := s.Next(40, 16)
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != 56 || len(c.Batch.Eval) != 40 || len(c.Batch.Pairs) != 16 {
			t.Fatalf("rows %d eval %d pairs %d, want 56/40/16", c.Len(), len(c.Batch.Eval), len(c.Batch.Pairs))
		}
		seen := map[int]bool{}
		for _, pos := range c.Batch.Eval {
			if c.Twin[pos] || seen[c.Source[pos]] {
				t.Fatalf("eval row %d is a twin or repeated", pos)
			}
			seen[c.Source[pos]] = true
			if !slices.Contains(d.Validation, c.Source[pos]) {
				t.Fatalf("row %d is not in the validation split", c.Source[pos])
			}
			if !slices.Equal(c.Rows[pos], d.Row(c.Source[pos])) {
				t.Fatalf("eval row %d differs from its dataset row", pos)
			}
		}
		for _, p := range c.Batch.Pairs {
			o, cf := c.Rows[p[0]], c.Rows[p[1]]
			for j := range o {
				if (j == gender) == (o[j] == cf[j]) {
					t.Fatalf("pair %v: feature %d equal=%v; only gender may differ", p, j, o[j] == cf[j])
				}
			}
			if c.Batch.Groups[p[0]] == c.Batch.Groups[p[1]] {
				t.Fatalf("pair %v: both in group %s", p, c.Batch.Groups[p[0]])
			}
			if c.Batch.Labels[p[0]] != c.Batch.Labels[p[1]] {
				t.Fatalf("pair %v: labels differ", p)
			}
			if p[1] >= 40 {
				twinsAtEnd++
			}
		}
	}
	// Twins are shuffled in: with 16 of 56 positions, about 16·16/56 ≈ 4.6
	// per round land in the last 16; all 320 there would mean no mixing.
	if twinsAtEnd > 200 {
		t.Errorf("%d of 320 twins in the last 16 positions: not mixed", twinsAtEnd)
	}
}

func TestSeeded(t *testing.T) {
	d := load(t)
	a, _ := NewSampler(d, d.ProtectedColumn, 3)
	b, _ := NewSampler(d, d.ProtectedColumn, 3)
	c, _ := NewSampler(d, d.ProtectedColumn, 4)
	x, _ := a.Next(30, 10)
	y, _ := b.Next(30, 10)
	z, _ := c.Next(30, 10)
	if !slices.Equal(x.Source, y.Source) || !slices.Equal(x.Twin, y.Twin) {
		t.Error("same seed, different challenge")
	}
	if slices.Equal(x.Source, z.Source) {
		t.Error("different seeds, same challenge")
	}
}

func TestLimitsAndNoAttribute(t *testing.T) {
	d := load(t)
	s, err := NewSampler(d, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Next(100000, 50)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != len(d.Validation) || len(c.Batch.Pairs) != 0 {
		t.Errorf("rows %d pairs %d, want the whole split (%d) and no pairs", c.Len(), len(c.Batch.Pairs), len(d.Validation))
	}
	if Favorable(&d.Schema) != 0 {
		t.Errorf("favorable of cps (no label.positive) = %d, want 0", Favorable(&d.Schema))
	}
	if k := Favorable(&dataset.Schema{Classes: []string{"bad", "good"}, Favorable: "good"}); k != 1 {
		t.Errorf("favorable good of [bad good] = %d, want 1", k)
	}
}
