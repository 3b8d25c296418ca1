package task

import (
	"maps"
	"math/big"
	"slices"
	"sort"
)

// IsNumeric reports whether the protected column's groups are ranges.
func (p Protected) IsNumeric() bool {
	names := p.GroupNames()
	// Validate makes every group the same kind; the first decides.
	return len(names) > 0 && p.Groups[names[0]].Range != nil
}

// GroupNames returns the group names in byte order: the group index order
// every miner and validator uses.
func (p Protected) GroupNames() []string { return slices.Sorted(maps.Keys(p.Groups)) }

func (s Spec) validateFairness() error {
	f := s.Fairness
	const pp = "fairness.protected"
	col := f.Protected.Column
	if col == "" {
		return fieldErr(pp+".column", "missing; name the protected column")
	}
	if err := checkText(pp+".column", col); err != nil {
		return err
	}
	if col == s.Label.Column {
		return fieldErr(pp+".column", "%s is the label column; the protected column must be a feature", quote(col))
	}
	for _, ig := range s.Ignore {
		if ig == col {
			return fieldErr(pp+".column", "%s is in ignore; the protected column must be a feature", quote(col))
		}
	}
	if err := oneOf("fairness.bias_metric", f.BiasMetric, BiasCounterfactualFlip, BiasDemographicParity, BiasEqualizedOdds); err != nil {
		return err
	}
	if f.BiasWeight == "" {
		return fieldErr("fairness.bias_weight", "missing; want a decimal %s, e.g. \"0.5\"", closedUnit.text)
	}
	if err := closedUnit.check(f.BiasWeight); err != nil {
		return fieldErr("fairness.bias_weight", "%v", err)
	}
	if f.BiasMetric != BiasCounterfactualFlip && s.Label.Positive == "" {
		return fieldErr("label.positive", "missing; bias_metric %s compares the rate of the positive class across groups, so name that class", f.BiasMetric)
	}
	numeric, err := f.Protected.validateGroups(pp + ".groups")
	if err != nil {
		return err
	}
	cf := f.Protected.Counterfactual
	if len(cf) == 0 {
		if f.BiasMetric == BiasCounterfactualFlip {
			return fieldErr(pp+".counterfactual", "missing; bias_metric %s needs every group's twin", BiasCounterfactualFlip)
		}
		return nil
	}
	if len(cf) > maxCounterfactuals {
		return fieldErr(pp+".counterfactual", "%d entries, at most %d allowed", len(cf), maxCounterfactuals)
	}
	if numeric {
		return f.Protected.validateNumericTwins(pp + ".counterfactual")
	}
	return f.Protected.validateNominalTwins(pp + ".counterfactual")
}

// validateGroups checks the groups and reports whether they are ranges.
func (p Protected) validateGroups(path string) (numeric bool, err error) {
	names := p.GroupNames()
	if len(names) < minGroups || len(names) > maxGroups {
		return false, fieldErr(path, "%d groups; want %d to %d", len(names), minGroups, maxGroups)
	}
	lists, ranges := 0, 0
	for _, name := range names {
		if err := checkText(member(path, name), name); err != nil {
			return false, err
		}
		switch g := p.Groups[name]; {
		case g.Range != nil && g.Values != nil:
			return false, fieldErr(member(path, name), "both a list and a range; a group is one or the other")
		case g.Range != nil:
			ranges++
		default:
			lists++
		}
	}
	if lists > 0 && ranges > 0 {
		return false, fieldErr(path, "mixes value lists and ranges; lists group a nominal column, ranges a numeric one")
	}
	if ranges > 0 {
		return true, p.validateRanges(path, names)
	}
	return false, p.validateLists(path, names)
}

func (p Protected) validateLists(path string, names []string) error {
	groupOf := map[string]string{}
	for _, name := range names {
		gp := member(path, name)
		vals := p.Groups[name].Values
		if len(vals) == 0 {
			return fieldErr(gp, "empty list; a group needs at least one value")
		}
		for i, v := range vals {
			if err := checkText(index(gp, i), v); err != nil {
				return err
			}
			if other, dup := groupOf[v]; dup {
				if other == name {
					return fieldErr(index(gp, i), "%s appears twice in the group", quote(v))
				}
				return fieldErr(index(gp, i), "%s is also in group %s; a value belongs to one group", quote(v), quote(other))
			}
			groupOf[v] = name
			if len(groupOf) > maxGroupValues {
				return fieldErr(path, "more than %d values over all groups", maxGroupValues)
			}
		}
	}
	return nil
}

// ratRange is a parsed range; nil bounds are unbounded.
type ratRange struct {
	name   string
	lo, hi *big.Rat
}

func (r ratRange) contains(v *big.Rat) bool {
	return (r.lo == nil || v.Cmp(r.lo) >= 0) && (r.hi == nil || v.Cmp(r.hi) < 0)
}

func (p Protected) parseRanges(path string, names []string) ([]ratRange, error) {
	out := make([]ratRange, 0, len(names))
	for _, name := range names {
		gp := member(path, name)
		g := p.Groups[name].Range
		if g.Min == "" && g.Max == "" {
			return nil, fieldErr(gp, "a range needs min, max or both (it is [min, max))")
		}
		r := ratRange{name: name}
		var err error
		if g.Min != "" {
			if r.lo, err = ParseDecimal(g.Min); err != nil {
				return nil, fieldErr(join(gp, "min"), "%v", err)
			}
		}
		if g.Max != "" {
			if r.hi, err = ParseDecimal(g.Max); err != nil {
				return nil, fieldErr(join(gp, "max"), "%v", err)
			}
		}
		if r.lo != nil && r.hi != nil && r.lo.Cmp(r.hi) >= 0 {
			return nil, fieldErr(gp, "min %s is not below max %s (a range is [min, max))", g.Min, g.Max)
		}
		out = append(out, r)
	}
	return out, nil
}

func (p Protected) validateRanges(path string, names []string) error {
	rs, err := p.parseRanges(path, names)
	if err != nil {
		return err
	}
	// By lower bound (unbounded first); then each range must end at or
	// before the next one starts.
	sorted := append([]ratRange(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].lo, sorted[j].lo
		return a == nil && b != nil || a != nil && b != nil && a.Cmp(b) < 0
	})
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if a.hi == nil || b.lo == nil || a.hi.Cmp(b.lo) > 0 {
			return fieldErr(path, "groups %s and %s overlap; ranges are [min, max) and a value belongs to one group", quote(a.name), quote(b.name))
		}
	}
	return nil
}

func (p Protected) validateNominalTwins(path string) error {
	groupOf := map[string]string{}
	for _, name := range p.GroupNames() {
		for _, v := range p.Groups[name].Values {
			groupOf[v] = name
		}
	}
	for _, k := range slices.Sorted(maps.Keys(p.Counterfactual)) {
		g, ok := groupOf[k]
		if !ok {
			return fieldErr(member(path, k), "%s is in no group; the keys are the groups' values", quote(k))
		}
		twin := p.Counterfactual[k]
		tg, ok := groupOf[twin]
		switch {
		case !ok:
			return fieldErr(member(path, k), "twin %s is in no group", quote(twin))
		case tg == g:
			return fieldErr(member(path, k), "twin %s is in the same group %s; a twin must change the group", quote(twin), quote(g))
		}
	}
	for _, name := range p.GroupNames() {
		for _, v := range p.Groups[name].Values {
			if _, ok := p.Counterfactual[v]; !ok {
				return fieldErr(member(path, v), "missing; every grouped value needs a twin (%s is in group %s)", quote(v), quote(name))
			}
		}
	}
	return nil
}

func (p Protected) validateNumericTwins(path string) error {
	names := p.GroupNames()
	rs, err := p.parseRanges("fairness.protected.groups", names)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(p.Counterfactual)) {
		if _, ok := p.Groups[k]; !ok {
			return fieldErr(member(path, k), "%s is not a group; for a numeric column the keys are group names", quote(k))
		}
		v, err := ParseDecimal(p.Counterfactual[k])
		if err != nil {
			return fieldErr(member(path, k), "%v", err)
		}
		in := ""
		for _, r := range rs {
			if r.contains(v) {
				in = r.name
			}
		}
		switch in {
		case "":
			return fieldErr(member(path, k), "twin value %s is in no group's range", p.Counterfactual[k])
		case k:
			return fieldErr(member(path, k), "twin value %s is in group %s itself; a twin must change the group", p.Counterfactual[k], quote(k))
		}
	}
	for _, name := range names {
		if _, ok := p.Counterfactual[name]; !ok {
			return fieldErr(member(path, name), "missing; every group needs the value its twins get")
		}
	}
	return nil
}
