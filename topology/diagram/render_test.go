package diagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bondaudit/bondaudit/internal/dottest"
	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

// smallMarks are findings on smallSite, one of each kind of subject.
var smallMarks = []Mark{
	{Rule: "lacp.not-synced", Severity: SevError, Host: "db1", Bond: "bond0", NIC: "eth1", Switch: "leafC", Port: "Ethernet6"},
	{Rule: "redundancy.single-switch", Severity: SevWarning, Host: "stor1", Bond: "bond0", Switch: "leafC"},
	{Rule: "bond.no-link-monitor", Severity: SevError, Host: "stor1", Bond: "bond0"},
	{Rule: "switch.mlag-inconsistent", Severity: SevInfo, Switch: "leafB", Port: "Port-Channel1"},
}

// formats are the renderers, by golden file extension; byDot marks those
// Graphviz's dot lays out.
var formats = []struct {
	ext    string
	render func(*Diagram, io.Writer) error
	byDot  bool
}{
	{"dot", (*Diagram).DOT, false},
	{"mmd", (*Diagram).Mermaid, false},
	{"svg", (*Diagram).SVG, true},
	{"html", (*Diagram).HTML, true},
}

func byDot(ext string) bool {
	for _, f := range formats {
		if f.ext == ext {
			return f.byDot
		}
	}
	return false
}

// haveDot reports whether Graphviz's dot is installed.
func haveDot() bool { return needtool.Find("dot") != "" }

// renderAll renders d in every format, those laid out by dot only when
// withDot.
func renderAll(t *testing.T, d *Diagram, withDot bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range formats {
		if f.byDot && !withDot {
			continue
		}
		var b bytes.Buffer
		if err := f.render(d, &b); err != nil {
			t.Fatalf("%s: %v", f.ext, err)
		}
		out[f.ext] = b.String()
	}
	return out
}

// firstDiff is the first line where want and got differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d\n-%s\n+%s", i+1, w, g)
		}
	}
	return "(none)"
}

// TestGoldenFiles compares every format with its golden file. The SVG
// (alone and in the HTML page) compares byte for byte only with the dot the
// goldens were made by (testdata/graphviz.txt), else by structure.
func TestGoldenFiles(t *testing.T) {
	withDot := haveDot()
	sameDot := withDot && (golden.Updating() || dottest.Same(t, "testdata"))
	m := smallSite(t)
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"small", Options{Title: "small", Marks: smallMarks}},
		{"small-ports-focus-db1", Options{Title: "small", Marks: smallMarks, Ports: true, Focus: "db1", Depth: 2}},
	} {
		d := mustBuild(t, m, tc.o)
		for ext, got := range renderAll(t, d, withDot) {
			name := tc.name + "." + ext + ".golden"
			path := filepath.Join("testdata", name)
			if byDot(ext) && !sameDot {
				dottest.SameStructure(t, name, golden.Read(t, path, []byte(got)), []byte(got))
				continue
			}
			golden.Check(t, path, []byte(got))
		}
	}
	switch {
	case !withDot:
		needtool.Missing(t, "dot not installed (Debian package graphviz): the SVG and HTML goldens were not checked")
	case golden.Updating():
		dottest.Record(t, "testdata")
	}
}

// shuffled rebuilds smallSite from its snapshots in another input order.
func shuffled(t *testing.T, seed uint64) *topology.Model {
	m := smallSite(t)
	var hosts []*topology.Host
	var switches []*topology.Switch
	for _, h := range m.Hosts {
		hosts = append(hosts, h.Host)
	}
	for _, s := range m.Switches {
		switches = append(switches, s.Switch)
	}
	r := rand.New(rand.NewPCG(seed, seed))
	r.Shuffle(len(hosts), func(i, j int) { hosts[i], hosts[j] = hosts[j], hosts[i] })
	r.Shuffle(len(switches), func(i, j int) { switches[i], switches[j] = switches[j], switches[i] })
	return build(t, hosts, switches)
}

func TestRenderingIsDeterministic(t *testing.T) {
	for _, o := range []Options{{Marks: smallMarks}, {Marks: smallMarks, Ports: true}, {Focus: "leafA", Depth: 2, Marks: smallMarks}} {
		first := renderAll(t, mustBuild(t, smallSite(t), o), haveDot())
		for seed := uint64(1); seed <= 3; seed++ {
			again := renderAll(t, mustBuild(t, shuffled(t, seed), o), haveDot())
			for ext := range first {
				if first[ext] != again[ext] {
					t.Errorf("options %+v, input order %d: %s differs:\n%s", o, seed, ext, firstDiff(first[ext], again[ext]))
				}
			}
		}
	}
}

// svgGroup is a <g> of Graphviz's SVG output.
type svgGroup struct {
	ID     string     `xml:"id,attr"`
	Class  string     `xml:"class,attr"`
	Title  string     `xml:"title"`
	Texts  []string   `xml:"text"`
	Groups []svgGroup `xml:"g"`
	Links  []svgGroup `xml:"a"` // a tooltip's <a xlink:title>
}

// allTexts are the group's texts and those of its class-less wrappers
// (Graphviz wraps a node's shape and text in <g><a> for its tooltip).
func (g svgGroup) allTexts() []string {
	out := slices.Clone(g.Texts)
	for _, x := range append(slices.Clone(g.Groups), g.Links...) {
		if x.Class == "" {
			out = append(out, x.allTexts()...)
		}
	}
	return out
}

func parseSVG(t *testing.T, svg []byte) []svgGroup {
	t.Helper()
	var doc struct {
		XMLName xml.Name   `xml:"svg"`
		Groups  []svgGroup `xml:"g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("SVG does not parse as XML: %v", err)
	}
	var all []svgGroup
	var walk func([]svgGroup)
	walk = func(gs []svgGroup) {
		for _, g := range gs {
			all = append(all, g)
			walk(g.Groups)
		}
	}
	walk(doc.Groups)
	return all
}

func hasClass(g svgGroup, c string) bool { return slices.Contains(strings.Fields(g.Class), c) }

func TestSVGParsesWithANodePerHostAndSwitch(t *testing.T) {
	dottest.Need(t)
	m := smallSite(t)
	d := mustBuild(t, m, Options{Focus: "leafA", Marks: smallMarks})
	var b bytes.Buffer
	if err := d.SVG(&b); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("<!--")) {
		t.Error("SVG keeps comments")
	}
	var titles, edgeIDs []string
	for _, g := range parseSVG(t, b.Bytes()) {
		switch {
		case hasClass(g, "node"):
			if g.ID != Anchor(g.Title) {
				t.Errorf("node %q has id %q, want %q", g.Title, g.ID, Anchor(g.Title))
			}
			titles = append(titles, g.Title)
		case hasClass(g, "edge"):
			edgeIDs = append(edgeIDs, g.ID)
		}
	}
	slices.Sort(titles)
	if want := []string{"h_app1", "h_web1", "s_leafA", "s_leafB", "s_leafC"}; !slices.Equal(titles, want) {
		t.Errorf("SVG nodes %v, want %v (the hosts and switches of focus leafA)", titles, want)
	}
	if len(edgeIDs) != len(d.Edges) {
		t.Errorf("SVG has %d edges, the diagram %d", len(edgeIDs), len(d.Edges))
	}
	for _, e := range d.Edges {
		if !slices.Contains(edgeIDs, Anchor(e.ID)) {
			t.Errorf("edge %s has no <g id=%q>", e.ID, Anchor(e.ID))
		}
	}
	// The finding on leafB's Port-Channel1 (web1's MLAG LAG) is in the SVG:
	// coloured, with its rule ID.
	for _, g := range parseSVG(t, b.Bytes()) {
		if g.ID == "d-b_web1__bond0__leafB__Port_2dChannel1" {
			if !hasClass(g, "sev-info") || !slices.Contains(g.allTexts(), "switch.mlag-inconsistent") {
				t.Errorf("marked edge: class %q texts %q", g.Class, g.allTexts())
			}
			return
		}
	}
	t.Error("web1's edge to leafB is not in the SVG")
}

func TestHTMLIsSelfContainedAndLinksFindings(t *testing.T) {
	dottest.Need(t)
	d := mustBuild(t, smallSite(t), Options{Title: "small", Marks: smallMarks})
	var b bytes.Buffer
	if err := d.HTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<link", " src=", "url(", "<?xml", "<!DOCTYPE svg"} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "<svg") {
		t.Error("not an HTML page with the SVG inline")
	}
	hrefs := regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(hrefs) != len(smallMarks) {
		t.Fatalf("%d finding links, want %d", len(hrefs), len(smallMarks))
	}
	for _, h := range hrefs {
		if !strings.Contains(page, `<g id="`+h[1]+`"`) {
			t.Errorf("link #%s has no element in the SVG", h[1])
		}
	}
	// The worst finding is listed first.
	table := page[strings.Index(page, "<h2>Findings drawn</h2>"):]
	if i, j := strings.Index(table, ">bond.no-link-monitor<"), strings.Index(table, ">switch.mlag-inconsistent<"); i < 0 || j < i {
		t.Error("findings not listed worst first")
	}
}

func TestMermaidStructure(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{Title: "small", Marks: smallMarks})
	lines := strings.Split(strings.TrimSuffix(mermaidOf(t, d), "\n"), "\n")
	if !slices.Equal(lines[:4], []string{"---", `title: "small: 4 hosts, 3 switches"`, "---", "flowchart LR"}) {
		t.Fatalf("head %q", lines[:4])
	}
	nodeDecl := regexp.MustCompile(`^ +([a-z]_\w+)(\("|\[\[")`)
	edge := regexp.MustCompile(`^  ([a-z]_\w+) (---|-\.-|===)\|"[^"]*"\| ([a-z]_\w+)$`)
	declared := map[string]int{}
	var edges, depth int
	for _, l := range lines[4:] {
		switch {
		case strings.HasPrefix(l, "  subgraph "):
			depth++
		case l == "  end":
			depth--
		case nodeDecl.MatchString(l):
			declared[nodeDecl.FindStringSubmatch(l)[1]]++
		case edge.MatchString(l):
			sm := edge.FindStringSubmatch(l)
			for _, id := range []string{sm[1], sm[3]} {
				if declared[id] == 0 && d.Node(id) == nil {
					t.Errorf("edge to undeclared node %s", id)
				}
			}
			edges++
		case strings.HasPrefix(l, "  linkStyle "):
			for _, i := range strings.Split(strings.Fields(l)[1], ",") {
				if n, err := strconv.Atoi(i); err != nil || n >= len(d.Edges) {
					t.Errorf("linkStyle index %q out of %d edges", i, len(d.Edges))
				}
			}
		case strings.HasPrefix(l, "  class "):
			for _, id := range strings.Split(strings.Fields(l)[1], ",") {
				if declared[id] == 0 {
					t.Errorf("class for undeclared node %s", id)
				}
			}
		case strings.HasPrefix(l, "  classDef "):
		default:
			t.Errorf("unexpected line %q", l)
		}
		if depth < 0 || depth > 1 {
			t.Fatalf("subgraph nesting %d at %q", depth, l)
		}
	}
	if depth != 0 {
		t.Error("subgraph not closed")
	}
	for _, n := range d.Nodes {
		if declared[n.ID] != 1 {
			t.Errorf("node %s declared %d times", n.ID, declared[n.ID])
		}
	}
	if edges != len(d.Edges) {
		t.Errorf("%d edges, want %d", edges, len(d.Edges))
	}
}

func TestMermaidEscapesLabels(t *testing.T) {
	got := mermaidText([]string{`a "quoted" <b> #1`, "x"})
	if want := "a #quot;quoted#quot; #lt;b#gt; #35;1<br>x"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMermaidParsesWithMermaidJS checks the output with Mermaid's own
// parser when MERMAID_JS_DIR names a folder where `npm install mermaid
// jsdom` was run (and node is on PATH).
func TestMermaidParsesWithMermaidJS(t *testing.T) {
	dir := os.Getenv("MERMAID_JS_DIR")
	node, err := exec.LookPath("node")
	if dir == "" || err != nil {
		t.Skip("set MERMAID_JS_DIR to a folder with node_modules/mermaid and node_modules/jsdom (npm install mermaid jsdom) to check the Mermaid output with Mermaid's parser")
	}
	var files []string
	for i, o := range []Options{{Title: "small", Marks: smallMarks}, {Ports: true, Marks: smallMarks}} {
		f := filepath.Join(t.TempDir(), fmt.Sprintf("%d.mmd", i))
		if err := os.WriteFile(f, []byte(mermaidOf(t, mustBuild(t, smallSite(t), o))), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	script := filepath.Join(dir, "bondaudit-mermaid-check.mjs")
	if err := os.WriteFile(script, []byte(mermaidCheckJS), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(script)
	out, err := exec.Command(node, append([]string{script}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("Mermaid rejects the output: %v\n%s", err, out)
	}
}

const mermaidCheckJS = `import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser; globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
for (const f of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(f, 'utf8')); }
  catch (e) { console.log(f + ': ' + (e.message || e)); process.exitCode = 1; }
}
`

func TestSVGIsSafeConcurrently(t *testing.T) {
	dottest.Need(t)
	d := mustBuild(t, smallSite(t), Options{Marks: smallMarks})
	var want bytes.Buffer
	if err := d.SVG(&want); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var b bytes.Buffer
			if err := d.SVG(&b); err != nil {
				t.Error(err)
			} else if !bytes.Equal(b.Bytes(), want.Bytes()) {
				t.Error("concurrent SVG differs")
			}
		})
	}
	wg.Wait()
}
