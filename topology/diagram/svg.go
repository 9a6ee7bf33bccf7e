package diagram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"sync"

	"github.com/goccy/go-graphviz"
)

// gvMu serialises go-graphviz: it runs one WebAssembly instance of
// Graphviz per process, which is not safe for concurrent use.
var gvMu sync.Mutex

// SVG writes the Diagram as SVG, laid out by Graphviz's dot from the DOT
// that DOT writes. Graphviz runs as WebAssembly inside this process
// (go-graphviz), never the system's dot: a system Graphviz of another
// version lays out differently, and the picture must be the same on every
// machine. Comments (Graphviz's version banner among them) are left out;
// the rest is deterministic for a given Diagram.
//
// Every node, edge and cluster is a <g> whose id is Anchor of its stable ID
// (d-h_web01, d-b_web01__bond0__leaf1a__Port_2dChannel1, …) and whose
// class names its kind and severity (host sev-error, bond single-homed, …).
func (d *Diagram) SVG(w io.Writer) error {
	svg, err := d.renderSVG()
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

func (d *Diagram) renderSVG() ([]byte, error) {
	var src bytes.Buffer
	if err := d.DOT(&src); err != nil {
		return nil, err
	}
	svg, err := graphvizSVG(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("diagram: SVG: %w", err)
	}
	return cleanSVG(svg), nil
}

// graphvizSVG lays out DOT source with Graphviz's dot and renders SVG.
func graphvizSVG(src []byte) ([]byte, error) {
	gvMu.Lock()
	defer gvMu.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, err
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(src)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	var out bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var svgComment = regexp.MustCompile(`(?s)<!--.*?-->\n?`)

// cleanSVG drops comments (the Graphviz version banner, a comment per
// element) and writes '-', which Graphviz escapes as &#45; so that it can
// put names in comments, as itself.
func cleanSVG(svg []byte) []byte {
	svg = svgComment.ReplaceAll(svg, nil)
	return bytes.ReplaceAll(svg, []byte("&#45;"), []byte("-"))
}
