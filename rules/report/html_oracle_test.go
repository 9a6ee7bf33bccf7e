package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// htmlOracleBody is the page as one html/template, as HTML.Write executed
// it before the long sections were streamed: the shell's parts ("head",
// "diagram", "tail" of htmlReportSource) with, between them, the template
// text those sections had, unchanged. htmlOracle renders it into a buffer;
// every streamed page must equal it byte for byte.
const htmlOracleBody = `{{define "oracle"}}{{template "head" .}}
{{- if .Groups}}
<p class="note" id="problems-count">{{.NFindings}} findings in {{len .Groups}} problems, one per root cause: open a problem for its findings and evidence.</p>
{{- range .Groups}}
<details class="problem sev-{{.Sev}}" id="{{.ID}}" data-severity="{{.Sev}}" data-rule="{{.Rule}}">
<summary><span class="sev">{{.Sev}}</span> <code>{{.Rule}}</code> <span class="subject">{{.Subject}}</span>: {{.Message}}{{with .More}} <span class="more">{{.}}</span>{{end}}</summary>
<ol class="problem-findings">
{{- range .Rows}}
<li data-finding="{{.ID}}"><span class="sev">{{.Sev}}</span> <code>{{.Rule}}</code> {{.Where}}: {{.Message}} <a href="#{{.ID}}">row</a>
{{- if .Fix}}<p class="fix">fix: {{.Fix}}</p>{{end}}
{{- with .Evidence}}<ul class="evidence">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</li>
{{- end}}
</ol>
</details>
{{- end}}
{{- else}}
<p class="empty" id="no-problems">No problems.</p>
{{- end}}
</section>
<section id="findings-section">
<h2>Findings</h2>
{{- if .Rows}}
<form class="filters" id="filters" hidden>
<label>severity<select id="filter-severity" name="severity"><option value="">all</option>{{range .Severities}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>rule<select id="filter-rule" name="rule"><option value="">all</option>{{range .Rules}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>host<select id="filter-host" name="host"><option value="">all</option>{{range .Hosts}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>switch<select id="filter-switch" name="switch"><option value="">all</option>{{range .Switches}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>text<input id="filter-q" name="q" type="search" placeholder="any text"></label>
<button type="reset" id="filter-clear">clear</button>
<span id="filter-count" aria-live="polite"></span>
</form>
<div class="table-wrap">
<table id="findings">
<thead><tr><th>severity</th><th>rule</th><th>host</th><th>bond</th><th>NIC</th><th>switch</th><th>port</th><th>message</th><th class="see">see</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr class="finding sev-{{.Sev}}" id="{{.ID}}" data-severity="{{.Sev}}" data-rule="{{.Rule}}" data-host="{{.Host}}" data-switch="{{.Switch}}" data-problem="{{.Problem}}"><td><span class="sev">{{.Sev}}</span></td><td class="rule"><code>{{.Rule}}</code></td><td>{{.Host}}</td><td>{{.Bond}}</td><td>{{.NIC}}</td><td>{{.Switch}}</td><td>{{.Port}}</td><td class="msg">{{.Message}}</td><td class="see"><a href="#{{.DetailID}}">details</a>{{with .Anchor}} · <a class="to-diagram" href="#{{.}}">diagram</a>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- else}}
<p class="empty" id="no-findings">No findings.</p>
{{- end}}
</section>
<section id="bonds">
<h2>Bonds</h2>
{{- if .Cards}}
<div class="cards">
{{- range .Cards}}
<article class="card card-{{.Kind}}{{with .Worst}} sev-{{.}}{{else}} ok{{end}}" id="{{.ID}}">
<header><h3>{{.Title}}</h3><span class="result">{{.Result}}{{with .Anchor}} · <a href="#{{.}}">diagram</a>{{end}}</span></header>
{{- with .Facts}}
<p class="facts">{{range $i, $f := .}}{{if $i}} · {{end}}{{$f}}{{end}}</p>
{{- end}}
{{- if eq .Kind "bond"}}
{{- if .Legs}}
<ul class="legs">
{{- range .Legs}}
<li><code>{{.NIC}}</code>{{if .Down}} <span class="down">{{.State}}</span>{{end}} → {{if .Mapped}}{{.Switch}} <code>{{.Port}}</code>{{with .LAG}} in {{.}}{{end}}{{with .MappedBy}} <span class="facts">({{.}})</span>{{end}}{{else}}<span class="unmapped">not mapped to a switch port</span>{{end}}</li>
{{- end}}
</ul>
{{- else}}
<p class="facts">no slaves</p>
{{- end}}
{{- end}}
{{- if .Findings}}
<ol class="card-findings">
{{- range .Findings}}
<li class="card-finding sev-{{.Sev}}" id="{{.DetailID}}"><p><span class="sev">{{.Sev}}</span> <code>{{.Rule}}</code>{{with .Where}} — {{.}}{{end}} <a href="#{{.ID}}">↑</a></p>
<p>{{.Message}}</p>
{{- with .Fix}}
<p class="fix"><strong>Fix:</strong> {{.}}</p>
{{- end}}
{{- with .Evidence}}
<ul class="evidence">
{{- range .}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
{{- end}}
</li>
{{- end}}
</ol>
{{- end}}
</article>
{{- end}}
</div>
{{- else}}
<p class="empty">No bonds.</p>
{{- end}}
</section>
<section id="diagram-section">
<h2>Diagram</h2>{{template "diagram" .}}
{{- if .Problems}}
<p>These inputs could not be read in full; what they would show was not checked.</p>
<ul>
{{- range .Problems}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
{{- else}}
<p>None: every input was read.</p>
{{- end}}
</section>
<section id="suppressed-section">
<h2>Suppressed (waived)</h2>
{{- if .Waived}}
<details class="suppressed" id="suppressed">
<summary>{{len .Waived}} {{if eq (len .Waived) 1}}finding{{else}}findings{{end}} waived by the policy; they count again when the waiver expires</summary>
<div class="table-wrap">
<table id="suppressed-findings">
<thead><tr><th>severity</th><th>rule</th><th>subject</th><th>message</th><th>reason</th><th>expires</th></tr></thead>
<tbody>
{{- range .Waived}}
<tr class="waived sev-{{.Sev}}" id="s-{{.N}}"><td><span class="sev">{{.Sev}}</span></td><td class="rule"><code>{{.Rule}}</code></td><td>{{.Where}}</td><td>{{.Message}}</td><td>{{if .Reason}}{{.Reason}}{{else}}(none given){{end}}</td><td class="date">{{if .Expires}}{{.Expires}}{{else}}never{{end}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
</details>
{{- else}}
<p id="suppressed">None.</p>
{{- end}}
</section>
</main>
{{template "tail" .}}{{end}}`

var htmlOracleTemplate = sync.OnceValue(func() *template.Template {
	t := template.Must(template.New("report").Funcs(template.FuncMap{
		"upper": strings.ToUpper,
	}).Parse(htmlReportSource))
	return template.Must(t.Parse(htmlOracleBody))
})

// htmlOracle is the old HTML.Write: the whole page in a buffer, from the
// template.
func htmlOracle(w io.Writer, r *Report) error {
	var b bytes.Buffer
	if err := htmlOracleTemplate().ExecuteTemplate(&b, "oracle", oldHTMLPage(r)); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// sameAsOracle fails t unless HTML{} writes r as htmlOracle does, naming
// the first byte that differs.
func sameAsOracle(t testing.TB, name string, r *Report) {
	t.Helper()
	var want, got bytes.Buffer
	if err := htmlOracle(&want, r); err != nil {
		t.Fatalf("%s: template: %v", name, err)
	}
	if err := (HTML{}).Write(&got, r); err != nil {
		t.Fatalf("%s: stream: %v", name, err)
	}
	if i := firstDiff(want.Bytes(), got.Bytes()); i >= 0 {
		t.Errorf("%s: the streamed page (%d bytes) differs from the template's (%d bytes) at byte %d:\n template: %q\n streamed: %q",
			name, got.Len(), want.Len(), i, around(want.Bytes(), i), around(got.Bytes(), i))
	}
}

// firstDiff is the offset of the first byte where a and b differ, or -1.
func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

func around(b []byte, i int) []byte { return b[max(0, i-80):min(len(b), i+80)] }

// withFakeDot puts a dot first on PATH that draws a fixed SVG (with an
// XML prolog the page must cut), so the page's diagram part runs where
// Graphviz is not installed.
func withFakeDot(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	svg := `<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"><g id="d-x" class="node"><title>x &amp; y</title></g></svg>\n`
	script := "#!/bin/sh\ncat >/dev/null\nprintf '%s' '" + svg + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "dot"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
}

// hostileReport is the fixture with names and texts that try markup,
// entities, URLs, control and bidi characters, NUL and invalid UTF-8 in
// every field the page shows.
func hostileReport(t *testing.T) *Report {
	r := fixtureReport(t)
	const evil = "<script>alert(\"x\")</script><img src=x onerror=alert(1)> &amp; 'q' a+b \x00 \u202e \xff\\ \n"
	r.Site = `dc"1<b>` + evil
	r.Findings = append(r.Findings, rules.Finding{Rule: "bond.evil" + evil, Severity: rules.Error, Status: rules.StatusFail,
		Host: `h"><script>alert(2)</script>`, Bond: "bond0" + evil, NIC: "n" + evil, Switch: "s#1?x=" + evil, Port: "p/1" + evil,
		Message: evil, Fix: "&amp; " + evil, Evidence: []string{evil, evil, "e2" + evil}, Problem: "p\"1" + evil},
		rules.Finding{Rule: "x.waived", Severity: rules.Info, Status: rules.StatusSuppressed, Host: evil, Switch: evil,
			Message: "waived " + evil, Reason: evil, Expires: "2027-01-01" + evil},
		rules.Finding{Rule: "x.waived2", Severity: rules.Warning, Status: rules.StatusSuppressed, Message: "no reason"})
	r.Problems = append(r.Problems, evil, "")
	return r
}

// TestHTMLStreamedSameAsTemplate: the streamed page is the template's page,
// byte for byte, on the golden fixture, the rules' report, hostile names,
// empty and diagram-less reports, with a (fake) Graphviz and without.
func TestHTMLStreamedSameAsTemplate(t *testing.T) {
	var hosts []*topology.Host
	for i := range diagram.DefaultMaxNodes + 1 {
		hosts = append(hosts, &topology.Host{Name: fmt.Sprintf("h%03d", i)})
	}
	big, err := topology.Build(hosts, nil, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reports := func() map[string]*Report {
		return map[string]*Report{
			"fixture": fixtureReport(t),
			"rules":   rulesReport(t),
			"hostile": hostileReport(t),
			"empty":   {Site: "empty", Generated: fixtureGenerated},
			"too big": {Site: "big", Generated: fixtureGenerated, Model: big,
				Findings: []rules.Finding{{Rule: "bond.x", Severity: rules.Warning, Status: rules.StatusFail, Host: "h001", Message: "m"}}},
			"no model": {Site: "none", Generated: fixtureGenerated,
				Findings: []rules.Finding{{Rule: "bond.x", Severity: rules.Warning, Status: rules.StatusFail, Switch: "s", Message: "m"},
					{Rule: "site.x", Severity: rules.Info, Status: rules.StatusFail, Message: "m"}}},
		}
	}
	for _, dot := range []string{"fake dot", "no dot"} {
		t.Run(dot, func(t *testing.T) {
			if dot == "fake dot" {
				withFakeDot(t)
			} else {
				t.Setenv("PATH", t.TempDir())
			}
			for name, r := range reports() {
				sameAsOracle(t, name, r)
			}
			// every bond setting, a slave down, LAGs named and unnamed
			for i, flags := range []uint8{0xf0 | 16 | 1, 16, 16 | 1} {
				sameAsOracle(t, fmt.Sprintf("bond settings %d", i), fuzzReport(t, "h<1>", "b&0", "eth0", "s'1", "Ethernet1",
					"802.3ad", "fast", "layer3+4", []string{"team", "", "bonding"}[i], []string{"lacp", "static", ""}[i], []string{"Po1", "", "Po+2"}[i], uint8(i+1), flags))
			}
			var b bytes.Buffer
			if err := (HTML{}).Write(&b, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			if drew := bytes.Contains(b.Bytes(), []byte(`<figure class="diagram" id="diagram">`)); drew != (dot == "fake dot") {
				t.Errorf("with %s the page drew a diagram: %v", dot, drew)
			}
		})
	}
}

// TestHTMLStreamedDemo: the same on the demo site.
func TestHTMLStreamedDemo(t *testing.T) {
	withFakeDot(t)
	sameAsOracle(t, "demo", siteReport(t, "demo", demo.FS()))
}

// TestHTMLStreamedSitegen: the same on a generated 2,000-host site (its
// planted faults, one finding in seven waived).
func TestHTMLStreamedSitegen(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 2,000-host site")
	}
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.BenchOptions(2000, 80)); err != nil {
		t.Fatal(err)
	}
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sd.Close()
	r := siteReport(t, "gen2000", sd)
	if len(r.Findings) < 100 {
		t.Fatalf("only %d findings on the generated site", len(r.Findings))
	}
	sameAsOracle(t, "sitegen 2000", r)
}

// siteReport audits the site in fsys (no policy; one finding in seven
// waived, so the suppressed section is long too).
func siteReport(t *testing.T, name string, fsys fs.FS) *Report {
	t.Helper()
	site, err := collect.LoadSite(fsys, name, collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := rules.Run(m, rules.Params{}, nil)
	for i := range found {
		if i%7 == 3 {
			found[i].Status, found[i].Reason, found[i].Expires = rules.StatusSuppressed, "known <"+found[i].Host+">", "2027-01-01"
		}
	}
	var problems []string
	for _, p := range site.Problems {
		problems = append(problems, p.String())
	}
	return &Report{Site: name, Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Model: m, Findings: found, Problems: problems}
}

// The page's data as newHTMLPage made it before its allocations were cut:
// the oracle renders oldHTMLPage's page with the old template, so the
// tests compare the whole old path with the whole new one.

// oldPage is the page as the template saw it: its cards (the field
// shadows htmlPage.Cards) carried their facts and legs as strings.
type oldPage struct {
	*htmlPage
	Cards []*oldHTMLCard
}

type oldHTMLCard struct {
	ID, Kind, Title string
	Facts           []string
	Legs            []oldHTMLLeg
	Worst, Result   string
	Anchor          string
	Findings        []*htmlRow
}

type oldHTMLLeg struct {
	NIC, State        string
	Switch, Port, LAG string
	Mapped, Down      bool
	MappedBy          string
}

func oldHTMLPage(r *Report) *oldPage {
	s := Summarize(r)
	p := &htmlPage{
		Site: escape.Text(r.Site), Summary: s,
		Generated:  r.Generated.UTC().Format("2006-01-02 15:04 UTC"),
		GeneratedZ: r.Generated.UTC().Format("2006-01-02T15:04:05Z07:00"),
		Errors:     s.Findings[rules.Error], Warnings: s.Findings[rules.Warning], Infos: s.Findings[rules.Info],
		Severities: []string{"error", "warning", "info"},
		Problems:   escape.Texts(sortedProblems(r.Problems)),
	}
	var marks []diagram.Mark
	fs, all := grouped(r.Findings)
	primary := problemRules(all)
	for _, f := range fs {
		row := &htmlRow{Finding: oldTextFinding(f), raw: &f, Sev: f.Severity.String(), Evidence: escape.Texts(dedupe(f.Evidence)), Where: escape.Text(where(f))}
		if waived(f) {
			p.Suppressed++
			row.N = p.Suppressed
			row.Where = escape.Text(strings.Join(nonEmpty(f.Host, where(f)), " "))
			p.Waived = append(p.Waived, row)
			continue
		}
		row.N = len(p.Rows) + 1
		p.Rows = append(p.Rows, row)
		marks = append(marks, markOf(f, primary))
	}
	byID := map[string]*htmlProblem{}
	for _, q := range activeProblems(all) {
		g := &htmlProblem{ID: q.ID, Sev: q.Severity.String(), Rule: escape.Text(q.Rule),
			Subject: escape.Text(problemSubject(r.Model, q.Subject)), Message: escape.Text(q.Message()), More: more(len(q.Findings))}
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
	return &oldPage{htmlPage: p, Cards: oldHTMLCards(r.Model, r.Filter, p.Rows, d)}
}

func oldTextFinding(f rules.Finding) rules.Finding {
	t := escape.Text
	f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port = t(f.Rule), t(f.Host), t(f.Bond), t(f.NIC), t(f.Switch), t(f.Port)
	f.Message, f.Fix, f.Reason, f.Expires = t(f.Message), t(f.Fix), t(f.Reason), t(f.Expires)
	f.Evidence = escape.Texts(f.Evidence)
	return f
}

func oldHTMLCards(m *topology.Model, filter rules.Filter, rows []*htmlRow, d *diagram.Diagram) []*oldHTMLCard {
	var cards []*oldHTMLCard
	byID := map[string]*oldHTMLCard{}
	add := func(c *oldHTMLCard) *oldHTMLCard {
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
				add(&oldHTMLCard{ID: oldBondCardID(h.Name, b.Name), Kind: "bond", Title: escape.Text(h.Name) + " " + escape.Text(b.Name),
					Facts: escape.Texts(oldBondFacts(b)), Legs: oldBondLegs(&facts[i]), Anchor: anchor(diagram.Mark{Host: h.Name, Bond: b.Name})})
			}
		}
	}
	for _, row := range rows {
		f := row.raw
		id, kind, title := "", "", ""
		mk := diagram.Mark{}
		switch {
		case f.Host != "" && f.Bond != "" && byID[oldBondCardID(f.Host, f.Bond)] != nil:
			id = oldBondCardID(f.Host, f.Bond)
		case f.Host != "":
			id, kind, title = "host-"+oldIDPart(f.Host), "host", "host "+escape.Text(f.Host)
			mk.Host = f.Host
		case f.Switch != "":
			id, kind, title = "switch-"+oldIDPart(f.Switch), "switch", "switch "+escape.Text(f.Switch)
			mk.Switch = f.Switch
		default:
			id, kind, title = "site", "site", "site"
		}
		c := byID[id]
		if c == nil {
			c = add(&oldHTMLCard{ID: id, Kind: kind, Title: title, Anchor: anchor(mk)})
		}
		c.Findings = append(c.Findings, row)
		row.Card = c.ID
	}
	for _, c := range cards {
		var fs []rules.Finding
		for _, row := range c.Findings {
			fs = append(fs, row.Finding)
			if sevOrder(row.Sev) > sevOrder(c.Worst) {
				c.Worst = row.Sev
			}
		}
		c.Result = resultWord(fs)
	}
	slices.SortStableFunc(cards, func(a, b *oldHTMLCard) int {
		return sevOrder(b.Worst) - sevOrder(a.Worst)
	})
	return cards
}

func oldBondFacts(b *topology.Bond) []string {
	var out []string
	if b.Kind != "" && b.Kind != "bonding" {
		out = append(out, b.Kind)
	}
	out = append(out, "mode "+orElse(b.Mode, "unknown"))
	if b.MIIMon > 0 {
		out = append(out, fmt.Sprintf("miimon %d ms", b.MIIMon))
	}
	if b.ARPInterval > 0 {
		out = append(out, fmt.Sprintf("arp_interval %d ms", b.ARPInterval))
	}
	if b.LACPRate != "" {
		out = append(out, "lacp_rate "+b.LACPRate)
	}
	if b.XmitHashPolicy != "" {
		out = append(out, "hash "+b.XmitHashPolicy)
	}
	if b.MinLinks > 0 {
		out = append(out, fmt.Sprintf("min_links %d", b.MinLinks))
	}
	return out
}

func oldBondLegs(bf *topology.BondFacts) []oldHTMLLeg {
	var legs []oldHTMLLeg
	for _, sf := range bf.Slaves {
		// Down: not up (a state other than up, in any case), as the card shows it
		leg := oldHTMLLeg{NIC: escape.Text(sf.Slave.Name), State: escape.Text(string(sf.MII)), Down: !sf.Up}
		if l := sf.Link; l != nil {
			leg.Mapped, leg.Switch, leg.Port = true, escape.Text(l.Switch), escape.Text(l.Port)
			leg.MappedBy = strings.Join(escape.Texts(topology.EvidenceStrings(l.Evidence)), ", ")
			if lag := sf.LAG; lag != nil {
				leg.LAG = escape.Text(lag.Name)
				if lag.Kind != "" {
					leg.LAG += " (" + escape.Text(string(lag.Kind)) + ")"
				}
			}
		}
		legs = append(legs, leg)
	}
	return legs
}

func oldBondCardID(host, bond string) string {
	return "bond-" + oldIDPart(host) + "__" + oldIDPart(bond)
}

// idPart keeps ASCII letters and digits and writes every other byte as _XX,
// so that IDs made of names are valid, distinct and never contain "__".
func oldIDPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "_%02x", c)
	}
	return b.String()
}

// ID and DetailID are the row's element IDs as the oracle template asks
// for them (the stream writes them with rowID and detailID).
func (r *htmlRow) ID() string       { return "f-" + strconv.Itoa(r.N) }
func (r *htmlRow) DetailID() string { return "fd-" + strconv.Itoa(r.N) }
