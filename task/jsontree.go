package task

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// node is a parsed JSON value that keeps what encoding/json's struct
// decoding loses: member order, duplicate members and the literal spelling
// of numbers. The decoder walks it to report errors by JSON path.
type node struct {
	kind  nodeKind
	keys  []string // object members, in file order
	vals  []*node
	elems []*node // array elements
	text  string  // a string's value or a number's literal
	b     bool
}

type nodeKind int

const (
	kindObject nodeKind = iota
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

// describe names a value for an error message ("number -5", "a list").
func (n *node) describe() string {
	switch n.kind {
	case kindObject:
		return "an object"
	case kindArray:
		return "a list"
	case kindString:
		return "string " + quote(n.text)
	case kindNumber:
		return "number " + n.text
	case kindBool:
		return strconv.FormatBool(n.b)
	}
	return "null"
}

// parseTree reads exactly one JSON value from b.
func parseTree(b []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := readNode(dec, 0)
	if err != nil {
		return nil, jsonErr(b, dec, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fieldErr("", "invalid JSON at %s: more data after the task object", position(b, dec.InputOffset()))
	}
	return n, nil
}

func readNode(dec *json.Decoder, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nested deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return readObject(dec, depth)
		case '[':
			return readArray(dec, depth)
		}
		return nil, fmt.Errorf("unexpected %q", rune(t)) // Token reports this itself; kept so a slip cannot panic
	case string:
		return &node{kind: kindString, text: t}, nil
	case json.Number:
		return &node{kind: kindNumber, text: string(t)}, nil
	case bool:
		return &node{kind: kindBool, b: t}, nil
	}
	return &node{kind: kindNull}, nil
}

func readObject(dec *json.Decoder, depth int) (*node, error) {
	n := &node{kind: kindObject}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok { // Token reports a non-string key itself; kept so a slip cannot panic
			return nil, fmt.Errorf("object member name %v is not a string", tok)
		}
		if seen[key] {
			return nil, fmt.Errorf("member %s appears twice in one object", quote(key))
		}
		seen[key] = true
		v, err := readNode(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, err
	}
	return n, nil
}

func readArray(dec *json.Decoder, depth int) (*node, error) {
	n := &node{kind: kindArray}
	for dec.More() {
		v, err := readNode(dec, depth+1)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, err
	}
	return n, nil
}

// jsonErr turns a decoding error into one line with a line and column.
func jsonErr(b []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// The decoder's InputOffset is where the offending token starts;
		// SyntaxError.Offset is unreliable for Token's errors.
		return fieldErr("", "invalid JSON at %s: %s", position(b, dec.InputOffset()), se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fieldErr("", "invalid JSON: the file ends inside a value (truncated?)")
	}
	return fieldErr("", "invalid JSON at %s: %v", position(b, dec.InputOffset()), err)
}

// position is "line L, column C" (1-based) of byte offset off in b.
func position(b []byte, off int64) string {
	off = min(max(off, 0), int64(len(b)))
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}
