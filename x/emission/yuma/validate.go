package yuma

import "fmt"

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
	for i, row := range in.Weights {
		for k, w := range row {
			if err := checkUID(fmt.Sprintf("weights[%d][%d].uid", i, k), w.UID, n, k > 0, row[max(k-1, 0)].UID); err != nil {
				return err
			}
		}
	}
	for i, row := range in.Bonds {
		for k, b := range row {
			if err := checkUID(fmt.Sprintf("bonds[%d][%d].uid", i, k), b.UID, n, k > 0, row[max(k-1, 0)].UID); err != nil {
				return err
			}
			if err := checkUnit(fmt.Sprintf("bonds[%d][%d].value", i, k), b.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkUID(field string, uid uint16, n int, hasPrev bool, prev uint16) error {
	if int(uid) >= n {
		return fieldErr(field, "unknown UID %d (n=%d)", uid, n)
	}
	if hasPrev && uid <= prev {
		return fieldErr(field, "UID %d after %d: rows must be sorted by UID without duplicates", uid, prev)
	}
	return nil
}
