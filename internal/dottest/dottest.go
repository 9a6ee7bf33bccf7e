// Package dottest holds what the tests of SVG output share. bondaudit draws
// SVG with the system's Graphviz dot, and another Graphviz version (or
// another font behind the diagrams' fontname) lays out differently, so a
// folder of golden files that hold SVG records, in RecordName, the dot that
// made them. Where the dot here is that one, the goldens compare byte for
// byte; elsewhere the byte comparison is skipped with a message and
// SameStructure checks what does not depend on the layout. Test code only.
package dottest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// RecordName is the file, beside the golden files, that holds Layout of the
// dot that made them.
const RecordName = "graphviz.txt"

// font is the fontname topology/diagram's DOT uses for every label.
const font = "Helvetica,Arial,sans-serif"

// Need returns the path of dot, or skips the test (fails it in CI) naming
// the Debian package graphviz.
func Need(t testing.TB) string {
	t.Helper()
	return needtool.Need(t, "graphviz", "dot")
}

// Layout describes what decides how the dot here lays out a diagram: its
// version (dot -V) and the font the diagrams' fontname resolves to (dot -v),
// one per line.
func Layout(t testing.TB) string {
	t.Helper()
	dot := Need(t)
	cmd := exec.Command(dot, "-v", "-Tsvg")
	cmd.Stdin = strings.NewReader(`digraph { node [fontname="` + font + `"]; a }`)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s -v: %v\n%s", dot, err, stderr.Bytes())
	}
	var version, resolved string
	for line := range strings.Lines(stderr.String()) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "dot - graphviz version"):
			version = line
		case strings.HasPrefix(line, `fontname: "`+font+`" resolved to:`):
			resolved = line
		}
	}
	if version == "" {
		t.Fatalf("%s -v prints no version:\n%s", dot, stderr.Bytes())
	}
	return version + "\n" + resolved + "\n"
}

// Record writes Layout to dir/RecordName: call it when -update rewrites
// the golden files of dir.
func Record(t testing.TB, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, RecordName), []byte(Layout(t)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Same reports whether the golden files of dir were made by a dot that lays
// out as the one here. When not, it says so in the test log: the caller
// skips its byte comparison and calls SameStructure instead.
func Same(t testing.TB, dir string) bool {
	t.Helper()
	here := Layout(t)
	made, err := os.ReadFile(filepath.Join(dir, RecordName))
	if err != nil {
		t.Fatalf("%v: the golden files of %s do not say which Graphviz made them (-update writes it)", err, dir)
	}
	if string(made) == here {
		return true
	}
	t.Logf("SVG byte comparison skipped: the golden files of %s were made by\n%sthe dot here is\n%scomparing structure only (-update rewrites them with this dot)", dir, made, here)
	return false
}

// SameStructure checks got against the golden want where layouts differ:
// see StructureDiff.
func SameStructure(t testing.TB, name string, want, got []byte) {
	t.Helper()
	for _, p := range StructureDiff(want, got) {
		t.Errorf("%s: %s", name, p)
	}
}

// StructureDiff lists how got differs from want in what does not depend on
// the layout: the text around the SVG (all of an HTML page but the <svg>
// element) is the same byte for byte, got's SVG is well-formed XML, and it
// has the same elements with a class (the graph, each node, edge and
// cluster) as want, by id, with the same class.
func StructureDiff(want, got []byte) []string {
	var out []string
	wOut, wSVG := splitSVG(want)
	gOut, gSVG := splitSVG(got)
	if gSVG == nil {
		return []string{"no <svg> element"}
	}
	if wOut != gOut {
		out = append(out, "the text around the SVG differs from the golden file")
	}
	wantEls, err := classedElements(wSVG)
	if err != nil {
		return append(out, "the golden SVG does not parse: "+err.Error())
	}
	gotEls, err := classedElements(gSVG)
	if err != nil {
		return append(out, "the SVG is not well-formed XML: "+err.Error())
	}
	for _, id := range slices.Sorted(maps.Keys(wantEls)) {
		if c, ok := gotEls[id]; !ok {
			out = append(out, fmt.Sprintf("no element id=%q (class %q)", id, wantEls[id]))
		} else if c != wantEls[id] {
			out = append(out, fmt.Sprintf("element %q has class %q, want %q", id, c, wantEls[id]))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(gotEls)) {
		if _, ok := wantEls[id]; !ok {
			out = append(out, fmt.Sprintf("element id=%q (class %q) is not in the golden file", id, gotEls[id]))
		}
	}
	return out
}

// splitSVG returns doc without its <svg> element (replaced by "<svg/>"),
// and that element.
func splitSVG(doc []byte) (string, []byte) {
	i := bytes.Index(doc, []byte("<svg"))
	j := bytes.LastIndex(doc, []byte("</svg>"))
	if i < 0 || j < i {
		return string(doc), nil
	}
	j += len("</svg>")
	return string(doc[:i]) + "<svg/>" + string(doc[j:]), doc[i:j]
}

// classedElements parses svg strictly and returns the class of each element
// that has both an id and a class.
func classedElements(svg []byte) (map[string]string, error) {
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		var id, class string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "id":
				id = a.Value
			case "class":
				class = a.Value
			}
		}
		if id != "" && class != "" {
			if _, dup := out[id]; dup {
				return nil, errors.New("two elements with id " + id)
			}
			out[id] = class
		}
	}
}
