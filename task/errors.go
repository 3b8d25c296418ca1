package task

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// ErrInvalid marks every error about a task file or spec: bad JSON, an
// unknown field, a value of the wrong type or out of bounds.
var ErrInvalid = errors.New("invalid task")

// FieldError is one problem with one field: Path is the field's JSON path
// ("dataset.files[0].sha256"), Msg says what was found and what is allowed.
// It prints as one line and matches ErrInvalid.
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return "task: " + e.Msg
	}
	return "task: " + e.Path + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// quote renders a value for an error message: Go-quoted (so control bytes
// and quotes stay on one line) and clipped.
func quote(s string) string {
	const n = 80
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}
