package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// HTML writes one self-contained page (inline CSS and a small inline script,
// no external asset: it works offline and as an e-mail attachment): the
// summary counts, a findings table that filters by severity, rule, host and
// switch, one card per bond (its slaves and the switch ports they land on,
// its findings with fix and evidence), the site diagram inline with each
// finding linking to its spot, the inputs that could not be read, and the
// findings policy waived (collapsed, with reason and expiry).
//
// The filters also read the URL: report.html#severity=error&rule=lacp.no-partner
// (or the same as a query string) opens the page filtered, and changing a
// filter updates the fragment, so a filtered view can be shared. The keys are
// severity, rule, host, switch and q (free text). Without JavaScript every
// finding is listed.
//
// The output is deterministic for a given Report: the only time in it is
// Report.Generated. A diagram that cannot be drawn (too big, say) is replaced
// by a note; it never fails the report.
type HTML struct{}

// Write implements Writer. The page is written as it is made, through a
// buffer, never held whole: when w fails midway, w holds part of a page
// and the error says so (bondaudit's -o writes a temporary file and
// renames it only once Write has succeeded, so a partial page never
// replaces a whole one).
func (HTML) Write(w io.Writer, r *Report) error {
	p := newHTMLPage(r)
	h := newHTMLStream(w)
	t := htmlReportTemplate()
	// The shell (head, style, summary, diagram, script) is the template;
	// the long sections between its parts are streamed (htmlstream.go).
	tmpl := func(name string) {
		if h.err == nil {
			if err := t.ExecuteTemplate(h.w, name, p); err != nil {
				h.err = fmt.Errorf("template %s: %w", name, err)
			}
		}
	}
	tmpl("head")
	h.groups(p)
	h.findings(p)
	h.cards(p)
	tmpl("diagram")
	h.inputs(p)
	tmpl("tail")
	if err := h.flush(); err != nil {
		return fmt.Errorf("html report (the page written is incomplete): %w", err)
	}
	return nil
}

type htmlPage struct {
	Site                  string
	Generated, GeneratedZ string
	Summary               Summary
	Errors, Warnings      int
	Infos, Suppressed     int
	Rows                  []*htmlRow
	Severities            []string
	Rules, Hosts          []string
	Switches              []string
	Cards                 []*htmlCard
	SVG                   template.HTML
	DiagramCaption        string
	DiagramNote           string
	Waived                []*htmlRow
	Problems              []string
	// Groups are the problems (rules.Group) of the rows, each expandable
	// to its findings; NFindings counts the rows they hold.
	Groups    []*htmlProblem
	NFindings int
}

// htmlProblem is one problem: its summary line and its findings' rows.
type htmlProblem struct {
	ID, Sev, Rule, Subject, Message, More string
	Rows                                  []*htmlRow
}

// htmlRow is one finding: a row of the findings table (ID f-N) and an item
// of its card (ID fd-N), or a row of the suppressed table.
type htmlRow struct {
	// Finding is what the page shows: every string through escape.Text
	// (html/template escapes markup, not control or bidi characters).
	rules.Finding
	// raw is the finding as the rules made it, for matching it to the
	// Model and the diagram.
	raw      *rules.Finding
	N        int
	Sev      string
	Evidence []string
	Where    string
	// Anchor is the diagram element the finding is drawn on ("" when not
	// drawn); Card the ID of the card that lists it.
	Anchor, Card string
}

// htmlCard is one bond (Kind "bond") with its slaves, or the findings about
// a host, a switch or the site that belong to no bond of the Model.
type htmlCard struct {
	ID, Kind, Title string
	// Bond is the bond of a bond card, whose settings and slaves (where
	// each is cabled) the card shows: the stream writes them from the
	// Model, not from strings made for every card first.
	Bond          *topology.BondFacts
	Worst, Result string
	Anchor        string
	Findings      []*htmlRow
}

func newHTMLPage(r *Report) *htmlPage {
	s := Summarize(r)
	p := &htmlPage{
		Site: escape.Text(r.Site), Summary: s,
		Generated:  r.Generated.UTC().Format("2006-01-02 15:04 UTC"),
		GeneratedZ: r.Generated.UTC().Format("2006-01-02T15:04:05Z07:00"),
		Errors:     s.Findings[rules.Error], Warnings: s.Findings[rules.Warning], Infos: s.Findings[rules.Info],
		Severities: []string{"error", "warning", "info"},
		Problems:   escape.Texts(sortedProblems(r.Problems)),
	}
	fs, all := grouped(r.Findings)
	primary := problemRules(all)
	// One slab for the rows (a 100k-host site has tens of thousands).
	slab := make([]htmlRow, len(fs))
	marks := make([]diagram.Mark, 0, len(fs))
	p.Rows = make([]*htmlRow, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		row := &slab[i]
		*row = htmlRow{Finding: textFinding(f), raw: f, Sev: f.Severity.String()}
		if waived(*f) {
			// a waived row shows its host beside the subject, and no evidence
			p.Suppressed++
			row.N = p.Suppressed
			row.Where = escape.Text(join2(f.Host, where(*f), " "))
			p.Waived = append(p.Waived, row)
			continue
		}
		row.Evidence, row.Where = escape.Texts(dedupe(f.Evidence)), escape.Text(where(*f))
		row.N = len(p.Rows) + 1
		p.Rows = append(p.Rows, row)
		marks = append(marks, markOf(*f, primary))
	}
	byID := make(map[string]*htmlProblem, len(all))
	groups := make([]htmlProblem, 0, len(all))
	for _, q := range all {
		// activeProblems(all), without copying the active findings:
		// the problem's message is its first active finding's.
		n, msg := 0, ""
		for i := range q.Findings {
			if q.Findings[i].Active() {
				if n == 0 {
					msg = q.Findings[i].Message
				}
				n++
			}
		}
		if n == 0 {
			continue
		}
		groups = append(groups, htmlProblem{ID: q.ID, Sev: q.Severity.String(), Rule: escape.Text(q.Rule),
			Subject: escape.Text(problemSubject(r.Model, q.Subject)), Message: escape.Text(msg), More: more(n)})
		g := &groups[len(groups)-1]
		byID[q.ID] = g
		p.Groups = append(p.Groups, g)
	}
	for _, row := range p.Rows {
		if g := byID[row.raw.Problem]; g != nil {
			g.Rows = append(g.Rows, row)
			p.NFindings++
		}
	}
	for _, g := range p.Groups {
		// The problem's own rule first, as rules.Group orders them.
		slices.SortStableFunc(g.Rows, func(a, b *htmlRow) int { return b2i(a.Rule != g.Rule) - b2i(b.Rule != g.Rule) })
	}
	p.Rules, p.Hosts, p.Switches = distinct(p.Rows, func(f *htmlRow) string { return f.Rule }),
		distinct(p.Rows, func(f *htmlRow) string { return f.Host }),
		distinct(p.Rows, func(f *htmlRow) string { return f.Switch })

	d := p.drawDiagram(r, marks)
	if d != nil {
		for i, row := range p.Rows {
			row.Anchor = d.AnchorFor(marks[i])
		}
	}
	p.Cards = htmlCards(r.Model, r.Filter, p.Rows, d)
	return p
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// textFinding is f as the page shows it: every string through escape.Text.
// Its Evidence is left out: the page shows htmlRow.Evidence.
func textFinding(raw *rules.Finding) rules.Finding {
	f := *raw
	t := escape.Text
	f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port = t(f.Rule), t(f.Host), t(f.Bond), t(f.NIC), t(f.Switch), t(f.Port)
	f.Message, f.Fix, f.Reason, f.Expires = t(f.Message), t(f.Fix), t(f.Reason), t(f.Expires)
	f.Evidence = nil
	return f
}

// markOf is f as the diagram marks it, with its problem's primary rule
// (from primary: problem id to rule).
func markOf(f rules.Finding, primary map[string]string) diagram.Mark {
	return diagram.Mark{Rule: f.Rule, Severity: diagram.Severity(f.Severity.String()),
		Host: f.Host, Bond: f.Bond, NIC: f.NIC, Switch: f.Switch, Port: f.Port, Problem: primary[f.Problem]}
}

// distinct lists the non-empty values key takes, sorted, each once.
func distinct(rows []*htmlRow, key func(*htmlRow) string) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if k := key(r); k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// drawDiagram puts the site's SVG in the page and returns the Diagram the
// findings link into, or leaves a note (and returns nil) when it cannot be
// drawn: the report never fails for its picture.
func (p *htmlPage) drawDiagram(r *Report, marks []diagram.Mark) (drawn *diagram.Diagram) {
	if r.Model == nil {
		p.DiagramNote = "No topology was built, so there is no diagram."
		return nil
	}
	defer func() {
		if v := recover(); v != nil {
			p.SVG, p.DiagramCaption = "", ""
			p.DiagramNote = escape.Text(fmt.Sprintf("The diagram could not be drawn (%v).", v))
			drawn = nil
		}
	}()
	d, err := diagram.Build(r.Model, diagram.Options{Marks: marks, Title: r.Site})
	if err != nil {
		p.DiagramNote = "The diagram is left out: " + escape.Text(err.Error()) + ". bondaudit diagram --focus draws part of the site."
		return nil
	}
	var b bytes.Buffer
	if err := d.SVG(&b); errors.Is(err, diagram.ErrNoDot) {
		p.DiagramNote = "The diagram needs Graphviz, which is not installed where this report was made: " +
			"install it (apt install graphviz) to draw the diagram here, or draw it with bondaudit diagram --format mermaid."
		return nil
	} else if err != nil {
		p.DiagramNote = "The diagram could not be drawn: " + escape.Text(err.Error()) + "."
		return nil
	}
	svg := b.Bytes()
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		p.DiagramNote = "The diagram could not be drawn: Graphviz wrote no SVG."
		return nil
	}
	// The XML prolog and DOCTYPE do not belong inside HTML. Graphviz
	// escapes the labels it writes; the SVG is markup we made.
	p.SVG = template.HTML(bytes.TrimSpace(svg[i:]))
	p.DiagramCaption = escape.Text(d.Caption)
	return d
}

// htmlCards makes one card per bond of the Model (those the filter
// selects), then one per host, switch and the site for the findings no bond
// card holds. Cards with findings come first, the worst first; otherwise in
// Model order.
func htmlCards(m *topology.Model, filter rules.Filter, rows []*htmlRow, d *diagram.Diagram) []*htmlCard {
	var cards []*htmlCard
	byID := make(map[string]*htmlCard, len(rows))
	add := func(c *htmlCard) *htmlCard {
		cards = append(cards, c)
		byID[c.ID] = c
		return c
	}
	anchor := func(mk diagram.Mark) string {
		if d == nil {
			return ""
		}
		return d.AnchorFor(mk)
	}
	if m != nil {
		for _, h := range m.Hosts {
			if !filter.Host(h.Name) {
				continue
			}
			facts := h.BondFacts()
			for i := range facts {
				if !bondOnSwitch(facts[i], filter) {
					continue
				}
				b := facts[i].Bond
				add(&htmlCard{ID: bondCardID(h.Name, b.Name), Kind: "bond", Title: escape.Text(h.Name) + " " + escape.Text(b.Name),
					Bond: &facts[i], Anchor: anchor(diagram.Mark{Host: h.Name, Bond: b.Name})})
			}
		}
	}
	for _, row := range rows {
		f := row.raw
		id, kind, title := "", "", ""
		mk := diagram.Mark{}
		var c *htmlCard
		if f.Host != "" && f.Bond != "" {
			c = byID[bondCardID(f.Host, f.Bond)]
		}
		switch {
		case c != nil:
		case f.Host != "":
			id, kind, title = "host-"+idPart(f.Host), "host", "host "+escape.Text(f.Host)
			mk.Host = f.Host
		case f.Switch != "":
			id, kind, title = "switch-"+idPart(f.Switch), "switch", "switch "+escape.Text(f.Switch)
			mk.Switch = f.Switch
		default:
			id, kind, title = "site", "site", "site"
		}
		if c == nil {
			c = byID[id]
		}
		if c == nil {
			c = add(&htmlCard{ID: id, Kind: kind, Title: title, Anchor: anchor(mk)})
		}
		c.Findings = append(c.Findings, row)
		row.Card = c.ID
	}
	for _, c := range cards {
		worst := -1
		for _, row := range c.Findings {
			if o := sevOrder(row.Sev); o > worst {
				c.Worst, worst = row.Sev, o
			}
		}
		c.Result = rowsResult(c.Findings)
	}
	slices.SortStableFunc(cards, func(a, b *htmlCard) int {
		return sevOrder(b.Worst) - sevOrder(a.Worst)
	})
	return cards
}

// sevOrder ranks a severity name: error 2, warning 1, info 0, none -1.
func sevOrder(s string) int {
	if s == "" {
		return -1
	}
	v, err := rules.ParseSeverity(s)
	if err != nil {
		return -1
	}
	return int(v)
}

// rowsResult is resultWord of the rows' findings.
func rowsResult(rows []*htmlRow) string {
	var n severityCounts
	for _, r := range rows {
		n.add(r.Severity)
	}
	return n.word(len(rows))
}

// evidenceText is the escape.Text of each kind, joined by ", ".
func evidenceText(ks []topology.EvidenceKind) string {
	switch len(ks) {
	case 0:
		return ""
	case 1:
		return escape.Text(string(ks[0]))
	}
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(escape.Text(string(k)))
	}
	return b.String()
}

func bondCardID(host, bond string) string { return "bond-" + idPart(host) + "__" + idPart(bond) }

// idPart keeps ASCII letters and digits and writes every other byte as _XX,
// so that IDs made of names are valid, distinct and never contain "__".
func idPart(s string) string {
	i := 0
	for i < len(s) && idKeeps(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		if c := s[i]; idKeeps(c) {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func idKeeps(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// hexDigits are the lower-case hex digits the IDs and URL escapes use.
const hexDigits = "0123456789abcdef"

// htmlReportTemplate is parsed on first use, not at start-up: a command
// that writes no HTML report pays nothing for it.
var htmlReportTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"upper": strings.ToUpper,
	}).Parse(htmlReportSource))
})

// htmlReportSource is the shell of the page, in three parts that Write
// executes in order with the streamed sections between them: "head" (up
// to the Problems heading), "diagram" (the diagram, up to the Inputs not
// read heading) and "tail" (the script). Its CSS and script are constant:
// only the HTML around them carries report data, escaped by html/template.
const htmlReportSource = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bondaudit">
<title>bondaudit report: site {{.Site}}</title>
<style>
:root { --error: #c62828; --error-bg: #ffebee; --warning: #e65100; --warning-bg: #fff3e0; --info: #1565c0; --info-bg: #e3f2fd; --ok: #2e7d32; --muted: #546e7a; --rule: #cfd8dc; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; padding: 1.2em 1.5em 3em; max-width: 90em; color: #263238; line-height: 1.4; background: #fff; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.5em; border-bottom: 2px solid var(--rule); padding-bottom: 0.2em; }
h3 { font-size: 1em; margin: 0; }
a { color: #1565c0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; word-break: break-word; }
.meta { color: var(--muted); margin: 0; }
nav.toc { margin: 0.6em 0 0; font-size: 0.9em; }
nav.toc a { margin-right: 1em; }
.summary { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 1em 0 0; padding: 0; list-style: none; }
.summary li { border: 1px solid var(--rule); border-radius: 6px; padding: 0.4em 0.9em; min-width: 7em; }
.summary .n { display: block; font-size: 1.6em; font-weight: 600; }
.summary .label { color: var(--muted); font-size: 0.85em; }
.summary a { color: inherit; text-decoration: none; display: block; }
.summary li.sev-error { border-color: var(--error); background: var(--error-bg); }
.summary li.sev-warning { border-color: var(--warning); background: var(--warning-bg); }
.summary li.sev-info { border-color: var(--info); background: var(--info-bg); }
.summary li.zero { background: #fff; border-color: var(--rule); }
.sev { display: inline-block; font-size: 0.78em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; padding: 0.05em 0.45em; border-radius: 3px; border: 1px solid; white-space: nowrap; }
.sev-error .sev, .sev.sev-error { color: var(--error); background: var(--error-bg); }
.sev-warning .sev, .sev.sev-warning { color: var(--warning); background: var(--warning-bg); }
.sev-info .sev, .sev.sev-info { color: var(--info); background: var(--info-bg); }
form.filters { display: flex; flex-wrap: wrap; gap: 0.5em 1em; align-items: end; margin: 0.5em 0; padding: 0.6em 0.8em; background: #f5f7f8; border: 1px solid var(--rule); border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: 0.8em; color: var(--muted); gap: 0.15em; }
form.filters select, form.filters input { font: inherit; font-size: 1.1em; padding: 0.15em 0.3em; min-width: 9em; }
form.filters button { font: inherit; padding: 0.25em 0.8em; }
#filter-count { font-size: 0.9em; color: var(--muted); margin-left: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #eceff1; }
th { background: #eceff1; font-weight: 600; position: sticky; top: 0; }
tr.finding.sev-error td:first-child { border-left: 4px solid var(--error); }
tr.finding.sev-warning td:first-child { border-left: 4px solid var(--warning); }
tr.finding.sev-info td:first-child { border-left: 4px solid var(--info); }
tr.finding:target, li.card-finding:target { background: #fffde7; }
td.msg { min-width: 20em; }
td.rule code { white-space: nowrap; word-break: normal; }
td.date { white-space: nowrap; }
td.see { white-space: nowrap; font-size: 0.9em; }
tr[hidden] { display: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(28em, 1fr)); gap: 0.9em; }
.card { border: 1px solid var(--rule); border-left: 5px solid var(--ok); border-radius: 6px; padding: 0.7em 0.9em; font-size: 0.92em; break-inside: avoid; }
.card.sev-error { border-left-color: var(--error); }
.card.sev-warning { border-left-color: var(--warning); }
.card.sev-info { border-left-color: var(--info); }
.card:target { box-shadow: 0 0 0 3px #ffe082; }
.card header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.3em 1em; align-items: baseline; }
.card .result { font-size: 0.85em; font-weight: 600; }
.card.ok .result { color: var(--ok); }
.card .facts { color: var(--muted); font-size: 0.85em; margin: 0.2em 0 0.4em; }
ul.legs { list-style: none; padding: 0; margin: 0.3em 0; font-size: 0.9em; }
ul.legs li { padding: 0.1em 0; }
ul.legs .down { color: var(--error); font-weight: 600; }
ul.legs .unmapped { color: var(--warning); }
ol.card-findings { list-style: none; padding: 0; margin: 0.5em 0 0; }
li.card-finding { border-top: 1px solid #eceff1; padding: 0.45em 0 0.3em; }
li.card-finding p { margin: 0.2em 0; }
.fix { background: #f1f8e9; border-radius: 4px; padding: 0.2em 0.5em; }
ul.evidence { margin: 0.2em 0 0; padding-left: 1.2em; font-size: 0.85em; color: #37474f; }
.diagram { margin: 0; overflow: auto; border: 1px solid var(--rule); border-radius: 6px; padding: 0.5em; }
.diagram svg { max-width: 100%; height: auto; }
.diagram g.edge:hover path, .diagram g:target path { stroke-width: 5px; }
.diagram g.node:hover polygon, .diagram g:target polygon { stroke-width: 4px; }
.diagram g:target text { font-weight: bold; }
figcaption, .note { color: var(--muted); font-size: 0.9em; }
.note { border-left: 4px solid var(--rule); padding: 0.3em 0.8em; }
details.suppressed > summary { cursor: pointer; font-weight: 600; }
details.problem { border-left: 5px solid var(--ok); padding: 0.2em 0.6em; margin: 0.3em 0; }
details.problem.sev-error { border-left-color: var(--error); }
details.problem.sev-warning { border-left-color: var(--warning); }
details.problem.sev-info { border-left-color: var(--info); }
details.problem > summary { cursor: pointer; }
details.problem .more { color: var(--muted); white-space: nowrap; }
details[hidden] { display: none; }
ol.problem-findings { font-size: 0.9em; }
.empty { color: var(--muted); }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  nav.toc, form.filters, td.see, th.see { display: none; }
  th { position: static; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr, .card, li.card-finding { break-inside: avoid; }
  .cards { display: block; }
  .card { margin-bottom: 0.6em; }
  .diagram { overflow: visible; border: none; }
}
</style>
</head>
<body>
<header>
<h1>bondaudit report: site {{.Site}}</h1>
<p class="meta">generated <time datetime="{{.GeneratedZ}}">{{.Generated}}</time></p>
<nav class="toc"><a href="#problems-section">Problems</a><a href="#findings-section">Findings</a><a href="#bonds">Bonds</a><a href="#diagram-section">Diagram</a><a href="#problems">Inputs not read</a><a href="#suppressed">Suppressed</a></nav>
<ul class="summary" id="summary">
<li><span class="n" id="count-hosts">{{.Summary.Hosts}}</span><span class="label">hosts</span></li>
<li><span class="n" id="count-bonds">{{.Summary.Bonds}}</span><span class="label">bonds</span></li>
<li><span class="n" id="count-switches">{{.Summary.Switches}}</span><span class="label">switches</span></li>
<li><span class="n" id="count-links">{{.Summary.Links}}</span><span class="label">links mapped</span></li>
<li class="sev-error{{if not .Errors}} zero{{end}}"><a href="#severity=error"><span class="n" id="count-error">{{.Errors}}</span><span class="label">errors</span></a></li>
<li class="sev-warning{{if not .Warnings}} zero{{end}}"><a href="#severity=warning"><span class="n" id="count-warning">{{.Warnings}}</span><span class="label">warnings</span></a></li>
<li class="sev-info{{if not .Infos}} zero{{end}}"><a href="#severity=info"><span class="n" id="count-info">{{.Infos}}</span><span class="label">info</span></a></li>
<li><a href="#suppressed"><span class="n" id="count-suppressed">{{.Suppressed}}</span><span class="label">suppressed</span></a></li>
</ul>
</header>
<main>
<section id="problems-section">
<h2>Problems</h2>{{end}}
{{define "diagram"}}
{{- if .SVG}}
<figure class="diagram" id="diagram">
{{.SVG}}
<figcaption>{{.DiagramCaption}}. A finding colours its edge or node: <span class="sev sev-error">error</span> <span class="sev sev-warning">warning</span> <span class="sev sev-info">info</span>; a dashed edge is a bond whose slaves all land on one switch.</figcaption>
</figure>
{{- else}}
<p class="note" id="diagram-note">{{.DiagramNote}}</p>
{{- end}}
</section>
<section id="problems">
<h2>Inputs not read</h2>{{end}}
{{define "tail"}}<script>
(function () {
  "use strict";
  // Print the waived findings too: open the collapsed sections first.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  var form = document.getElementById("filters");
  var table = document.getElementById("findings");
  if (!form || !table) { return; }
  var keys = ["severity", "rule", "host", "switch", "q"];
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.finding"));
  var count = document.getElementById("filter-count");
  function field(k) { return document.getElementById("filter-" + k); }
  function fromFields() {
    var f = {};
    keys.forEach(function (k) { f[k] = field(k).value.trim(); });
    return f;
  }
  function fromURL() {
    var p = new URLSearchParams(location.search);
    var h = location.hash.slice(1);
    if (h.indexOf("=") >= 0) {
      new URLSearchParams(h).forEach(function (v, k) { p.set(k, v); });
    }
    var f = {};
    keys.forEach(function (k) { f[k] = (p.get(k) || "").trim(); });
    return f;
  }
  function setFields(f) {
    keys.forEach(function (k) {
      var el = field(k), v = f[k];
      if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v + " (no findings)";
        el.appendChild(o);
      }
      el.value = v;
    });
  }
  function apply(f) {
    var shown = 0, q = f.q.toLowerCase(), active = false;
    keys.forEach(function (k) { if (f[k]) { active = true; } });
    rows.forEach(function (tr) {
      var d = tr.dataset;
      var ok = (!f.severity || d.severity === f.severity) && (!f.rule || d.rule === f.rule) &&
        (!f.host || d.host === f.host) && (!f["switch"] || d["switch"] === f["switch"]) &&
        (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
      tr.hidden = !ok;
      tr.classList.toggle("filtered-out", !ok);
      if (ok) { shown++; }
    });
    // A problem is shown while one of its findings is.
    var on = {};
    rows.forEach(function (tr) { if (!tr.hidden) { on[tr.dataset.problem] = true; } });
    Array.prototype.forEach.call(document.querySelectorAll("details.problem"), function (d) {
      d.hidden = !on[d.id];
    });
    table.setAttribute("data-shown", String(shown));
    table.setAttribute("data-filtered", active ? "true" : "false");
    count.textContent = active ? shown + " of " + rows.length + " findings shown" : "all " + rows.length + " findings shown";
  }
  function toURL(f) {
    var p = new URLSearchParams();
    keys.forEach(function (k) { if (f[k]) { p.set(k, f[k]); } });
    var s = p.toString(), base = location.href.split("#")[0];
    try { history.replaceState(null, "", s ? "#" + s : base); } catch (e) { /* file: URLs may refuse */ }
  }
  function onInput() { var f = fromFields(); apply(f); toURL(f); }
  form.addEventListener("change", onInput);
  form.addEventListener("input", onInput);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { setTimeout(onInput, 0); });
  window.addEventListener("hashchange", function () {
    var h = location.hash.slice(1);
    if (h !== "" && h.indexOf("=") < 0) { return; }
    var f = fromURL();
    setFields(f);
    apply(f);
    if (h !== "") { document.getElementById("findings-section").scrollIntoView(); }
  });
  form.hidden = false;
  var f = fromURL();
  setFields(f);
  apply(f);
})();
</script>
</body>
</html>
{{end}}`
