package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/assay-network/assay/x/subnet/types"
)

// MergeHyperparamsFile overlays the fields present in a hyperparameter file on
// base, so a file only needs the fields it changes. A field that is not a
// hyperparameter, or a value its type cannot hold, fails in one line naming
// the field, the value and what is allowed (HyperparamError) before the
// codec sees the file; bounds are then Hyperparams.Validate's.
func MergeHyperparamsFile(cdc codec.JSONCodec, base types.Hyperparams, path string) (types.Hyperparams, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("--%s: %w", flagHyperparamsFile, err)
	}
	var overlay map[string]json.RawMessage
	if err := json.Unmarshal(bz, &overlay); err != nil {
		return base, fmt.Errorf("hyperparams file %s: not a JSON object: %w", path, err)
	}
	baseJSON, err := cdc.MarshalJSON(&base)
	if err != nil {
		return base, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(baseJSON, &merged); err != nil {
		return base, err
	}
	keys := make([]string, 0, len(overlay))
	for k := range overlay {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first bad field reported is the same every run
	for _, k := range keys {
		field, err := checkHyperparam(k, overlay[k])
		if err != nil {
			return base, fmt.Errorf("hyperparams file %s: %w", path, err)
		}
		merged[field] = overlay[k]
	}
	mergedJSON, err := json.Marshal(merged)
	if err != nil {
		return base, err
	}
	var out types.Hyperparams
	if err := cdc.UnmarshalJSON(mergedJSON, &out); err != nil {
		return base, fmt.Errorf("hyperparams file %s: %w", path, err)
	}
	if err := out.Validate(); err != nil {
		return base, fmt.Errorf("hyperparams file %s: %w", path, err)
	}
	return out, nil
}

// HyperparamError is one bad field of a hyperparameter file. It prints as
// one line and matches types.ErrInvalidHyperparams.
type HyperparamError struct {
	Field string // proto name, e.g. "tempo"
	Msg   string // the value and what is allowed
}

func (e *HyperparamError) Error() string { return "hyperparams." + e.Field + ": " + e.Msg }

// Unwrap makes errors.Is(err, types.ErrInvalidHyperparams) hold.
func (e *HyperparamError) Unwrap() error { return types.ErrInvalidHyperparams }

// hyperparamField is one field of types.Hyperparams as its protobuf tag and
// Go type give it.
type hyperparamField struct {
	name string // proto name (the codec's JSON key)
	typ  reflect.Type
}

var (
	decType = reflect.TypeFor[math.LegacyDec]()
	intType = reflect.TypeFor[math.Int]()
)

// hyperparamFields maps both JSON spellings the codec accepts (proto name
// and lowerCamel) to the field, read from the generated struct so a new
// hyperparameter needs no change here.
func hyperparamFields() (map[string]hyperparamField, []string) {
	byKey := map[string]hyperparamField{}
	var names []string
	t := reflect.TypeFor[types.Hyperparams]()
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("protobuf")
		if tag == "" {
			continue
		}
		f := hyperparamField{typ: sf.Type}
		var camel string
		for _, part := range strings.Split(tag, ",") {
			if v, ok := strings.CutPrefix(part, "name="); ok {
				f.name = v
			}
			if v, ok := strings.CutPrefix(part, "json="); ok {
				camel = v
			}
		}
		byKey[f.name] = f
		if camel != "" {
			byKey[camel] = f
		}
		names = append(names, f.name)
	}
	return byKey, names
}

// checkHyperparam checks that raw can be the value of the field key names
// and returns the field's proto name.
func checkHyperparam(key string, raw json.RawMessage) (string, error) {
	fields, names := hyperparamFields()
	f, ok := fields[key]
	if !ok {
		return "", &HyperparamError{Field: key, Msg: "not a hyperparameter; the fields are " + strings.Join(names, ", ")}
	}
	bad := func(format string, args ...any) (string, error) {
		return "", &HyperparamError{Field: f.name, Msg: fmt.Sprintf(format, args...)}
	}
	val := shown(raw)
	var s string
	isNull := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	isString := !isNull && json.Unmarshal(raw, &s) == nil
	switch {
	case f.typ == decType:
		if !isString {
			return bad("%s is not a decimal string, e.g. \"0.5\"", val)
		}
		if _, err := math.LegacyNewDecFromStr(s); err != nil {
			return bad("%s is not a decimal, e.g. \"0.5\"", val)
		}
	case f.typ == intType:
		if !isString {
			return bad("%s is not a whole number of %s in a string, e.g. \"1000\"", val, types.Denom)
		}
		if _, ok := math.NewIntFromString(s); !ok {
			return bad("%s is not a whole number of %s, e.g. \"1000\"", val, types.Denom)
		}
	case f.typ.Kind() == reflect.Uint64 || f.typ.Kind() == reflect.Uint32:
		if isNull {
			return f.name, nil // the codec's zero value, as before; Validate bounds it
		}
		digits := string(bytes.TrimSpace(raw))
		if isString {
			digits = s // protobuf JSON allows a quoted integer
		}
		if _, err := strconv.ParseUint(digits, 10, f.typ.Bits()); err != nil {
			return bad("%s is not a whole number in [0, %d]", val, uint64(1)<<f.typ.Bits()-1)
		}
	case f.typ.Kind() == reflect.Bool:
		var b bool
		if isString && (s == "true" || s == "false") {
			return bad("%s is a string; write %s without quotes", val, s)
		}
		if !isNull && json.Unmarshal(raw, &b) != nil {
			return bad("%s is not true or false", val)
		}
	}
	return f.name, nil
}

// shown is a JSON value for an error message: compact, on one line, clipped.
func shown(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return strconv.Quote(string(raw))
	}
	const n = 60
	if s := buf.String(); len(s) > n {
		return s[:n] + "…"
	}
	return buf.String()
}
