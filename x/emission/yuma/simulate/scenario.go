// Package simulate runs Yuma consensus epochs offline over a JSON scenario:
// the engine of `assayd yuma simulate` (DESIGN §5).
package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/assay-network/assay/x/emission/yuma"
)

// Scenario is a decoded, validated scenario file.
type Scenario struct {
	Params yuma.Params
	// Stakes are the raw stakes before the first epoch, one per UID.
	Stakes []uint64
	// Tempo is the subnet's tempo: epoch e runs at the chain's (e+1)-th epoch
	// block of netuid 0 (x/subnet/epoch), and every UID registered at block 0.
	Tempo uint64
	// Permits are the validator permits held before the first epoch.
	Permits []bool
	Epochs  []Epoch
}

// Epoch is one epoch's changes. Nil fields keep the previous values.
type Epoch struct {
	// Stakes override the stakes from this epoch on (nil: keep).
	Stakes []uint64
	// Weights, when set, replace every weight row from this epoch on; rows
	// listed are submitted at this epoch's block. Unlisted rows are cleared.
	Weights [][]yuma.Weight
	// SetWeights distinguishes "weights": {} (clear) from an absent field.
	SetWeights bool
	// ResetBonds are the UIDs (sorted, distinct) whose bonds every validator
	// drops before this epoch runs, as the chain does when a miner publishes
	// a new model (DESIGN §12).
	ResetBonds []uint16
}

// DefaultTempo is the subnet default tempo (DESIGN §3).
const DefaultTempo = 100

// MaxScenarioBytes bounds the scenario file size.
const MaxScenarioBytes = 64 << 20

// number is a JSON number kept as its literal text (no float64). Unlike
// json.Number it rejects quoted strings, with a type error the decoder
// annotates with the field path.
type number string

func (n *number) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: reflect.TypeFor[number]()}
	}
	*n = number(b)
	return nil
}

func (n number) String() string { return string(n) }

func jsonValueKind(b []byte) string {
	switch {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "string " + string(b)
	case b[0] == 't' || b[0] == 'f':
		return "bool"
	case b[0] == 'n':
		return "null"
	case b[0] == '[':
		return "array"
	default:
		return "object"
	}
}

type rawParams struct {
	Kappa                 *number `json:"kappa"`
	BondsMovingAverage    *number `json:"bonds_moving_average"`
	BondsPenalty          *number `json:"bonds_penalty"`
	MaxValidators         *number `json:"max_validators"`
	MinValidatorStake     *number `json:"min_validator_stake"`
	ActivityCutoff        *number `json:"activity_cutoff"`
	LiquidAlpha           *bool   `json:"liquid_alpha"`
	AlphaLow              *number `json:"alpha_low"`
	AlphaHigh             *number `json:"alpha_high"`
	AlphaSigmoidSteepness *number `json:"alpha_sigmoid_steepness"`
}

type rawEpoch struct {
	Stakes     []number        `json:"stakes"`
	Weights    json.RawMessage `json:"weights"`
	ResetBonds json.RawMessage `json:"reset_bonds"`
}

type rawScenario struct {
	Params          *rawParams `json:"params"`
	Stakes          []number   `json:"stakes"`
	Tempo           *number    `json:"tempo"`
	ValidatorPermit []bool     `json:"validator_permit"`
	Epochs          []rawEpoch `json:"epochs"`
}

// Decode reads and validates a scenario. Every error names the offending
// field, e.g. `params.kappa: 1.5 is outside [0, 1]` or
// `epochs[0].weights["0"]["9"]: unknown UID 9 (5 UIDs)`.
func Decode(r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxScenarioBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	if len(data) > MaxScenarioBytes {
		return nil, fmt.Errorf("scenario: larger than %d bytes", MaxScenarioBytes)
	}
	var raw rawScenario
	if err := strictUnmarshal(data, &raw, ""); err != nil {
		return nil, err
	}
	return raw.convert()
}

// strictUnmarshal decodes one JSON value with unknown fields rejected and
// numbers kept as text, and rewrites decoder errors to name the field (root
// is the path of data within the scenario, "" for the whole file).
func strictUnmarshal(data []byte, v any, root string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, root)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: unexpected data after the scenario object")
	}
	return nil
}

func jsonError(err error, root string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		switch {
		case root != "" && field != "":
			field = root + "." + field
		case root != "":
			field = root
		case field == "":
			field = "scenario"
		}
		return fmt.Errorf("%s: expected %s, got JSON %s", field, jsonKind(typ.Type.String()), typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: unexpected end of input")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return fmt.Errorf("malformed JSON: %v", err)
	}
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "map["):
		return "an object"
	case strings.HasSuffix(goType, "number"):
		return "a number"
	case strings.HasSuffix(goType, "bool"):
		return "a boolean"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	default:
		return "an object"
	}
}

func (raw *rawScenario) convert() (*Scenario, error) {
	s := &Scenario{Params: yuma.DefaultParams(), Tempo: DefaultTempo}
	if raw.Params != nil {
		if err := raw.Params.apply(&s.Params); err != nil {
			return nil, err
		}
	}
	if err := s.Params.Validate(); err != nil {
		return nil, fmt.Errorf("params.%w", err)
	}
	if raw.Stakes == nil {
		return nil, errors.New("stakes: missing (one raw stake per UID)")
	}
	var err error
	if s.Stakes, err = parseStakes("stakes", raw.Stakes, -1); err != nil {
		return nil, err
	}
	n := len(s.Stakes)
	if n == 0 || n > yuma.MaxUIDs {
		return nil, fmt.Errorf("stakes: %d UIDs, want 1 to %d", n, yuma.MaxUIDs)
	}
	if raw.Tempo != nil {
		t, err := parseUint("tempo", *raw.Tempo, 1<<32)
		if err != nil {
			return nil, err
		}
		if t == 0 {
			return nil, errors.New("tempo: must be at least 1")
		}
		s.Tempo = t
	}
	if raw.ValidatorPermit != nil {
		if len(raw.ValidatorPermit) != n {
			return nil, fmt.Errorf("validator_permit: length %d, want %d (one per UID)", len(raw.ValidatorPermit), n)
		}
		s.Permits = raw.ValidatorPermit
	}
	if len(raw.Epochs) == 0 {
		return nil, errors.New("epochs: at least one epoch is required")
	}
	for e, re := range raw.Epochs {
		field := fmt.Sprintf("epochs[%d]", e)
		var ep Epoch
		if re.Stakes != nil {
			if ep.Stakes, err = parseStakes(field+".stakes", re.Stakes, n); err != nil {
				return nil, err
			}
		}
		if len(re.Weights) > 0 && string(re.Weights) != "null" {
			if ep.Weights, err = parseWeights(field+".weights", re.Weights, n); err != nil {
				return nil, err
			}
			ep.SetWeights = true
		}
		if len(re.ResetBonds) > 0 && string(re.ResetBonds) != "null" {
			if ep.ResetBonds, err = parseUIDList(field+".reset_bonds", re.ResetBonds, n); err != nil {
				return nil, err
			}
		}
		s.Epochs = append(s.Epochs, ep)
	}
	return s, nil
}

func (rp *rawParams) apply(p *yuma.Params) error {
	fixed := []struct {
		name string
		raw  *number
		dst  *yuma.Fixed
	}{
		{"kappa", rp.Kappa, &p.Kappa},
		{"bonds_moving_average", rp.BondsMovingAverage, &p.BondsMovingAverage},
		{"bonds_penalty", rp.BondsPenalty, &p.BondsPenalty},
		{"alpha_low", rp.AlphaLow, &p.AlphaLow},
		{"alpha_high", rp.AlphaHigh, &p.AlphaHigh},
		{"alpha_sigmoid_steepness", rp.AlphaSigmoidSteepness, &p.AlphaSigmoidSteepness},
	}
	for _, f := range fixed {
		if f.raw == nil {
			continue
		}
		v, err := yuma.ParseFixed(f.raw.String())
		if err != nil {
			return fmt.Errorf("params.%s: %q: %v", f.name, f.raw.String(), err)
		}
		*f.dst = v
	}
	if rp.MaxValidators != nil {
		v, err := parseUint("params.max_validators", *rp.MaxValidators, yuma.MaxUIDs)
		if err != nil {
			return err
		}
		p.MaxValidators = int(v)
	}
	if rp.MinValidatorStake != nil {
		v, err := parseUint("params.min_validator_stake", *rp.MinValidatorStake, 0)
		if err != nil {
			return err
		}
		p.MinValidatorStake = v
	}
	if rp.ActivityCutoff != nil {
		v, err := parseUint("params.activity_cutoff", *rp.ActivityCutoff, 0)
		if err != nil {
			return err
		}
		p.ActivityCutoff = v
	}
	if rp.LiquidAlpha != nil {
		p.LiquidAlpha = *rp.LiquidAlpha
	}
	return nil
}
