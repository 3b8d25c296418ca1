package task

// decodeSpec maps the JSON tree onto a Spec, checking JSON types only;
// Validate checks the values.
func decodeSpec(root *node) (Spec, error) {
	var s Spec
	m, err := object("", root, "name", "task_type", "dataset", "label", "ignore", "split",
		"metric", "fairness", "reward", "max_latency_ms")
	if err != nil {
		return s, err
	}
	if s.Name, err = str("name", m["name"]); err != nil {
		return s, err
	}
	if s.TaskType, err = str("task_type", m["task_type"]); err != nil {
		return s, err
	}
	if m["dataset"] == nil {
		return s, fieldErr("dataset", "missing; want an object with format and files")
	}
	if s.Dataset, err = decodeDataset("dataset", m["dataset"]); err != nil {
		return s, err
	}
	if n := m["label"]; n != nil {
		if s.Label, err = decodeLabel("label", n); err != nil {
			return s, err
		}
	}
	if s.Ignore, err = strList("ignore", m["ignore"]); err != nil {
		return s, err
	}
	if n := m["split"]; n != nil {
		if s.Split, err = decodeSplit("split", n); err != nil {
			return s, err
		}
	}
	if s.Metric, err = str("metric", m["metric"]); err != nil {
		return s, err
	}
	if n := m["fairness"]; n != nil {
		f, err := decodeFairness("fairness", n)
		if err != nil {
			return s, err
		}
		s.Fairness = &f
	}
	if m["reward"] == nil {
		return s, fieldErr("reward", "missing; want an object with baseline and temperature")
	}
	if s.Reward, err = decodeReward("reward", m["reward"]); err != nil {
		return s, err
	}
	lat, err := whole("max_latency_ms", m["max_latency_ms"], maxLatencyMS)
	s.MaxLatencyMS = uint32(lat)
	return s, err
}

func decodeDataset(path string, n *node) (Dataset, error) {
	var d Dataset
	m, err := object(path, n, "format", "files", "csv")
	if err != nil {
		return d, err
	}
	if d.Format, err = str(join(path, "format"), m["format"]); err != nil {
		return d, err
	}
	if fn := m["files"]; fn != nil {
		fp := join(path, "files")
		if fn.kind != kindArray {
			return d, fieldErr(fp, "want a list of files, got %s", fn.describe())
		}
		for i, e := range fn.elems {
			f, err := decodeFile(index(fp, i), e)
			if err != nil {
				return d, err
			}
			d.Files = append(d.Files, f)
		}
	}
	if cn := m["csv"]; cn != nil {
		c, err := decodeCSV(join(path, "csv"), cn)
		if err != nil {
			return d, err
		}
		d.CSV = &c
	}
	return d, nil
}

func decodeFile(path string, n *node) (File, error) {
	var f File
	m, err := object(path, n, "role", "sha256", "size_bytes", "urls")
	if err != nil {
		return f, err
	}
	if f.Role, err = str(join(path, "role"), m["role"]); err != nil {
		return f, err
	}
	if f.SHA256, err = str(join(path, "sha256"), m["sha256"]); err != nil {
		return f, err
	}
	if f.SizeBytes, err = whole(join(path, "size_bytes"), m["size_bytes"], MaxFileBytes); err != nil {
		return f, err
	}
	f.URLs, err = strList(join(path, "urls"), m["urls"])
	return f, err
}

func decodeCSV(path string, n *node) (CSVOptions, error) {
	c := CSVOptions{Header: true}
	m, err := object(path, n, "delimiter", "header")
	if err != nil {
		return c, err
	}
	if c.Delimiter, err = str(join(path, "delimiter"), m["delimiter"]); err != nil {
		return c, err
	}
	if h := m["header"]; h != nil {
		c.Header, err = boolean(join(path, "header"), h)
	}
	return c, err
}

func decodeLabel(path string, n *node) (Label, error) {
	var l Label
	m, err := object(path, n, "column", "positive")
	if err != nil {
		return l, err
	}
	if l.Column, err = str(join(path, "column"), m["column"]); err != nil {
		return l, err
	}
	l.Positive, err = str(join(path, "positive"), m["positive"])
	return l, err
}

func decodeSplit(path string, n *node) (Split, error) {
	var s Split
	m, err := object(path, n, "seed", "validation_fraction")
	if err != nil {
		return s, err
	}
	if m["seed"] == nil {
		// 0 is a valid seed, so a forgotten seed could not be told apart later.
		return s, fieldErr(join(path, "seed"), "missing; want a whole number in [0, %d]", uint64(maxSeed))
	}
	if s.Seed, err = whole(join(path, "seed"), m["seed"], maxSeed); err != nil {
		return s, err
	}
	s.ValidationFraction, err = decimalStr(join(path, "validation_fraction"), m["validation_fraction"])
	return s, err
}

func decodeFairness(path string, n *node) (Fairness, error) {
	var f Fairness
	m, err := object(path, n, "protected", "bias_metric", "bias_weight")
	if err != nil {
		return f, err
	}
	if m["protected"] == nil {
		return f, fieldErr(join(path, "protected"), "missing; want an object with column, groups and counterfactual")
	}
	if f.Protected, err = decodeProtected(join(path, "protected"), m["protected"]); err != nil {
		return f, err
	}
	if f.BiasMetric, err = str(join(path, "bias_metric"), m["bias_metric"]); err != nil {
		return f, err
	}
	f.BiasWeight, err = decimalStr(join(path, "bias_weight"), m["bias_weight"])
	return f, err
}

func decodeProtected(path string, n *node) (Protected, error) {
	var p Protected
	m, err := object(path, n, "column", "groups", "counterfactual")
	if err != nil {
		return p, err
	}
	if p.Column, err = str(join(path, "column"), m["column"]); err != nil {
		return p, err
	}
	if gn := m["groups"]; gn != nil {
		gp := join(path, "groups")
		if gn.kind != kindObject {
			return p, fieldErr(gp, "want an object of groups, got %s", gn.describe())
		}
		p.Groups = make(map[string]Group, len(gn.keys))
		for i, k := range gn.keys {
			g, err := decodeGroup(member(gp, k), gn.vals[i])
			if err != nil {
				return p, err
			}
			p.Groups[k] = g
		}
	}
	if cn := m["counterfactual"]; cn != nil {
		cp := join(path, "counterfactual")
		if cn.kind != kindObject {
			return p, fieldErr(cp, "want an object mapping values to twin values, got %s", cn.describe())
		}
		p.Counterfactual = make(map[string]string, len(cn.keys))
		for i, k := range cn.keys {
			// A twin is a nominal value or a decimal; both are strings.
			v, err := decimalStr(member(cp, k), cn.vals[i])
			if err != nil {
				return p, err
			}
			p.Counterfactual[k] = v
		}
	}
	return p, nil
}

// decodeGroup reads a nominal group (a list of values) or a numeric range
// ({"min": .., "max": ..}).
func decodeGroup(path string, n *node) (Group, error) {
	switch n.kind {
	case kindArray:
		vals, err := strList(path, n)
		if vals == nil {
			vals = []string{} // present but empty: Validate names it
		}
		return Group{Values: vals}, err
	case kindObject:
		m, err := object(path, n, "min", "max")
		if err != nil {
			return Group{}, err
		}
		var r Range
		if r.Min, err = decimalStr(join(path, "min"), m["min"]); err != nil {
			return Group{}, err
		}
		if r.Max, err = decimalStr(join(path, "max"), m["max"]); err != nil {
			return Group{}, err
		}
		return Group{Range: &r}, nil
	}
	return Group{}, fieldErr(path, "want a list of values or a range {\"min\": \"..\", \"max\": \"..\"}, got %s", n.describe())
}

func decodeReward(path string, n *node) (Reward, error) {
	var r Reward
	m, err := object(path, n, "baseline", "temperature", "copy_epsilon")
	if err != nil {
		return r, err
	}
	if r.Baseline, err = str(join(path, "baseline"), m["baseline"]); err != nil {
		return r, err
	}
	if r.Temperature, err = decimalStr(join(path, "temperature"), m["temperature"]); err != nil {
		return r, err
	}
	r.CopyEpsilon, err = decimalStr(join(path, "copy_epsilon"), m["copy_epsilon"])
	return r, err
}
