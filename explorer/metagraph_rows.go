package explorer

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
)

// rowBytes is about what one metagraph row takes in HTML.
const rowBytes = 1100

// rowsMarker is what the metagraph template writes where the table body
// goes (the "rows" template function); renderMetagraph puts the rows there.
// html/template escapes every text from the chain, so the marker cannot
// come from data.
const rowsMarker = "<!--neuron rows-->"

// renderMetagraph renders the metagraph page with its table body written
// straight into the page's buffer rather than through html/template: at
// 256 UIDs × 15 cells the template's reflective escaping cost several times
// the metagraph query itself, and passing the body through the template as
// one string copied it twice more (DESIGN §13 wants a page within 2× of its
// query). Every chain string goes through html.EscapeString; the rest are
// digits, commas and dots, so the result is as safe as the template's.
func renderMetagraph(m Metagraph) ([]byte, error) {
	var frame bytes.Buffer
	frame.Grow(16 << 10)
	if err := pages["metagraph"].Execute(&frame, m); err != nil {
		return nil, fmt.Errorf("rendering metagraph: %w", err)
	}
	head, tail, ok := bytes.Cut(frame.Bytes(), []byte(rowsMarker))
	if !ok {
		return nil, fmt.Errorf("rendering metagraph: the template has no %s", rowsMarker)
	}
	out := make([]byte, 0, len(head)+len(m.Neurons)*rowBytes+len(tail))
	out = append(out, head...)
	out = appendNeuronRows(out, m.Neurons)
	return append(out, tail...), nil
}

// appendNeuronRows appends the metagraph's table rows.
func appendNeuronRows(b []byte, rows []NeuronRow) []byte {
	if len(rows) == 0 {
		return append(b, `<tr><td colspan="15">No UID registered yet.</td></tr>`...)
	}
	for i := range rows {
		r := &rows[i]
		b = append(b, `<tr data-uid="`...)
		b = strconv.AppendUint(b, uint64(r.UID), 10)
		b = append(b, `">`...)
		b = open(b, "uid", false)
		b = strconv.AppendUint(b, uint64(r.UID), 10)
		b = append(b, `</td>`...)
		b = link(b, "hotkey", r.Hotkey)
		b = link(b, "coldkey", r.Coldkey)
		b = text(b, "role", r.Role)
		b = append(appendAssay(open(b, "stake", true), r.Stake), `</td>`...)
		permit := "no"
		if r.ValidatorPermit {
			permit = "yes"
		}
		b = text(b, "permit", permit)
		b = append(appendDec(open(b, "trust", true), r.ValidatorTrust), `</td>`...)
		b = append(appendDec(open(b, "consensus", true), r.Consensus), `</td>`...)
		b = append(appendDec(open(b, "incentive", true), r.Incentive), `</td>`...)
		b = append(appendDec(open(b, "dividends", true), r.Dividends), `</td>`...)
		b = append(appendAssay(open(b, "emission", true), r.Emission), `</td>`...)
		b = text(b, "axon", r.Axon)
		b = append(b, `<td data-field="model"><code title="`...)
		b = append(b, html.EscapeString(r.ModelHash)...)
		b = append(b, `">`...)
		b = appendShortEscaped(b, r.ModelHash)
		b = append(b, `</code></td>`...)
		b = append(strconv.AppendInt(open(b, "registered", true), r.RegisteredAt, 10), `</td>`...)
		b = append(strconv.AppendInt(open(b, "updated", true), r.LastUpdate, 10), `</td>`...)
		b = append(b, "</tr>\n"...)
	}
	return b
}

// open starts a cell.
func open(b []byte, field string, num bool) []byte {
	b = append(b, `<td`...)
	if num {
		b = append(b, ` class="num"`...)
	}
	b = append(b, ` data-field="`...)
	b = append(b, field...)
	return append(b, `">`...)
}

// text is a cell holding escaped text.
func text(b []byte, field, s string) []byte {
	b = append(open(b, field, false), html.EscapeString(s)...)
	return append(b, `</td>`...)
}

// link is an address cell linking to its account page.
func link(b []byte, field, address string) []byte {
	a := html.EscapeString(address)
	for _, part := range [...]string{`<td data-field="`, field, `"><a href="/account/`, a, `" title="`, a, `">`} {
		b = append(b, part...)
	}
	return append(appendShortEscaped(b, address), `</a></td>`...)
}

// appendShortEscaped appends html.EscapeString(short(s)) (escaping is per
// character, so the two ends escape alone).
func appendShortEscaped(b []byte, s string) []byte {
	if len(s) <= 16 {
		return append(b, html.EscapeString(s)...)
	}
	b = append(b, html.EscapeString(s[:10])...)
	b = append(b, "…"...)
	return append(b, html.EscapeString(s[len(s)-6:])...)
}
