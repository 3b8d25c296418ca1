package task

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse reads a task file strictly (unknown or repeated members, nulls and
// values of the wrong JSON type are errors), fills the defaults and runs
// Validate. Every error is one line naming the field's JSON path, the value
// found and what is allowed, and matches ErrInvalid.
func Parse(b []byte) (Spec, error) {
	if len(b) > MaxSpecBytes {
		return Spec{}, fieldErr("", "task file is %d bytes, at most %d allowed", len(b), MaxSpecBytes)
	}
	if !utf8.Valid(b) {
		return Spec{}, fieldErr("", "task file is not valid UTF-8")
	}
	root, err := parseTree(b)
	if err != nil {
		return Spec{}, err
	}
	s, err := decodeSpec(root)
	if err != nil {
		return Spec{}, err
	}
	s = s.WithDefaults()
	if err := s.Validate(); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// object checks n is an object whose members are all in allowed.
func object(path string, n *node, allowed ...string) (map[string]*node, error) {
	if n.kind != kindObject {
		return nil, fieldErr(path, "want an object, got %s", n.describe())
	}
	m := make(map[string]*node, len(n.keys))
	for i, k := range n.keys {
		known := false
		for _, a := range allowed {
			known = known || a == k
		}
		if !known {
			return nil, fieldErr(join(path, k), "unknown field; allowed here: %s", strings.Join(allowed, ", "))
		}
		m[k] = n.vals[i]
	}
	return m, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// member is the path of a map entry, quoted because keys are free text.
func member(path, key string) string { return path + "[" + strconv.Quote(key) + "]" }

func str(path string, n *node) (string, error) {
	if n == nil {
		return "", nil
	}
	if n.kind != kindString {
		return "", fieldErr(path, "want a string, got %s", n.describe())
	}
	return n.text, nil
}

// decimalStr reads a decimal, which the spec writes as a string so that no
// JSON reader rounds it.
func decimalStr(path string, n *node) (string, error) {
	if n != nil && n.kind == kindNumber {
		return "", fieldErr(path, "got number %s; write decimals as strings, e.g. \"%s\"", n.text, n.text)
	}
	return str(path, n)
}

func strList(path string, n *node) ([]string, error) {
	if n == nil {
		return nil, nil
	}
	if n.kind != kindArray {
		return nil, fieldErr(path, "want a list of strings, got %s", n.describe())
	}
	out := make([]string, len(n.elems))
	for i, e := range n.elems {
		v, err := str(index(path, i), e)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// whole reads a whole number in [0, hi].
func whole(path string, n *node, hi uint64) (uint64, error) {
	if n == nil {
		return 0, nil
	}
	if n.kind != kindNumber {
		return 0, fieldErr(path, "want a whole number in [0, %d], got %s", hi, n.describe())
	}
	v, err := strconv.ParseUint(n.text, 10, 64)
	if err != nil || v > hi {
		return 0, fieldErr(path, "%s is not a whole number in [0, %d]", n.text, hi)
	}
	return v, nil
}

func boolean(path string, n *node) (bool, error) {
	if n.kind != kindBool {
		return false, fieldErr(path, "want true or false, got %s", n.describe())
	}
	return n.b, nil
}
