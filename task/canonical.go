package task

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"unicode/utf16"
)

// WithDefaults returns the spec with the defaults of the canonical form
// filled in (the package doc, step 1). It does not change s.
func (s Spec) WithDefaults() Spec {
	if s.Reward.CopyEpsilon == "" {
		s.Reward.CopyEpsilon = DefaultCopyEpsilon
	}
	if s.Dataset.Format == FormatCSV {
		c := CSVOptions{Delimiter: ",", Header: true}
		if s.Dataset.CSV != nil {
			c = *s.Dataset.CSV
			if c.Delimiter == "" {
				c.Delimiter = ","
			}
		}
		s.Dataset.CSV = &c
	}
	return s
}

// Canonical returns the canonical JSON of a valid spec (the package doc).
// Parse(Canonical()) gives back an equal spec.
func (s Spec) Canonical() ([]byte, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s = s.WithDefaults()
	var root jObject
	root.str("name", s.Name)
	root.str("task_type", s.TaskType)
	root.add("dataset", s.Dataset.canonical())
	if !s.IsImage() {
		var l jObject
		l.str("column", s.Label.Column)
		l.str("positive", s.Label.Positive)
		root.add("label", l)
		root.add("ignore", sortedStrings(s.Ignore))
		var sp jObject
		sp.add("seed", jUint(s.Split.Seed))
		sp.str("validation_fraction", normalDecimal(s.Split.ValidationFraction))
		root.add("split", sp)
	}
	root.str("metric", s.Metric)
	if s.Fairness != nil {
		root.add("fairness", s.Fairness.canonical())
	}
	var r jObject
	r.str("baseline", s.Reward.Baseline)
	r.str("temperature", normalDecimal(s.Reward.Temperature))
	r.str("copy_epsilon", normalDecimal(s.Reward.CopyEpsilon))
	root.add("reward", r)
	root.add("max_latency_ms", jUint(s.MaxLatencyMS))
	var out []byte
	root.write(&out)
	return out, nil
}

// Hash is the task hash: the lowercase hex SHA-256 of Canonical().
func (s Spec) Hash() (string, error) {
	b, err := s.Canonical()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// MarshalJSON writes the canonical form, so a Spec embedded in JSON output
// reads as a task file.
func (s Spec) MarshalJSON() ([]byte, error) { return s.Canonical() }

// UnmarshalJSON is Parse.
func (s *Spec) UnmarshalJSON(b []byte) error {
	v, err := Parse(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func (d Dataset) canonical() jObject {
	var o jObject
	o.str("format", d.Format)
	files := slices.Clone(d.Files)
	slices.SortFunc(files, func(a, b File) int { return compareUTF16(a.Role, b.Role) })
	var fs jArray
	for _, f := range files {
		var fo jObject
		fo.str("role", f.Role)
		fo.str("sha256", f.SHA256)
		fo.add("size_bytes", jUint(f.SizeBytes))
		var urls jArray
		for _, u := range f.URLs {
			urls = append(urls, jString(u))
		}
		fo.add("urls", urls)
		fs = append(fs, fo)
	}
	o.add("files", fs)
	if d.CSV != nil {
		var c jObject
		c.str("delimiter", d.CSV.Delimiter)
		c.add("header", jBool(d.CSV.Header))
		o.add("csv", c)
	}
	return o
}

func (f Fairness) canonical() jObject {
	p := f.Protected
	numeric := p.IsNumeric()
	var groups jObject
	for _, name := range p.GroupNames() {
		g := p.Groups[name]
		if g.Range != nil {
			var r jObject
			r.str("min", normalDecimal(g.Range.Min))
			r.str("max", normalDecimal(g.Range.Max))
			groups.add(name, r)
			continue
		}
		groups.add(name, sortedStrings(g.Values))
	}
	var cf jObject
	for _, k := range slices.Sorted(maps.Keys(p.Counterfactual)) {
		v := p.Counterfactual[k]
		if numeric {
			v = normalDecimal(v)
		}
		cf.str(k, v)
	}
	var po jObject
	po.str("column", p.Column)
	po.add("groups", groups)
	po.add("counterfactual", cf)
	var o jObject
	o.add("protected", po)
	o.str("bias_metric", f.BiasMetric)
	o.str("bias_weight", normalDecimal(f.BiasWeight))
	return o
}

func sortedStrings(v []string) jArray {
	v = slices.Clone(v)
	slices.SortFunc(v, compareUTF16)
	var a jArray
	for _, s := range v {
		a = append(a, jString(s))
	}
	return a
}

// The canonical JSON writer (RFC 8785 for the value types a spec has).
type (
	jValue  interface{ write(*[]byte) }
	jObject []jMember
	jMember struct {
		key string
		val jValue
	}
	jArray  []jValue
	jString string
	jUint   uint64
	jBool   bool
)

// add appends a member unless it is an empty object, list or string.
func (o *jObject) add(key string, v jValue) {
	switch x := v.(type) {
	case jObject:
		if len(x) == 0 {
			return
		}
	case jArray:
		if len(x) == 0 {
			return
		}
	case jString:
		if x == "" {
			return
		}
	}
	*o = append(*o, jMember{key, v})
}

func (o *jObject) str(key, v string) { o.add(key, jString(v)) }

func (o jObject) write(b *[]byte) {
	ms := slices.Clone(o)
	slices.SortFunc(ms, func(x, y jMember) int { return compareUTF16(x.key, y.key) })
	*b = append(*b, '{')
	for i, m := range ms {
		if i > 0 {
			*b = append(*b, ',')
		}
		jString(m.key).write(b)
		*b = append(*b, ':')
		m.val.write(b)
	}
	*b = append(*b, '}')
}

func (a jArray) write(b *[]byte) {
	*b = append(*b, '[')
	for i, v := range a {
		if i > 0 {
			*b = append(*b, ',')
		}
		v.write(b)
	}
	*b = append(*b, ']')
}

func (u jUint) write(b *[]byte) { *b = strconv.AppendUint(*b, uint64(u), 10) }

func (v jBool) write(b *[]byte) { *b = strconv.AppendBool(*b, bool(v)) }

// write escapes as RFC 8785 (ECMAScript JSON.stringify) does.
func (s jString) write(b *[]byte) {
	const hexDigits = "0123456789abcdef"
	*b = append(*b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			*b = append(*b, '\\', c)
		case '\b':
			*b = append(*b, '\\', 'b')
		case '\f':
			*b = append(*b, '\\', 'f')
		case '\n':
			*b = append(*b, '\\', 'n')
		case '\r':
			*b = append(*b, '\\', 'r')
		case '\t':
			*b = append(*b, '\\', 't')
		default:
			if c < 0x20 {
				*b = append(*b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				*b = append(*b, c)
			}
		}
	}
	*b = append(*b, '"')
}

// compareUTF16 orders strings by their UTF-16 code units, as RFC 8785
// orders member names (it differs from byte order only above U+FFFF).
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}
