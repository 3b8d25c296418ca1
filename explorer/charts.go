package explorer

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Charts are drawn by gonum/plot into SVG that the page inlines: no
// script, no asset fetched at view time. Fonts are named, not embedded
// (the browser substitutes its own), which keeps a chart a few kilobytes.

// Chart is one inline SVG figure and what it shows.
type Chart struct {
	Title string
	SVG   template.HTML
}

// Series is one line of a chart: points (x, y) in chart units.
type Series struct {
	Name   string
	Points []Point
}

// Point is one (x, y) of a series.
type Point struct{ X, Y float64 }

// palette colours the series in order (colour-blind safe, Okabe–Ito).
var palette = []color.RGBA{
	{0, 114, 178, 255}, {230, 159, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{86, 180, 233, 255}, {213, 94, 0, 255}, {240, 228, 66, 255}, {0, 0, 0, 255},
}

// lineChart draws the series as lines with points; marks are vertical
// dashed lines at the given x (e.g. halvings). An empty chart (no points)
// still renders, with its title saying there is nothing yet.
func lineChart(title, xLabel, yLabel string, series []Series, marks []float64) (Chart, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Legend.Left = true
	points := 0
	for i, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			xys[j].X, xys[j].Y = pt.X, pt.Y
		}
		points += len(xys)
		line, scatter, err := plotter.NewLinePoints(xys)
		if err != nil {
			return Chart{}, fmt.Errorf("chart %q series %q: %w", title, s.Name, err)
		}
		c := palette[i%len(palette)]
		line.Color, scatter.Color = c, c
		scatter.Radius = vg.Points(2)
		p.Add(line, scatter)
		if s.Name != "" {
			p.Legend.Add(s.Name, line)
		}
	}
	if points == 0 {
		p.Title.Text = title + " (no data yet)"
	}
	for _, x := range marks {
		m, err := plotter.NewLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}})
		if err != nil {
			return Chart{}, fmt.Errorf("chart %q mark: %w", title, err)
		}
		m.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		m.Color = color.RGBA{128, 128, 128, 255}
		p.Add(m)
	}
	p.Add(plotter.NewGrid())

	canvas := vgsvg.NewWith(vgsvg.UseWH(7*vg.Inch, 3*vg.Inch))
	p.Draw(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return Chart{}, fmt.Errorf("chart %q: %w", title, err)
	}
	return Chart{Title: title, SVG: template.HTML(inlineSVG(buf.String()))}, nil
}

// inlineSVG drops the XML prolog and DOCTYPE so the SVG can sit inside HTML.
func inlineSVG(s string) string {
	if i := strings.Index(s, "<svg"); i > 0 {
		return s[i:]
	}
	return s
}

// stakeChart is the stake of each hotkey the account holds shares in, at
// each epoch its subnet's history keeps (ASSAY against block).
func stakeChart(in accountInputs) (Chart, error) {
	var series []Series
	seen := map[poolKey]bool{}
	for _, p := range in.stake.Positions {
		k := poolKey{uint16(p.Netuid), p.Hotkey}
		if seen[k] {
			continue
		}
		seen[k] = true
		s := Series{Name: fmt.Sprintf("subnet %d %s", k.netuid, short(p.Hotkey))}
		h := in.histories[k.netuid]
		for i := len(h) - 1; i >= 0; i-- { // oldest first
			for _, r := range h[i].Results {
				if r.Hotkey == p.Hotkey {
					s.Points = append(s.Points, Point{X: float64(h[i].Block), Y: assayFloat(r.Stake)})
				}
			}
		}
		series = append(series, s)
	}
	return lineChart("Stake of your hotkeys per epoch", "block", "ASSAY staked", series, nil)
}
