package explorer

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
)

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"assay": formatAssay,
	"dec":   formatDec,
	"pct":   formatPercent,
	"short": short,
	"rows":  func() template.HTML { return rowsMarker },
}

// pages are parsed once: each page template with the shared layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"overview", "subnets", "metagraph", "epoch", "account", "error"} {
		out[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return out
}()

// renderHTML executes page name with v.
func renderHTML(name string, v any) ([]byte, error) {
	if m, ok := v.(Metagraph); ok {
		return renderMetagraph(m)
	}
	var buf bytes.Buffer
	if err := pages[name].Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
