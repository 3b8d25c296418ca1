package yuma

import (
	"fmt"
	"math"
)

// Validate checks lengths, UIDs, ordering and ranges of the input and returns
// a *FieldError naming the first problem.
func (in *Input) Validate() error {
	if err := in.Params.Validate(); err != nil {
		fe := err.(*FieldError)
		return fieldErr("params."+fe.Field, "%s", fe.Msg)
	}
	n := len(in.Stake)
	if n == 0 {
		return fieldErr("stake", "no UIDs")
	}
	if n > MaxUIDs {
		return fieldErr("stake", "%d UIDs, at most %d allowed", n, MaxUIDs)
	}
	lengths := []struct {
		name     string
		len      int
		optional bool
	}{
		{"prev_permit", len(in.PrevPermit), in.PrevPermit == nil},
		{"weights", len(in.Weights), in.Weights == nil},
		{"bonds", len(in.Bonds), in.Bonds == nil},
		{"registered_at", len(in.RegisteredAt), false},
		{"last_update", len(in.LastUpdate), false},
	}
	for _, l := range lengths {
		if !l.optional && l.len != n {
			return fieldErr(l.name, "length %d, want %d (one per UID)", l.len, n)
		}
	}
	entries := 0
	for _, row := range in.Weights {
		entries += len(row)
	}
	for _, row := range in.Bonds {
		entries += len(row)
	}
	if entries > math.MaxInt32 {
		return fieldErr("weights", "%d weight and bond entries, at most %d supported", entries, math.MaxInt32)
	}
	for i, row := range in.Weights {
		prev := -1
		for k, w := range row {
			if msg := checkUID(w.UID, n, prev); msg != "" {
				return fieldErr(fmt.Sprintf("weights[%d][%d].uid", i, k), "%s", msg)
			}
			prev = int(w.UID)
		}
	}
	for i, row := range in.Bonds {
		prev := -1
		for k, b := range row {
			if msg := checkUID(b.UID, n, prev); msg != "" {
				return fieldErr(fmt.Sprintf("bonds[%d][%d].uid", i, k), "%s", msg)
			}
			if b.Value < 0 || b.Value > One {
				return checkUnit(fmt.Sprintf("bonds[%d][%d].value", i, k), b.Value)
			}
			prev = int(b.UID)
		}
	}
	return nil
}

// checkUID returns why uid is invalid after prev (-1: first entry), or "".
func checkUID(uid uint16, n, prev int) string {
	if int(uid) >= n {
		return fmt.Sprintf("unknown UID %d (n=%d)", uid, n)
	}
	if int(uid) <= prev {
		return fmt.Sprintf("UID %d after %d: rows must be sorted by UID without duplicates", uid, prev)
	}
	return ""
}
