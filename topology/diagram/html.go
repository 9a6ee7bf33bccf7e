package diagram

import (
	"bytes"
	"cmp"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// HTML writes one self-contained page: a heading, a legend, the SVG inline
// and a table of the findings drawn, each linking to its spot (#d-…, see
// AnchorFor), which the page highlights when it is the URL's fragment. No
// script, no external asset.
func (d *Diagram) HTML(w io.Writer) error {
	svg, err := d.renderSVG()
	if err != nil {
		return err
	}
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		svg = svg[i:] // the XML prolog and DOCTYPE do not belong inside HTML
	}
	// Names are shown through escape.Text (html/template escapes markup,
	// not control or bidi characters); Graphviz writes the SVG from labels
	// dotText escaped.
	page := htmlPage{Title: escape.Text(d.Title), Caption: escape.Text(d.Caption), SVG: template.HTML(svg), Colours: legendColours()}
	for _, m := range d.sortedMarks() {
		hm := htmlMark{Mark: m, Anchor: d.AnchorFor(m), Subject: escape.Text(subject(m))}
		hm.Rule, hm.Severity = escape.Text(m.Rule), Severity(escape.Text(string(m.Severity)))
		page.Marks = append(page.Marks, hm)
	}
	return htmlTemplate().Execute(w, page)
}

type htmlPage struct {
	Title, Caption string
	SVG            template.HTML
	Colours        []legendColour
	Marks          []htmlMark
}

type htmlMark struct {
	Mark
	Anchor, Subject string
}

type legendColour struct {
	Severity     Severity
	Stroke, Fill string
}

func legendColours() []legendColour {
	var out []legendColour
	for _, s := range severities {
		out = append(out, legendColour{s, sevStroke[s], sevFill[s]})
	}
	return out
}

// sortedMarks lists the marks drawn, worst first, then by rule and subject.
func (d *Diagram) sortedMarks() []Mark {
	ms := slices.Clone(d.Marks)
	slices.SortStableFunc(ms, func(a, b Mark) int {
		return cmp.Or(cmp.Compare(sevRank(b.Severity), sevRank(a.Severity)), strings.Compare(a.Rule, b.Rule),
			strings.Compare(subject(a), subject(b)))
	})
	return ms
}

// subject names what a mark is about: "web01 bond0 eth0 → leaf1a Ethernet1".
func subject(m Mark) string {
	host := strings.Join(nonEmpty(m.Host, m.Bond, m.NIC), " ")
	sw := strings.Join(nonEmpty(m.Switch, m.Port), " ")
	if host != "" && sw != "" {
		return host + " → " + sw
	}
	return host + sw
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// htmlTemplate is parsed on first use, not at start-up: a command that
// draws no HTML page pays nothing for it (TestStartupTouchesNoRenderer).
var htmlTemplate = sync.OnceValue(func() *template.Template { return template.Must(template.New("diagram").Parse(htmlPageSource)) })

const htmlPageSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bondaudit diagram{{with .Title}}: {{.}}{{end}}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #263238; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.caption { color: #546e7a; margin-top: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4em 1.4em; font-size: 0.9em; margin: 1em 0; }
.legend span { display: inline-flex; align-items: center; gap: 0.4em; }
.swatch { display: inline-block; width: 1.1em; height: 0.8em; border: 2px solid; border-radius: 3px; }
.line { display: inline-block; width: 2.2em; border-top: 2px solid #455a64; }
.line.thick { border-top-width: 4px; }
.line.dashed { border-top-style: dashed; }
.box { display: inline-block; width: 1.6em; height: 0.9em; border-radius: 4px; }
.diagram { margin: 0; overflow: auto; border: 1px solid #cfd8dc; border-radius: 6px; padding: 0.5em; }
.diagram svg { max-width: 100%; height: auto; }
.diagram g.edge:hover path, .diagram g:target path { stroke-width: 5px; }
.diagram g.node:hover polygon, .diagram g:target polygon { stroke-width: 4px; }
.diagram g:target text { font-weight: bold; }
table { border-collapse: collapse; margin-top: 0.5em; font-size: 0.9em; }
th, td { text-align: left; padding: 0.25em 0.8em; border-bottom: 1px solid #eceff1; }
{{range .Colours}}tr.sev-{{.Severity}} td:first-child { color: {{.Stroke}}; font-weight: bold; }
{{end -}}
</style>
</head>
<body>
<h1>bondaudit diagram{{with .Title}}: {{.}}{{end}}</h1>
<p class="caption">{{.Caption}}</p>
<div class="legend">
<span>a finding, its rule IDs in the label:</span>
{{range .Colours}}<span><i class="swatch" style="border-color: {{.Stroke}}; background: {{.Fill}}"></i>{{.Severity}}</span>
{{end}}<span><i class="line thick"></i>a LAG: its members in one edge</span>
<span><i class="line dashed"></i>single-homed: every slave on one switch</span>
<span><i class="box" style="background: #e8eaf6; border: 1px solid #3949ab"></i>MLAG/vPC pair or stack</span>
<span><i class="box" style="border: 1px dashed #90a4ae"></i>hosts on the same switches</span>
</div>
<figure class="diagram" id="diagram">
{{.SVG}}
</figure>
{{- if .Marks}}
<h2>Findings drawn</h2>
<table>
<tr><th>severity</th><th>rule</th><th>where</th></tr>
{{range .Marks}}<tr class="sev-{{.Severity}}"><td>{{.Severity}}</td><td><a href="#{{.Anchor}}">{{.Rule}}</a></td><td>{{.Subject}}</td></tr>
{{end}}</table>
{{- end}}
</body>
</html>
`
