package gateway

import (
	"encoding/json"
	"errors"
)

// scanObject calls f with each member of a JSON object: its key decoded
// (f must not keep it) and its value as raw bytes. b must be a valid JSON value (encoding/json
// checked the document), so the scan only finds extents; a value that is
// not an object is errNotObject. It is DecodeRows' fast path: unmarshalling
// every row into a map cost most of an infer request's CPU in the load
// test.
func scanObject(b []byte, f func(key, value []byte) error) error {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errNotObject
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil
	}
	for i < len(b) {
		end := stringEnd(b, i)
		key := b[i+1 : end-1]
		if hasEscape(b[i:end]) {
			var k string
			if err := json.Unmarshal(b[i:end], &k); err != nil {
				return err
			}
			key = []byte(k)
		}
		i = skipWS(b, end)
		i = skipWS(b, i+1) // the ':'
		vEnd := valueEnd(b, i)
		if err := f(key, b[i:vEnd]); err != nil {
			return err
		}
		i = skipWS(b, vEnd)
		if i >= len(b) || b[i] == '}' {
			return nil
		}
		i = skipWS(b, i+1) // the ','
	}
	return nil
}

var errNotObject = errors.New("not an object")

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd is the index after the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

func hasEscape(s []byte) bool {
	for _, c := range s {
		if c == '\\' {
			return true
		}
	}
	return false
}

// valueEnd is the index after the value starting at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// scanArray calls f with each element of a JSON array (b valid JSON, as
// for scanObject); a value that is not an array is errNotArray.
func scanArray(b []byte, f func(value []byte) error) error {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '[' {
		return errNotArray
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return nil
	}
	for i < len(b) {
		end := valueEnd(b, i)
		if err := f(b[i:end]); err != nil {
			return err
		}
		i = skipWS(b, end)
		if i >= len(b) || b[i] == ']' {
			return nil
		}
		i = skipWS(b, i+1) // the ','
	}
	return nil
}

var errNotArray = errors.New("not an array")
