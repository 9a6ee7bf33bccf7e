package diagram

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// DOT writes the Diagram in Graphviz's DOT language, through gonum's
// encoding/dot: the Diagram becomes a gonum multigraph (a bond's two LAGs
// on one switch, or two cables with Ports, are parallel lines), the
// clusters its subgraphs (gonum's MultiStructurer; Graphviz draws a
// subgraph named cluster_… as a box), and every node, edge and cluster
// carries its attributes, including id="d-<stable ID>" for the SVG.
func (d *Diagram) DOT(w io.Writer) error {
	b, err := dot.MarshalMulti(d.dotGraph(), "", "", "  ")
	if err != nil {
		return fmt.Errorf("diagram: DOT: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// dotGraph builds the gonum graph that encoding/dot marshals. Node IDs are
// the nodes' positions in d.Nodes (hosts, then switches by rank), line IDs
// the edges' positions in d.Edges: encoding/dot sorts by them, so the
// output follows the Diagram's order, and each edge is written from the
// host (or the switch nearer the hosts) to the other end, which is what
// ranks hosts left of switches.
func (d *Diagram) dotGraph() *dotGraph {
	g := &dotGraph{UndirectedGraph: multi.NewUndirectedGraph(), d: d}
	pos := map[string]int64{}
	top := map[string]graph.Node{}
	for i, n := range d.Nodes {
		pos[n.ID] = int64(i)
		var gn graph.Node = dotNode{id: int64(i), n: n}
		if n.Cluster != "" {
			gn = dotRef{id: int64(i), name: n.ID} // defined in its cluster
		}
		top[n.ID] = gn
		g.AddNode(gn)
	}
	for i, e := range d.Edges {
		f, t := top[e.From], top[e.To]
		if pos[e.From] > pos[e.To] {
			f, t = t, f
		}
		sameRank := e.Kind == EdgeUplink && d.ix.nodes[e.From].rank == d.ix.nodes[e.To].rank
		g.SetLine(dotLine{f: f, t: t, uid: int64(i), e: e, sameRank: sameRank})
	}
	for _, c := range d.Clusters {
		sub := &dotCluster{UndirectedGraph: multi.NewUndirectedGraph(), c: c}
		for _, id := range c.Nodes {
			sub.AddNode(dotNode{id: pos[id], n: d.ix.nodes[id]})
		}
		g.clusters = append(g.clusters, sub)
	}
	return g
}

// dotGraph is the whole picture: top-level attributes and the clusters.
type dotGraph struct {
	*multi.UndirectedGraph
	d        *Diagram
	clusters []dot.Multigraph
}

func (g *dotGraph) DOTID() string { return "bondaudit" }

func (g *dotGraph) Structure() []dot.Multigraph { return g.clusters }

func (g *dotGraph) DOTAttributers() (graph, node, edge encoding.Attributer) {
	const font = "Helvetica,Arial,sans-serif"
	ga := kv("rankdir", "LR", "fontname", font, "fontsize", "12", "nodesep", "0.25", "ranksep", "1.2", "outputorder", "edgesfirst", "labelloc", "t", "id", Anchor("graph"))
	if l := g.d.heading(); l != "" {
		ga = append(ga, kv("label", dotText(l))...)
	}
	na := kv("fontname", font, "fontsize", "11", "shape", "box", "style", "rounded,filled", "margin", "0.16,0.06")
	ea := kv("fontname", font, "fontsize", "9", "color", sevStroke[""])
	return ga, na, ea
}

// heading is the picture's title line: the title and the caption.
func (d *Diagram) heading() string {
	switch {
	case d.Title == "":
		return d.Caption
	case d.Caption == "":
		return d.Title
	}
	return d.Title + ": " + d.Caption
}

// attrs is a list of DOT attributes.
type attrs []encoding.Attribute

// kv builds attrs from alternating keys and values.
func kv(pairs ...string) attrs {
	a := make(attrs, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		a = append(a, encoding.Attribute{Key: pairs[i], Value: pairs[i+1]})
	}
	return a
}

func (a attrs) Attributes() []encoding.Attribute { return a }

// dotNode is a node with its attributes.
type dotNode struct {
	id int64
	n  *Node
}

func (n dotNode) ID() int64     { return n.id }
func (n dotNode) DOTID() string { return n.n.ID }
func (n dotNode) Attributes() []encoding.Attribute {
	lines := n.n.Lines()
	a := kv("id", Anchor(n.n.ID), "label", dotText(lines...), "class", classes(n.n.Kind, n.n.Severity, false), "tooltip", dotText(tooltip(lines)), "fillcolor", n.n.fill(), "color", sevStroke[n.n.Severity])
	if n.n.Kind == KindSwitch {
		a = append(a, kv("shape", "box3d", "style", "filled")...)
	}
	if n.n.Severity != "" {
		a = append(a, kv("penwidth", "2", "fontcolor", sevStroke[n.n.Severity])...)
	}
	return a
}

// dotRef names a node defined inside its cluster: no attributes.
type dotRef struct {
	id   int64
	name string
}

func (n dotRef) ID() int64     { return n.id }
func (n dotRef) DOTID() string { return n.name }

// dotLine is an edge with its attributes.
type dotLine struct {
	f, t     graph.Node
	uid      int64
	e        *Edge
	sameRank bool
}

func (l dotLine) From() graph.Node         { return l.f }
func (l dotLine) To() graph.Node           { return l.t }
func (l dotLine) ID() int64                { return l.uid }
func (l dotLine) ReversedLine() graph.Line { l.f, l.t = l.t, l.f; return l }

func (l dotLine) Attributes() []encoding.Attribute {
	e := l.e
	lines := e.Lines()
	a := kv("id", Anchor(e.ID), "label", dotText(lines...), "class", classes(e.Kind, e.Severity, e.SingleHomed), "tooltip", dotText(tooltip(lines)))
	if e.Severity != "" {
		a = append(a, kv("color", sevStroke[e.Severity], "fontcolor", sevStroke[e.Severity])...)
	}
	a = append(a, kv("penwidth", penwidth(e))...)
	if e.SingleHomed {
		a = append(a, kv("style", "dashed")...)
	}
	if l.sameRank {
		a = append(a, kv("constraint", "false")...)
	}
	return a
}

// penwidth: thicker for more cables and for a finding.
func penwidth(e *Edge) string {
	w := 1.0
	if e.Members > 1 {
		w = 2.5
	}
	if e.Severity == SevError || e.Severity == SevWarning {
		w += 1
	}
	return fmt.Sprint(w)
}

// dotCluster is a cluster subgraph.
type dotCluster struct {
	*multi.UndirectedGraph
	c *Cluster
}

func (c *dotCluster) DOTID() string { return "cluster_" + c.c.ID }

func (c *dotCluster) DOTAttributers() (graph, node, edge encoding.Attributer) {
	a := kv("id", Anchor(c.c.ID), "label", dotText(c.c.Label), "class", "cluster-"+c.c.Kind)
	if c.c.Kind == ClusterDomain {
		a = append(a, kv("style", "rounded,filled", "fillcolor", "#e8eaf6", "color", "#3949ab", "fontcolor", "#283593")...)
	} else {
		a = append(a, kv("style", "rounded,dashed", "color", "#90a4ae", "fontcolor", "#546e7a")...)
	}
	return a, nil, nil
}

// dotQuoter escapes a DOT double-quoted string: a backslash is doubled (in a
// label Graphviz reads \N, \G, \l … as its own escapes) and a quote escaped.
var dotQuoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// dotText is the DOT value of a label or tooltip made of lines: each line
// shown through escape.Text (names come from the hosts and the wire: no
// control character, bidi control or invalid UTF-8 reaches Graphviz), then
// quoted, the lines joined by Graphviz's \n. The value is always a quoted
// string: gonum's encoding/dot writes a value that already looks like an ID
// as it is, so an unquoted name such as "<b>x</b>" would otherwise become an
// HTML-like label (and "x\" would run into the next attribute).
func dotText(lines ...string) string {
	q := make([]string, len(lines))
	for i, l := range lines {
		q[i] = dotQuoter.Replace(escape.Text(l))
	}
	v := strings.Join(q, `\n`)
	if dotPlainID().MatchString(v) {
		return v // an identifier or a number needs no quotes
	}
	return `"` + v + `"`
}

// dotPlainID matches the DOT IDs that need no quotes: identifiers and numerals.
// It is compiled on first use, not at start-up.
var dotPlainID = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:[a-zA-Z_\x{80}-\x{10FFFF}][a-zA-Z_0-9\x{80}-\x{10FFFF}]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))$`)
})
