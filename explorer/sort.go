package explorer

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"cosmossdk.io/math"
)

// Column is one sortable metagraph column: its key (?sort=KEY), heading,
// the link that sorts by it, and the arrow showing the current order.
type Column struct {
	Key, Label, Href, Arrow string
}

type column struct {
	key, label string
	less       func(a, b *NeuronRow) int
}

func byInt(f func(r *NeuronRow) math.Int) func(a, b *NeuronRow) int {
	return func(a, b *NeuronRow) int { return f(a).BigIntMut().Cmp(f(b).BigIntMut()) }
}

func byDec(f func(r *NeuronRow) math.LegacyDec) func(a, b *NeuronRow) int {
	return func(a, b *NeuronRow) int { return f(a).BigIntMut().Cmp(f(b).BigIntMut()) }
}

// columns are the metagraph's columns in display order; every one sorts.
var columns = []column{
	{"uid", "UID", func(a, b *NeuronRow) int { return cmp.Compare(a.UID, b.UID) }},
	{"hotkey", "Hotkey", func(a, b *NeuronRow) int { return strings.Compare(a.Hotkey, b.Hotkey) }},
	{"coldkey", "Coldkey", func(a, b *NeuronRow) int { return strings.Compare(a.Coldkey, b.Coldkey) }},
	{"role", "Role", func(a, b *NeuronRow) int { return strings.Compare(a.Role, b.Role) }},
	{"stake", "Stake", byInt(func(r *NeuronRow) math.Int { return r.n.Stake })},
	{"permit", "Permit", func(a, b *NeuronRow) int { return cmpBool(a.ValidatorPermit, b.ValidatorPermit) }},
	{"trust", "V. trust", byDec(func(r *NeuronRow) math.LegacyDec { return r.n.ValidatorTrust })},
	{"consensus", "Consensus", byDec(func(r *NeuronRow) math.LegacyDec { return r.n.Consensus })},
	{"incentive", "Incentive", byDec(func(r *NeuronRow) math.LegacyDec { return r.n.Incentive })},
	{"dividends", "Dividends", byDec(func(r *NeuronRow) math.LegacyDec { return r.n.Dividends })},
	{"emission", "Emission (last epoch)", byInt(func(r *NeuronRow) math.Int { return r.n.Emission })},
	{"axon", "Axon", func(a, b *NeuronRow) int { return strings.Compare(a.Axon, b.Axon) }},
	{"model", "Model hash", func(a, b *NeuronRow) int { return strings.Compare(a.ModelHash, b.ModelHash) }},
	{"registered", "Registered at", func(a, b *NeuronRow) int { return cmp.Compare(a.RegisteredAt, b.RegisteredAt) }},
	{"updated", "Last update", func(a, b *NeuronRow) int { return cmp.Compare(a.LastUpdate, b.LastUpdate) }},
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}

func columnByKey(key string) (column, bool) {
	for _, c := range columns {
		if c.key == key {
			return c, true
		}
	}
	return column{}, false
}

// parseSort reads ?sort and ?order; empty means UID ascending.
func parseSort(key, order string) (column, bool, error) {
	if key == "" {
		key = "uid"
	}
	c, ok := columnByKey(key)
	if !ok {
		keys := make([]string, len(columns))
		for i, c := range columns {
			keys[i] = c.key
		}
		return column{}, false, &pageError{Status: http.StatusBadRequest, Msg: "sort " + quoteParam(key) + ": want one of " + strings.Join(keys, ", ")}
	}
	switch order {
	case "", "asc":
		return c, false, nil
	case "desc":
		return c, true, nil
	default:
		return column{}, false, &pageError{Status: http.StatusBadRequest, Msg: "order " + quoteParam(order) + ": want asc or desc"}
	}
}

// sortedMetagraph is base with its rows sorted by col (ties by UID, so the
// order is total) and the column links for that order. base is not changed;
// rows already in that order (UID ascending, the query's order) are shared
// with it. The sort moves pointers, not rows: a row is a few hundred bytes.
func sortedMetagraph(base Metagraph, col column, desc bool) Metagraph {
	m := base
	order := func(a, b *NeuronRow) int {
		c := col.less(a, b)
		if desc {
			c = -c
		}
		if c == 0 {
			return cmp.Compare(a.UID, b.UID)
		}
		return c
	}
	rows := make([]*NeuronRow, len(base.Neurons))
	for i := range base.Neurons {
		rows[i] = &base.Neurons[i]
	}
	if !slices.IsSortedFunc(rows, order) {
		slices.SortFunc(rows, order)
		m.Neurons = make([]NeuronRow, len(rows))
		for i, r := range rows {
			m.Neurons[i] = *r
		}
	}
	m.Sort, m.Order = col.key, "asc"
	if desc {
		m.Order = "desc"
	}
	m.Columns = make([]Column, len(columns))
	for i, c := range columns {
		next, arrow := "asc", ""
		if c.key == col.key {
			if desc {
				arrow = "▼"
			} else {
				next, arrow = "desc", "▲"
			}
		}
		q := url.Values{"sort": {c.key}, "order": {next}}
		m.Columns[i] = Column{Key: c.key, Label: c.label, Href: "?" + q.Encode(), Arrow: arrow}
	}
	return m
}
