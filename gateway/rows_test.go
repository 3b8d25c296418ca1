package gateway

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/dataset"
)

var testSchema = dataset.Schema{
	Features: []dataset.Feature{
		{Name: "age", Kind: dataset.Numeric},
		{Name: "colour", Kind: dataset.Categorical, Categories: []string{"red", "green", "blue"}},
	},
	Label: "y", Classes: []string{"no", "yes"},
}

func TestDecodeRows(t *testing.T) {
	rows, err := DecodeRows([]byte(`{"rows":[{"age": 31.5, "colour": "blue"}, {"colour": null, "age": null}]}`), &testSchema)
	require.NoError(t, err)
	require.Equal(t, []float64{31.5, 2}, rows[0])
	require.True(t, math.IsNaN(rows[1][0]) && math.IsNaN(rows[1][1]), "null is a missing value")
	rows, err = DecodeRows([]byte(`{"rows":[{"age": -1e-3, "colour": "gr\u0065en"}]}`), &testSchema)
	require.NoError(t, err)
	require.Equal(t, []float64{-0.001, 1}, rows[0], "escapes in a string are decoded")

	for _, c := range []struct {
		body, field, msg string
		status           int
	}{
		{`{"rows":[{"age":1,"colour":"red","size":2}]}`, "rows[0].size", `unknown column "size"`, 400},
		{`{"rows":[{"age":1,"colour":"red","zeta":2,"beta":1}]}`, "rows[0].beta", `unknown column "beta"`, 400},
		{`{"rows":[{"age":1,"colour":"red"},{"age":1}]}`, "rows[1].colour", `column "colour" is missing`, 400},
		{`{"rows":[{"age":"old","colour":"red"}]}`, "rows[0].age", `numeric column "age" takes a number, got "old"`, 400},
		{`{"rows":[{"age":1,"colour":2}]}`, "rows[0].colour", `nominal column "colour" takes a string, got 2`, 400},
		{`{"rows":[{"age":1,"colour":"pink"}]}`, "rows[0].colour", `value "pink" is not one of column "colour"'s values ["red", "green", "blue"]`, 400},
		{`{"rows":[{"age":1e999,"colour":"red"}]}`, "rows[0].age", `numeric column "age": 1e999 is out of range`, 400},
		{`{"rows":[{"age":true,"colour":"red"}]}`, "rows[0].age", `takes a number, got true`, 400},
		{`{"rows":[{"age":1,"colour":["red"]}]}`, "rows[0].colour", `takes a string, got ["red"]`, 400},
		{`{"rows":[]}`, "rows", "at least one row", 400},
		{`{}`, "rows", "at least one row", 400},
		{`{"rows":[null]}`, "rows[0]", "a row is an object", 400},
		{`{"rows":{"age":1}}`, "rows", "rows is a list of objects", 400},
		{`{"rows":null}`, "rows", "at least one row", 400},
		{`[{"age":1,"colour":"red"}]`, "", "the body is an object", 400},
		{`{"rows":[{"age":1,"colour":"red","age":2}]}`, "rows[0].age", `column "age" appears twice`, 400},
		{`{"rows":[{"age":1,"colour":"red"}],"extra":1}`, "", "malformed JSON body", 400},
		{`{"rows":[{"age":1,"colour":"red"}]} {}`, "", "after top-level value", 400},
		{`{"rows":[{"age":1,`, "", "malformed JSON body", 400},
		{`{"rows":` + strings.Repeat(`{"age":1,"colour":"red"},`, MaxRows) + `{"age":1,"colour":"red"}]}`, "", "malformed", 400},
		{`{"rows":[` + strings.Repeat(`{"age":1,"colour":"red"},`, MaxRows) + `{"age":1,"colour":"red"}]}`, "rows", "257 rows, at most 256", http.StatusRequestEntityTooLarge},
	} {
		_, err := DecodeRows([]byte(c.body), &testSchema)
		var ie *InputError
		require.True(t, errors.As(err, &ie), "%s: %v", c.body, err)
		require.Equal(t, c.status, ie.Status, c.body)
		require.Equal(t, c.field, ie.Field, c.body)
		require.Contains(t, ie.Error(), c.msg, c.body)
	}
}

// FuzzDecodeRows: any body is rows of the schema's width or an
// *InputError, never a panic.
func FuzzDecodeRows(f *testing.F) {
	for _, s := range []string{`{"rows":[{"age":1,"colour":"red"}]}`, `{"rows":[{"age":null,"colour":null}]}`,
		`{"rows":[{"age":1e308,"colour":"blue"}]}`, `{"rows":[{"age":-0,"colour":"green","x":[]}]}`, `{"rows":[{"a\\"ge" : 1 , "colour":"r\\u0065d"}]}`, `{"rows":[ {"age":2,"colour":"red"} , {"colour":"blue","age":0.5e1}]}`, `[]`, `{"rows":{}}`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := DecodeRows(body, &testSchema)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Status < 400 || ie.Status > 499 || ie.Msg == "" {
				t.Fatalf("not a 4xx InputError: %#v", err)
			}
			return
		}
		if len(rows) == 0 || len(rows) > MaxRows {
			t.Fatalf("%d rows accepted", len(rows))
		}
		// What was accepted is what encoding/json reads from the same body.
		var ref struct{ Rows []map[string]any }
		if err := json.Unmarshal(body, &ref); err != nil || len(ref.Rows) != len(rows) {
			t.Fatalf("accepted a body encoding/json reads otherwise: %v", err)
		}
		for i, r := range rows {
			if len(r) != len(testSchema.Features) || len(ref.Rows[i]) != len(r) {
				t.Fatalf("row width %d", len(r))
			}
			for c, f := range testSchema.Features {
				want := math.NaN()
				switch v := ref.Rows[i][f.Name].(type) {
				case float64:
					want = v
				case string:
					want = float64(slices.Index(f.Categories, v))
				}
				if !(r[c] == want || math.IsNaN(r[c]) && math.IsNaN(want)) {
					t.Fatalf("rows[%d].%s = %v, encoding/json reads %v", i, f.Name, r[c], ref.Rows[i][f.Name])
				}
			}
			if c := r[1]; !math.IsNaN(c) && (c != math.Trunc(c) || c < 0 || int(c) >= len(testSchema.Features[1].Categories)) {
				t.Fatalf("nominal index %v", c)
			}
		}
	})
}
