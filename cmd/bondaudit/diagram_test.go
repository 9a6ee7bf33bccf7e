package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/dottest"
	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/internal/needtool"
)

// TestDiagramDemoGolden: the demo site in every format, and a focus with
// --ports, are exactly the golden files (go test ./cmd/bondaudit -run
// TestDiagramDemoGolden -update rewrites them). The SVG (alone and in the
// HTML page) compares byte for byte only with the dot that made the goldens
// (testdata/diagram/graphviz.txt), else by structure (internal/dottest).
func TestDiagramDemoGolden(t *testing.T) {
	dir := filepath.Join("testdata", "diagram")
	withDot := needtool.Find("dot") != ""
	sameDot := withDot && (golden.Updating() || dottest.Same(t, dir))
	for _, tc := range []struct {
		golden string
		args   []string
		byDot  bool
	}{
		{"demo.dot", []string{"--format", "dot"}, false},
		{"demo.mmd", []string{"--format", "mermaid"}, false},
		{"demo.svg", []string{"--format", "svg"}, true},
		{"demo.html", []string{"--format", "html"}, true},
		{"demo-focus-kvm01-ports.dot", []string{"--focus", "kvm01", "--ports"}, false},
		{"demo-focus-kvm01-ports.mmd", []string{"--focus", "kvm01", "--ports", "--format", "mermaid"}, false},
	} {
		if tc.byDot && !withDot {
			continue
		}
		code, out, errs := runCLI(t, append([]string{"diagram", "--demo"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		path := filepath.Join(dir, tc.golden+".golden")
		if !tc.byDot || sameDot {
			golden.Check(t, path, []byte(out))
			continue
		}
		want := golden.Read(t, path, []byte(out))
		dottest.SameStructure(t, path, want, []byte(out))
	}
	switch {
	case !withDot:
		needtool.Missing(t, "dot not installed (Debian package graphviz): the SVG and HTML goldens were not checked")
	case golden.Updating():
		dottest.Record(t, dir)
	}
}

// TestDiagramWithoutDot: without Graphviz's dot, SVG and HTML fail (exit 2)
// saying how to install it and which formats need none; those still work.
func TestDiagramWithoutDot(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, format := range []string{"svg", "html"} {
		code, out, errs := runCLI(t, "diagram", "--demo", "--format", format)
		if code != exitFailed || out != "" {
			t.Errorf("--format %s without dot: exit %d, stdout %d bytes; want 2 and nothing", format, code, len(out))
		}
		for _, want := range []string{"Graphviz", "apt install graphviz", "--format mermaid"} {
			if !strings.Contains(errs, want) {
				t.Errorf("--format %s without dot: stderr %q does not say %q", format, errs, want)
			}
		}
	}
	for _, format := range []string{"dot", "mermaid"} {
		if code, out, errs := runCLI(t, "diagram", "--demo", "--format", format); code != 0 || out == "" {
			t.Errorf("--format %s without dot: exit %d: %s", format, code, errs)
		}
	}
}

// svgG is a <g> of the SVG: a node, an edge, a cluster, or Graphviz's
// wrapper around a node's shape and text (<g><a xlink:title=…>).
type svgG struct {
	ID     string   `xml:"id,attr"`
	Class  string   `xml:"class,attr"`
	Title  string   `xml:"title"`
	Texts  []string `xml:"text"`
	Groups []svgG   `xml:"g"`
	Links  []svgG   `xml:"a"`
}

// allTexts are the texts of the group and of its wrappers, not of other
// elements (a node's or edge's <g> holds no other element).
func (g svgG) allTexts() []string {
	out := slices.Clone(g.Texts)
	for _, x := range append(slices.Clone(g.Groups), g.Links...) {
		if x.Class == "" {
			out = append(out, x.allTexts()...)
		}
	}
	return out
}

// TestHTMLReportWithoutDot: without Graphviz's dot the HTML report is still
// written, exit status as usual, the diagram's place saying it needs Graphviz.
func TestHTMLReportWithoutDot(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out, errs := runCLI(t, "demo", "--format", "html", "-o", file); code != 0 {
		t.Fatalf("demo --format html without dot: exit %d\n%s\n%s", code, out, errs)
	}
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("The diagram needs Graphviz")) || !bytes.Contains(page, []byte("apt install graphviz")) {
		t.Error("the report does not say the diagram needs Graphviz")
	}
	if bytes.Contains(page, []byte("<svg")) || !bytes.Contains(page, []byte("lacp.no-partner")) || !bytes.HasSuffix(bytes.TrimSpace(page), []byte("</html>")) {
		t.Error("the report without its diagram is not the whole report")
	}
}

func demoSVGGroups(t *testing.T, args ...string) map[string]svgG {
	t.Helper()
	dottest.Need(t)
	code, out, errs := runCLI(t, append([]string{"diagram", "--demo", "--format", "svg"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Groups []svgG `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	byID := map[string]svgG{}
	var walk func([]svgG)
	walk = func(gs []svgG) {
		for _, g := range gs {
			byID[g.ID] = g
			walk(g.Groups)
		}
	}
	walk(doc.Groups)
	return byID
}

// TestDiagramDemoTellsItsStory: what collect/demo/site/README.md says of
// each host is in the picture.
func TestDiagramDemoTellsItsStory(t *testing.T) {
	g := demoSVGGroups(t)
	var nodes []string
	for _, x := range g {
		if slices.Contains(strings.Fields(x.Class), "node") {
			nodes = append(nodes, x.Title)
		}
	}
	slices.Sort(nodes)
	want := []string{"h_app01", "h_app02", "h_backup01", "h_db01", "h_kvm01", "h_stor01", "h_web01", "h_web02",
		"s_access2", "s_leaf1a", "s_leaf1b", "s_leaf2"}
	if !slices.Equal(nodes, want) {
		t.Errorf("nodes %v, want %v", nodes, want)
	}
	if c, ok := g["d-d_leaf1a_2bleaf1b"]; !ok || !slices.Contains(c.allTexts(), "MLAG leaf1a+leaf1b") {
		t.Errorf("the MLAG pair is not one cluster: %+v", c)
	}
	for _, tc := range []struct {
		id, class, text string
	}{
		// web01: the correct build, LACP over the MLAG pair.
		{"d-b_web01__bond0__leaf1a__Port_2dChannel1", "edge bond", "802.3ad · LACP bundled · 1×25G"},
		// web02: LACP on the host, no port-channel: single-homed, errors;
		// labelled with the problem's primary rule and the count of the
		// other rules on the edge (no-partner, not-synced, churn,
		// single-switch), not all five IDs.
		{"d-b_web02__bond0__leaf2__Ethernet7", "edge bond sev-error single-homed", "lacp.switch-not-aggregated +4"},
		// app01: both ports in Po9, collapsed to one edge of two members.
		{"d-b_app01__bond0__access2__Po9", "edge bond sev-error single-homed", "active-backup · LACP individual · 2×1G"},
		// kvm01: split over two switches that are not one MLAG.
		{"d-h_kvm01", "node host sev-error", "lacp.multi-switch-no-mlag +3"},
		// backup01: the dead link to leaf1b.
		{"d-b_backup01__bond0__leaf1b__Port_2dChannel2", "edge bond sev-warning", "bond.slave-down +2"},
		// db01: active-backup over two switches, no finding.
		{"d-b_db01__bond0__leaf2__Ethernet5", "edge bond", "active-backup · 1×1G"},
		// the peer link, collapsed.
		{"d-u_leaf1a__Port_2dChannel1000__leaf1b__Port_2dChannel1000", "edge uplink", "peer link · LACP bundled · 2×100G"},
	} {
		x, ok := g[tc.id]
		if !ok {
			t.Errorf("no element %s", tc.id)
			continue
		}
		if x.Class != tc.class || !slices.Contains(x.allTexts(), tc.text) {
			t.Errorf("%s: class %q texts %q; want class %q and text %q", tc.id, x.Class, x.allTexts(), tc.class, tc.text)
		}
	}
}

func TestDiagramFocusDepthAndPorts(t *testing.T) {
	g := demoSVGGroups(t, "--focus", "leaf1b")
	var nodes []string
	for _, x := range g {
		if strings.HasPrefix(x.Class, "node") {
			nodes = append(nodes, x.Title)
		}
	}
	slices.Sort(nodes)
	if want := []string{"h_backup01", "h_web01", "s_leaf1a", "s_leaf1b"}; !slices.Equal(nodes, want) {
		t.Errorf("--focus leaf1b: %v, want %v", nodes, want)
	}
	if x := g["d-s_leaf1a"]; !slices.Contains(x.allTexts(), "+1 host not shown") {
		t.Errorf("leaf1a should say kvm01 is left out: %q", x.allTexts())
	}
	g = demoSVGGroups(t, "--focus", "leaf1b", "--depth", "2", "--ports")
	if _, ok := g["d-h_kvm01"]; !ok {
		t.Error("--depth 2 from leaf1b reaches kvm01 (on leaf1a)")
	}
	if _, ok := g["d-n_web01__ens1f0np0"]; !ok {
		t.Error("--ports draws web01's cables")
	}
}

// TestDiagramWaivedFindingsAreNotDrawn: the site's policy.yaml applies.
func TestDiagramWaivedFindingsAreNotDrawn(t *testing.T) {
	dir := policySite(t, demoPolicy)
	code, out, errs := runCLI(t, "diagram", dir, "--focus", "web02")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	label := func(id string) string {
		m := regexp.MustCompile(`(?s)id="d-` + id + `"\s+label="([^"]*)"`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no edge %s in\n%s", id, out)
		}
		return m[1]
	}
	// The label names the problem's primary rule and counts the other
	// rules drawn on the edge: the waived lacp.no-partner on Ethernet7 is
	// not among them.
	if l := label("b_web02__bond0__leaf2__Ethernet7"); !strings.HasSuffix(l, `\nlacp.switch-not-aggregated +3`) {
		t.Errorf("the waived finding is drawn: %q", l)
	}
	if l := label("b_web02__bond0__leaf2__Ethernet8"); !strings.HasSuffix(l, `\nlacp.switch-not-aggregated +4`) {
		t.Errorf("the finding not waived is missing: %q", l)
	}
}

func TestDiagramOutputFileAndErrors(t *testing.T) {
	t.Run("-o demo.svg", func(t *testing.T) {
		dottest.Need(t)
		out := filepath.Join(t.TempDir(), "demo.svg")
		code, stdout, errs := runCLI(t, "diagram", "--demo", "-o", out)
		if code != 0 || stdout != "" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
		}
		if b, err := os.ReadFile(out); err != nil || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("-o demo.svg without --format should write SVG: %v", err)
		}
	})
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--demo", "--format", "png"}, `--format: unknown diagram format "png": choose one of dot, mermaid, svg, html`},
		{[]string{"--demo", "--focus", "leaf1"}, "close names: leaf1a, leaf1b, leaf2"},
		{[]string{"--demo", "--focus", "web1"}, "close names: web01, web02"},
		{[]string{"--demo", "--depth", "0"}, "--depth 0"},
		{[]string{"--demo", "--max-nodes", "5"}, "narrow it with --focus HOST|SWITCH|LAG --depth N"},
		{[]string{"--demo", "--focus", "leaf2", "--max-nodes", "3"}, "lower --depth"},
		{[]string{"--demo", "somesite"}, "not both"},
		{[]string{}, "needs one SITE"},
		{[]string{notDir}, "not a folder"},
	} {
		code, _, errs := runCLI(t, append([]string{"diagram"}, tc.args...)...)
		if code != exitFailed || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestREADMEDiagramIsCurrent: the picture the README shows is what
// `diagram --demo --format svg` draws today.
func TestREADMEDiagramIsCurrent(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "diagram", "demo.svg.golden"))
	if err != nil {
		t.Skip(err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "demo-diagram.svg"))
	if err != nil || string(doc) != string(golden) {
		t.Errorf("docs/demo-diagram.svg is not the current demo diagram (cp cmd/bondaudit/testdata/diagram/demo.svg.golden docs/demo-diagram.svg)")
	}
}
