package simulate

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-network/assay/x/emission/yuma"
)

// parseUint parses a whole non-negative number not above limit (0: no limit).
func parseUint(field string, num number, limit uint64) (uint64, error) {
	s := num.String()
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%s: %s is negative", field, s)
	}
	bound := limit
	if bound == 0 {
		bound = math.MaxUint64
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %s is not a whole number in [0, %d]", field, s, bound)
	}
	if limit != 0 && v > limit {
		return 0, fmt.Errorf("%s: %d is above %d", field, v, limit)
	}
	return v, nil
}

// parseStakes parses a stake vector; want ≥ 0 demands that length.
func parseStakes(field string, raw []number, want int) ([]uint64, error) {
	if want >= 0 && len(raw) != want {
		return nil, fmt.Errorf("%s: length %d, want %d (one per UID)", field, len(raw), want)
	}
	out := make([]uint64, len(raw))
	for i, num := range raw {
		v, err := parseUint(fmt.Sprintf("%s[%d]", field, i), num, 0)
		if err != nil {
			if strings.HasPrefix(num.String(), "-") {
				return nil, fmt.Errorf("%s[%d]: negative stake %s", field, i, num)
			}
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// parseWeights parses {"validator UID": {"UID": raw uint16 weight, ...}, ...}
// into rows sorted by UID. Object keys are sorted numerically, so JSON key
// order never reaches the result.
func parseWeights(field string, data json.RawMessage, n int) ([][]yuma.Weight, error) {
	var raw map[string]json.RawMessage
	if err := strictUnmarshal(data, &raw, field); err != nil {
		return nil, err
	}
	rows := make([][]yuma.Weight, n)
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		rf := fmt.Sprintf("%s[%q]", field, key)
		i, err := parseUID(rf, key, n)
		if err != nil {
			return nil, err
		}
		if rows[i] != nil {
			return nil, fmt.Errorf("%s: duplicate validator UID %d", rf, i)
		}
		var entries map[string]json.RawMessage
		if err := strictUnmarshal(raw[key], &entries, rf); err != nil {
			return nil, err
		}
		if entries == nil {
			return nil, fmt.Errorf("%s: expected an object of UID: weight, got JSON null", rf)
		}
		row := make([]yuma.Weight, 0, len(entries))
		for _, k := range slices.Sorted(maps.Keys(entries)) {
			ef := fmt.Sprintf("%s[%q]", rf, k)
			j, err := parseUID(ef, k, n)
			if err != nil {
				return nil, err
			}
			var num number
			if err := strictUnmarshal(entries[k], &num, ef); err != nil {
				return nil, err
			}
			w, err := parseUint(ef, num, 65535)
			if err != nil {
				return nil, err
			}
			row = append(row, yuma.Weight{UID: uint16(j), Value: uint16(w)})
		}
		slices.SortFunc(row, func(a, b yuma.Weight) int { return int(a.UID) - int(b.UID) })
		for k := 1; k < len(row); k++ {
			if row[k].UID == row[k-1].UID {
				return nil, fmt.Errorf("%s: duplicate UID %d", rf, row[k].UID)
			}
		}
		rows[i] = row
	}
	return rows, nil
}

// parseUIDList parses a list of distinct UIDs below n, sorted on return.
func parseUIDList(field string, data json.RawMessage, n int) ([]uint16, error) {
	var raw []number
	if err := strictUnmarshal(data, &raw, field); err != nil {
		return nil, err
	}
	out := make([]uint16, 0, len(raw))
	for i, num := range raw {
		uid, err := parseUint(fmt.Sprintf("%s[%d]", field, i), num, math.MaxUint16)
		if err != nil {
			return nil, err
		}
		if uid >= uint64(n) {
			return nil, fmt.Errorf("%s[%d]: unknown UID %d (%d UIDs)", field, i, uid, n)
		}
		out = append(out, uint16(uid))
	}
	slices.Sort(out)
	for k := 1; k < len(out); k++ {
		if out[k] == out[k-1] {
			return nil, fmt.Errorf("%s: duplicate UID %d", field, out[k])
		}
	}
	return out, nil
}

func parseUID(field, key string, n int) (int, error) {
	v, err := strconv.ParseUint(key, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a UID", field, key)
	}
	if int(v) >= n {
		return 0, fmt.Errorf("%s: unknown UID %d (%d UIDs)", field, v, n)
	}
	return int(v), nil
}
