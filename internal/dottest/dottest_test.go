package dottest

import (
	"slices"
	"testing"
)

func TestStructureDiff(t *testing.T) {
	const want = `<?xml version="1.0"?>
<svg><g id="d-graph" class="graph"><g id="d-h_a" class="node host"><g id="a_d-h_a"><a xlink:title="x"><text>a</text></a></g></g>` +
		`<g id="d-e" class="edge"><path d="M1,2"/></g></g></svg>
`
	for _, tc := range []struct {
		name, got string
		want      []string
	}{
		{"another layout", `<?xml version="1.0"?>
<svg><g id="d-graph" class="graph"><g id="d-e" class="edge"><path d="M3,4"/></g><g id="d-h_a" class="node host"><text>a</text></g></g></svg>
`, nil},
		{"in HTML", "<p>x</p><svg></svg>", []string{"the text around the SVG differs from the golden file",
			`no element id="d-e" (class "edge")`, `no element id="d-graph" (class "graph")`, `no element id="d-h_a" (class "node host")`}},
		{"class changed, element added", `<?xml version="1.0"?>
<svg><g id="d-graph" class="graph"><g id="d-h_a" class="node"/><g id="d-e" class="edge"/><g id="d-x" class="edge"/></g></svg>
`, []string{`element "d-h_a" has class "node", want "node host"`, `element id="d-x" (class "edge") is not in the golden file`}},
		{"not XML", `<?xml version="1.0"?>
<svg><g id="d-graph" class="graph"></svg>
`, []string{"the SVG is not well-formed XML: XML syntax error on line 1: element <g> closed by </svg>"}},
		{"no SVG", "<html></html>", []string{"no <svg> element"}},
	} {
		if got := StructureDiff([]byte(want), []byte(tc.got)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
