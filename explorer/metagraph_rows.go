package explorer

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// neuronRowsHTML writes the metagraph's table body directly rather than
// through html/template: at 256 UIDs × 15 cells the template's reflective
// escaping cost several times the metagraph query itself (DESIGN §13 wants
// a page within 2× of its query). Every text goes through
// html.EscapeString, so the result is as safe as the template's.
func neuronRowsHTML(rows []NeuronRow) template.HTML {
	if len(rows) == 0 {
		return `<tr><td colspan="15">No UID registered yet.</td></tr>`
	}
	var b strings.Builder
	b.Grow(len(rows) * 1400)
	for _, r := range rows {
		uid := strconv.FormatUint(uint64(r.UID), 10)
		b.WriteString(`<tr data-uid="`)
		b.WriteString(uid)
		b.WriteString(`">`)
		cell(&b, "uid", false, uid)
		link(&b, "hotkey", r.Hotkey)
		link(&b, "coldkey", r.Coldkey)
		cell(&b, "role", false, r.Role)
		cell(&b, "stake", true, formatAssay(r.Stake))
		permit := "no"
		if r.ValidatorPermit {
			permit = "yes"
		}
		cell(&b, "permit", false, permit)
		cell(&b, "trust", true, formatDec(r.ValidatorTrust))
		cell(&b, "consensus", true, formatDec(r.Consensus))
		cell(&b, "incentive", true, formatDec(r.Incentive))
		cell(&b, "dividends", true, formatDec(r.Dividends))
		cell(&b, "emission", true, formatAssay(r.Emission))
		cell(&b, "axon", false, r.Axon)
		b.WriteString(`<td data-field="model"><code title="`)
		b.WriteString(html.EscapeString(r.ModelHash))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(short(r.ModelHash)))
		b.WriteString(`</code></td>`)
		cell(&b, "registered", true, strconv.FormatInt(r.RegisteredAt, 10))
		cell(&b, "updated", true, strconv.FormatInt(r.LastUpdate, 10))
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

func cell(b *strings.Builder, field string, num bool, text string) {
	b.WriteString(`<td`)
	if num {
		b.WriteString(` class="num"`)
	}
	b.WriteString(` data-field="`)
	b.WriteString(field)
	b.WriteString(`">`)
	b.WriteString(html.EscapeString(text))
	b.WriteString(`</td>`)
}

// link is an address cell linking to its account page.
func link(b *strings.Builder, field, address string) {
	a := html.EscapeString(address)
	for _, part := range [...]string{`<td data-field="`, field, `"><a href="/account/`, a, `" title="`, a, `">`, html.EscapeString(short(address)), `</a></td>`} {
		b.WriteString(part)
	}
}
