package main

import (
	"fmt"
	"html"
	"strings"
)

// plot draws the figures of the report as an SVG: for every backend and
// scenario, one bar per server for req/s and one for p99, each relative to
// the bare baseline of the backend (1.0 = the baseline), with the absolute
// figure written next to the bar. Bars longer than the scale are cut and
// marked with an arrow. Written by hand: no plotting tool needed.
func (r *report) plot() string {
	const (
		label    = 300 // left column: backend / scenario / server
		barW     = 220 // width of one bar panel
		gap      = 160 // between the panels, for the figures
		width    = label + 2*barW + gap + 110
		rowH     = 18
		maxRatio = 2.0 // the bar panel spans 0..maxRatio× the baseline
	)
	var b strings.Builder
	var lines []string
	y := 60
	bar := func(x0 int, ratio float64, color, text string) {
		w := ratio / maxRatio * barW
		cut := ""
		if w > barW {
			w, cut = barW, "▶"
		}
		lines = append(lines, fmt.Sprintf(`<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, x0, y-rowH+5, w, rowH-6, color),
			fmt.Sprintf(`<text x="%.1f" y="%d" font-size="11">%s%s</text>`, float64(x0)+w+3, y-2, cut, html.EscapeString(text)))
	}
	for _, be := range r.backends {
		lines = append(lines, fmt.Sprintf(`<text x="10" y="%d" font-size="14" font-weight="bold">%s</text>`, y, html.EscapeString(be.Name)))
		y += rowH
		for _, sc := range scenarios {
			lines = append(lines, fmt.Sprintf(`<text x="20" y="%d" font-size="12" font-style="italic">%s</text>`, y, html.EscapeString(sc.Name)))
			y += rowH
			base := r.figures(be.Key, sc.Name, roleBare)
			for _, t := range be.Targets {
				f := r.figures(be.Key, sc.Name, t.Role)
				if !f.ok {
					continue
				}
				lines = append(lines, fmt.Sprintf(`<text x="36" y="%d" font-size="12">%s</text>`, y-2, html.EscapeString(t.Name)))
				color := map[string]string{roleGo: "#2b6cb0", roleBare: "#718096", roleLB4: "#dd6b20"}[t.Role]
				if base.ok && base.rate > 0 && base.p99 > 0 {
					bar(label, f.rate/base.rate, color, fmt.Sprintf("%.0f req/s", f.rate))
					bar(label+barW+gap, f.p99/base.p99, color, ms(f.p99))
				}
				y += rowH
			}
		}
		y += rowH / 2
	}
	height := y + 20
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="15" font-weight="bold">LoopBack for Go benchmark, %s</text>`+"\n", html.EscapeString(r.when.Format("2006-01-02 15:04 UTC")))
	fmt.Fprintf(&b, `<text x="%d" y="42" font-size="12">req/s relative to the bare program (longer is better)</text>`+"\n", label)
	fmt.Fprintf(&b, `<text x="%d" y="42" font-size="12">p99 relative to the bare program (shorter is better)</text>`+"\n", label+barW+gap)
	for _, x := range []int{label, label + barW + gap} {
		// The 1.0× line: the bare baseline.
		fmt.Fprintf(&b, `<line x1="%d" y1="48" x2="%d" y2="%d" stroke="#999" stroke-dasharray="3,3"/>`+"\n", x+barW/2, x+barW/2, height-10)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="#666">1.0×</text>`+"\n", x+barW/2+2, height-12)
	}
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString("</svg>\n")
	return b.String()
}
