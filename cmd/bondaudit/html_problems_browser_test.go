package main

import (
	"bytes"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHTMLProblemsBrowser: the demo's HTML report in headless Chromium
// lists one expandable problem per root cause, and the findings filters
// show only the problems with a finding left visible.
func TestHTMLProblemsBrowser(t *testing.T) {
	bin := chromiumBinary(t)
	file := filepath.Join(t.TempDir(), "report.html")
	if code, out, errs := runCLI(t, "demo", "--format", "html", "-o", file); code != 0 {
		t.Fatalf("demo --format html: exit %d\n%s\n%s", code, out, errs)
	}
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String()
	for _, tc := range []struct {
		suffix string
		want   []string // rules of the visible problems, sorted
	}{
		{"", nil}, // all 13
		// lacp.no-partner is evidence in web02's problem only
		{"#rule=lacp.no-partner", []string{"lacp.switch-not-aggregated"}},
		{"#host=backup01", []string{"bond.hash-layer2", "bond.lacp-rate-slow", "bond.slave-down"}},
	} {
		out := runChromium(t, bin, page+tc.suffix, "--virtual-time-budget=2000", "--dump-dom")
		doc, err := html.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var visible []string
		total := 0
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "details" {
				a := map[string]string{}
				for _, at := range n.Attr {
					a[at.Key] = at.Val
				}
				if slices.Contains(strings.Fields(a["class"]), "problem") {
					total++
					if _, hidden := a["hidden"]; !hidden {
						visible = append(visible, a["data-rule"])
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(doc)
		slices.Sort(visible)
		if total != 13 {
			t.Errorf("%q: %d problems in the page, want 13", tc.suffix, total)
		}
		if tc.want == nil && len(visible) != 13 || tc.want != nil && !slices.Equal(visible, tc.want) {
			t.Errorf("%q: visible problems %q, want %q", tc.suffix, visible, tc.want)
		}
	}
}
