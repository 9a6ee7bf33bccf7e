package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/bondaudit/bondaudit/internal/dottest"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

func init() {
	// TestFormatsGolden names html's golden file testdata/golden/html.html.
	if _, ok := goldenExt["html"]; !ok {
		goldenExt["html"] = "html"
	}
}

// htmlDoc renders r as HTML and parses it the way a browser would.
func htmlDoc(t *testing.T, r *Report) (string, *html.Node) {
	t.Helper()
	out := render(t, HTML{}, r)
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the HTML report does not parse: %v", err)
	}
	return string(out), doc
}

// walk calls fn on every element under n, in document order.
func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// text is the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && found == nil {
			found = n
		}
	})
	return found
}

// findingRows are the rows of the findings table.
func findingRows(doc *html.Node) []*html.Node {
	table := byID(doc, "findings")
	if table == nil {
		return nil
	}
	var rows []*html.Node
	walk(table, func(n *html.Node) {
		if n.Data == "tr" && hasClass(n, "finding") {
			rows = append(rows, n)
		}
	})
	return rows
}

// TestHTMLSelfContained: the page loads nothing: no external script, style
// sheet, image or font; every link is a fragment of the page itself and
// every fragment names an element of the page (or is a filter).
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*Report{
		"fixture": fixtureReport(t),
		"rules":   rulesReport(t),
		"empty":   {Site: "empty", Generated: fixtureGenerated},
	} {
		t.Run(name, func(t *testing.T) {
			out, doc := htmlDoc(t, r)
			ids := map[string]bool{}
			walk(doc, func(n *html.Node) {
				if id, ok := attr(n, "id"); ok {
					if ids[id] {
						t.Errorf("id %q is used twice", id)
					}
					ids[id] = true
				}
			})
			walk(doc, func(n *html.Node) {
				if n.Data == "link" {
					t.Errorf("<link %v>: the page must inline its styles", n.Attr)
				}
				if n.Data == "script" {
					if _, ok := attr(n, "src"); ok {
						t.Errorf("<script %v>: the page must inline its script", n.Attr)
					}
				}
				for _, a := range n.Attr {
					switch a.Key {
					case "src", "href", "xlink:href", "srcset", "action", "data", "poster":
					default:
						continue
					}
					v := strings.TrimSpace(a.Val)
					if !strings.HasPrefix(v, "#") {
						t.Errorf("<%s %s=%q>: only links inside the page are allowed", n.Data, a.Key, v)
						continue
					}
					if frag := v[1:]; !strings.Contains(frag, "=") && !ids[frag] {
						t.Errorf("<%s %s=%q>: no element has that id", n.Data, a.Key, v)
					}
				}
			})
			for _, bad := range []string{"@import", "url(", `src="http`, `href="http`, "//fonts."} {
				if strings.Contains(out, bad) {
					t.Errorf("the page contains %q: it must load nothing", bad)
				}
			}
			// The only absolute URLs are the SVG's XML namespaces.
			rest := strings.NewReplacer(`xmlns="http://www.w3.org/2000/svg"`, "", `xmlns:xlink="http://www.w3.org/1999/xlink"`, "").Replace(out)
			if i := strings.Index(rest, "http"); i >= 0 && (strings.Contains(rest, "http://") || strings.Contains(rest, "https://")) {
				t.Errorf("the page names a URL: …%s…", rest[max(0, i-60):min(len(rest), i+60)])
			}
		})
	}
}

// TestHTMLFindings: every finding that is not waived has one row, in report
// order, whose data attributes (the filters' keys) and cells name it; each
// has a card entry with its fix and evidence; waived findings are only in
// the collapsed suppressed section, with reason and expiry.
func TestHTMLFindings(t *testing.T) {
	r := fixtureReport(t)
	_, doc := htmlDoc(t, r)
	rows := findingRows(doc)
	var active, waivedF []rules.Finding
	for _, f := range r.Findings {
		if f.Status == rules.StatusSuppressed {
			waivedF = append(waivedF, f)
		} else {
			active = append(active, f)
		}
	}
	if len(rows) != len(active) {
		t.Fatalf("%d finding rows, want %d", len(rows), len(active))
	}
	for i, f := range active {
		row := rows[i]
		for k, want := range map[string]string{"data-severity": f.Severity.String(), "data-rule": f.Rule, "data-host": f.Host,
			"data-switch": f.Switch, "id": fmt.Sprintf("f-%d", i+1)} {
			if got, _ := attr(row, k); got != want {
				t.Errorf("row %d (%s): %s=%q, want %q", i+1, f.Rule, k, got, want)
			}
		}
		var cells []string
		for c := row.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "td" {
				cells = append(cells, strings.TrimSpace(text(c)))
			}
		}
		want := []string{f.Severity.String(), f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port, f.Message}
		if len(cells) < len(want) {
			t.Fatalf("row %d has %d cells: %q", i+1, len(cells), cells)
		}
		for j, w := range want {
			if cells[j] != w {
				t.Errorf("row %d cell %d = %q, want %q", i+1, j, cells[j], w)
			}
		}
		detail := byID(doc, fmt.Sprintf("fd-%d", i+1))
		if detail == nil {
			t.Errorf("row %d (%s): no card entry fd-%d", i+1, f.Rule, i+1)
			continue
		}
		dt := text(detail)
		for _, s := range append([]string{f.Message, f.Fix}, f.Evidence...) {
			if !strings.Contains(dt, s) {
				t.Errorf("card entry of %s lacks %q", f.Rule, s)
			}
		}
	}

	// Bond cards: one per bond of the Model, naming its slaves' ports.
	for _, h := range r.Model.Hosts {
		for _, b := range h.Bonds {
			c := byID(doc, bondCardID(h.Name, b.Name))
			if c == nil {
				t.Errorf("no card for %s %s", h.Name, b.Name)
				continue
			}
			for _, sl := range b.Slaves {
				if l := r.Model.LinkOf(h.Name, sl.Name); l != nil && !strings.Contains(text(c), l.Port) {
					t.Errorf("card %s %s does not name %s's port %s", h.Name, b.Name, sl.Name, l.Port)
				}
			}
		}
	}
	if c := byID(doc, bondCardID("db01", "bond0")); c == nil || !strings.Contains(text(c), "not mapped") {
		t.Errorf("db01 bond0's card does not say eno2 is not mapped")
	}

	sup := byID(doc, "suppressed")
	if sup == nil || sup.Data != "details" {
		t.Fatalf("no collapsed <details id=suppressed> section")
	}
	if _, open := attr(sup, "open"); open {
		t.Errorf("the suppressed section is open; it should start collapsed")
	}
	st := text(sup)
	for _, f := range waivedF {
		for _, s := range []string{f.Rule, f.Message, f.Reason, f.Expires} {
			if !strings.Contains(st, s) {
				t.Errorf("suppressed section lacks %q", s)
			}
		}
		if strings.Contains(text(byID(doc, "findings")), f.Message) || strings.Contains(text(byID(doc, "bonds")), f.Message) {
			t.Errorf("the waived finding %s shows outside the suppressed section", f.Rule)
		}
	}
	if got, want := strings.TrimSpace(text(byID(doc, "count-suppressed"))), fmt.Sprint(len(waivedF)); got != want {
		t.Errorf("suppressed count %q, want %s", got, want)
	}
	s := Summarize(r)
	for id, want := range map[string]int{"count-hosts": s.Hosts, "count-bonds": s.Bonds, "count-switches": s.Switches,
		"count-links": s.Links, "count-error": s.Findings[rules.Error], "count-warning": s.Findings[rules.Warning], "count-info": s.Findings[rules.Info]} {
		if n := byID(doc, id); n == nil || strings.TrimSpace(text(n)) != fmt.Sprint(want) {
			t.Errorf("%s is not %d", id, want)
		}
	}
	problems := text(byID(doc, "problems"))
	for _, p := range r.Problems {
		if !strings.Contains(problems, p) {
			t.Errorf("Inputs not read lacks %q", p)
		}
	}
	// The filters offer the rules, hosts and switches of the findings.
	for sel, want := range map[string][]string{
		"filter-rule":   {"", "bond.lacp-rate-slow", "bond.nic-mismatch", "lacp.multi-switch-no-mlag", "lacp.no-partner", "lacp.switch-not-aggregated", "lacp.switch-port-not-bundled", "map.unmapped-slave"},
		"filter-host":   {"", "db01", "web01"},
		"filter-switch": {"", "leaf2"},
	} {
		var got []string
		walk(byID(doc, sel), func(n *html.Node) {
			if n.Data == "option" {
				v, _ := attr(n, "value")
				got = append(got, v)
			}
		})
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s options %q, want %q", sel, got, want)
		}
	}
}

// TestHTMLDiagramLinks: the diagram is inline, and a finding drawn in it
// links to the element it is drawn on.
func TestHTMLDiagramLinks(t *testing.T) {
	dottest.Need(t)
	r := fixtureReport(t)
	_, doc := htmlDoc(t, r)
	fig := byID(doc, "diagram")
	if fig == nil {
		t.Fatalf("no inline diagram; note: %q", text(byID(doc, "diagram-note")))
	}
	var svg *html.Node
	walk(fig, func(n *html.Node) {
		if n.Data == "svg" && svg == nil {
			svg = n
		}
	})
	if svg == nil {
		t.Fatal("the diagram figure holds no <svg>")
	}
	d, err := diagram.Build(r.Model, diagram.Options{})
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for i, row := range findingRows(doc) {
		var href string
		walk(row, func(n *html.Node) {
			if hasClass(n, "to-diagram") {
				href, _ = attr(n, "href")
			}
		})
		f := findingAt(r, i)
		want := d.AnchorFor(markOf(f, nil))
		if href != "" {
			linked++
		}
		if want == "" && href != "" || want != "" && href != "#"+want {
			t.Errorf("row %d (%s): diagram link %q, want #%s", i+1, f.Rule, href, want)
		}
		if href != "" {
			target := byID(svg, strings.TrimPrefix(href, "#"))
			if target == nil || target.Data != "g" {
				t.Errorf("row %d links to %s, which is not an element of the SVG", i+1, href)
			}
		}
	}
	if linked == 0 {
		t.Error("no finding links into the diagram")
	}
}

// findingAt is the i-th finding that is not waived.
func findingAt(r *Report, i int) rules.Finding {
	for _, f := range r.Findings {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		if i == 0 {
			return f
		}
		i--
	}
	panic("no such finding")
}

// TestHTMLEscaping: text from the inputs (host names, messages, evidence,
// the site name) is text on the page, never markup or script.
func TestHTMLEscaping(t *testing.T) {
	r := fixtureReport(t)
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	r.Site = `dc"1<b>`
	r.Findings = append(r.Findings, rules.Finding{Rule: "bond.evil", Severity: rules.Error, Status: rules.StatusFail,
		Host: `h"><script>alert(2)</script>`, Bond: "bond0", Message: evil, Fix: "&amp; " + evil, Evidence: []string{evil}},
		rules.Finding{Rule: "x.waived", Severity: rules.Info, Status: rules.StatusSuppressed, Message: "waived " + evil, Reason: evil, Expires: "2027-01-01"})
	r.Problems = append(r.Problems, evil)
	out, doc := htmlDoc(t, r)
	if strings.Contains(out, "<script>alert") || strings.Contains(out, "<img src=x") || strings.Contains(out, "<b>") {
		t.Errorf("input text reached the page as markup")
	}
	scripts := 0
	walk(doc, func(n *html.Node) {
		switch n.Data {
		case "script":
			scripts++
		case "img":
			t.Errorf("an <img> element made it into the page: %v", n.Attr)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=%q>: an event handler made it into the page", n.Data, a.Key, a.Val)
			}
		}
	})
	if scripts != 1 {
		t.Errorf("%d <script> elements, want only the page's own", scripts)
	}
	var row *html.Node
	for _, n := range findingRows(doc) {
		if v, _ := attr(n, "data-rule"); v == "bond.evil" {
			row = n
		}
	}
	if row == nil {
		t.Fatal("no row for bond.evil")
	}
	if v, _ := attr(row, "data-host"); v != `h"><script>alert(2)</script>` {
		t.Errorf("data-host = %q: the attribute does not round-trip", v)
	}
	if !strings.Contains(text(row), evil) {
		t.Errorf("the message is not shown as text: %q", text(row))
	}
	if !strings.Contains(text(doc), "&amp; "+evil) {
		t.Errorf("the fix is not shown as the text it is")
	}
	if title := byID(doc, "suppressed"); title == nil || !strings.Contains(text(title), "waived "+evil) {
		t.Errorf("the waived message is not shown as text in the suppressed section")
	}
	if !strings.Contains(out, `bondaudit report: site dc&#34;1&lt;b&gt;`) {
		t.Errorf("site name not escaped in the title")
	}
}

// TestHTMLNoDiagram: a report whose picture cannot be drawn still renders,
// with a note in the diagram's place and no links into it.
func TestHTMLNoDiagram(t *testing.T) {
	var hosts []*topology.Host
	for i := range diagram.DefaultMaxNodes + 1 {
		hosts = append(hosts, &topology.Host{Name: fmt.Sprintf("h%03d", i)})
	}
	big, err := topology.Build(hosts, nil, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Report{
		"too big": {Site: "big", Generated: fixtureGenerated, Model: big,
			Findings: []rules.Finding{{Rule: "bond.x", Severity: rules.Warning, Status: rules.StatusFail, Host: "h001", Message: "m"}}},
		"no model": {Site: "none", Generated: fixtureGenerated,
			Findings: []rules.Finding{{Rule: "bond.x", Severity: rules.Warning, Status: rules.StatusFail, Host: "h001", Message: "m"}}},
	} {
		t.Run(name, func(t *testing.T) {
			out, doc := htmlDoc(t, r)
			if byID(doc, "diagram") != nil {
				t.Error("a diagram was drawn")
			}
			note := byID(doc, "diagram-note")
			if note == nil || strings.TrimSpace(text(note)) == "" {
				t.Fatal("no note in place of the diagram")
			}
			if name == "too big" && !strings.Contains(text(note), "--focus") {
				t.Errorf("the note does not say how to draw part of the site: %q", text(note))
			}
			if strings.Contains(out, `href="#d-`) {
				t.Error("a finding links into a diagram that is not there")
			}
			if len(findingRows(doc)) != 1 {
				t.Errorf("%d finding rows, want 1", len(findingRows(doc)))
			}
		})
	}
}

// TestHTMLWithoutGraphviz: without Graphviz's dot on PATH the report is
// still written, whole, with a note in the diagram's place that says it
// needs Graphviz and how to get it, and no links into a diagram.
func TestHTMLWithoutGraphviz(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	r := fixtureReport(t)
	out, doc := htmlDoc(t, r)
	if byID(doc, "diagram") != nil {
		t.Error("a diagram was drawn")
	}
	note := byID(doc, "diagram-note")
	if note == nil {
		t.Fatal("no note in place of the diagram")
	}
	for _, want := range []string{"needs Graphviz", "apt install graphviz", "bondaudit diagram --format mermaid"} {
		if !strings.Contains(text(note), want) {
			t.Errorf("the note %q does not say %q", text(note), want)
		}
	}
	if strings.Contains(out, `href="#d-`) {
		t.Error("a finding links into a diagram that is not there")
	}
	if len(findingRows(doc)) == 0 || !strings.HasSuffix(strings.TrimSpace(out), "</html>") {
		t.Error("the report is not whole without its diagram")
	}
}

// TestHTMLEmpty: a report without findings says so, and has no filters.
func TestHTMLEmpty(t *testing.T) {
	_, doc := htmlDoc(t, &Report{Site: "empty", Generated: fixtureGenerated})
	if byID(doc, "no-findings") == nil {
		t.Error(`no "No findings." note`)
	}
	if byID(doc, "filters") != nil {
		t.Error("filters shown with nothing to filter")
	}
}
