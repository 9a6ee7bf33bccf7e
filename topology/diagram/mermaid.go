package diagram

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// Mermaid writes the Diagram as a Mermaid flowchart (left to right), which
// GitHub and GitLab render inside Markdown as a ```mermaid block: clusters
// are subgraphs, hosts rounded boxes, switches subroutine boxes; a node with
// a finding takes the class of its worst severity (classDef error, warning,
// info), an edge its colour through linkStyle; a single-homed bond's edges
// are dotted. Node and subgraph IDs are the stable IDs.
func (d *Diagram) Mermaid(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if h := d.heading(); h != "" {
		fmt.Fprintf(bw, "---\ntitle: %s\n---\n", mermaidTitle(h))
	}
	fmt.Fprintln(bw, "flowchart LR")
	for _, c := range d.Clusters {
		fmt.Fprintf(bw, "  subgraph %s[\"%s\"]\n", c.ID, mermaidText([]string{c.Label}))
		for _, id := range c.Nodes {
			fmt.Fprintf(bw, "    %s\n", mermaidNode(d.ix.nodes[id]))
		}
		fmt.Fprintln(bw, "  end")
	}
	for _, n := range d.Nodes {
		if n.Cluster == "" {
			fmt.Fprintf(bw, "  %s\n", mermaidNode(n))
		}
	}
	pos := map[string]int{}
	for i, n := range d.Nodes {
		pos[n.ID] = i
	}
	for _, e := range d.Edges {
		f, t := e.From, e.To
		if pos[f] > pos[t] {
			f, t = t, f
		}
		fmt.Fprintf(bw, "  %s %s|\"%s\"| %s\n", f, mermaidLink(e), mermaidText(e.Lines()), t)
	}
	d.mermaidStyles(bw)
	return bw.Flush()
}

func mermaidNode(n *Node) string {
	open, close := "(\"", "\")"
	if n.Kind == KindSwitch {
		open, close = "[[\"", "\"]]"
	}
	return n.ID + open + mermaidText(n.Lines()) + close
}

// mermaidLink: dotted for single-homed, thick for a LAG, else plain.
func mermaidLink(e *Edge) string {
	switch {
	case e.SingleHomed:
		return "-.-"
	case e.Members > 1:
		return "==="
	}
	return "---"
}

// mermaidEntities writes the characters that mean something in a quoted
// Mermaid label as Mermaid entity codes: # (which starts one), the quote,
// angle brackets and & (HTML, Mermaid renders labels as HTML), and the
// backtick (a label in backticks is Markdown).
var mermaidEntities = strings.NewReplacer("#", "#35;", "\"", "#quot;", "<", "#lt;", ">", "#gt;", "&", "#38;", "`", "#96;")

// mermaidText escapes label lines for a quoted Mermaid string (each shown
// through escape.Text, so no newline or control character ends the
// statement, then the entity codes) and joins them with <br>.
func mermaidText(lines []string) string {
	esc := make([]string, len(lines))
	for i, l := range lines {
		esc[i] = mermaidEntities.Replace(escape.Text(l))
	}
	return strings.Join(esc, "<br>")
}

// mermaidTitle keeps the front-matter title on one YAML line, a quoted
// YAML string.
func mermaidTitle(s string) string {
	return strconv.Quote(escape.Text(s))
}

// mermaidStyles writes the classDefs, each node's class, and a linkStyle
// per severity for the marked edges.
func (d *Diagram) mermaidStyles(bw *bufio.Writer) {
	fmt.Fprintf(bw, "  classDef host fill:%s,stroke:%s\n", "#ffffff", sevStroke[""])
	fmt.Fprintf(bw, "  classDef switch fill:%s,stroke:%s\n", "#eceff1", sevStroke[""])
	for _, s := range severities {
		fmt.Fprintf(bw, "  classDef %s fill:%s,stroke:%s,color:%s,stroke-width:2px\n", s, sevFill[s], sevStroke[s], sevStroke[s])
	}
	byClass := map[string][]string{}
	for _, n := range d.Nodes {
		c := n.Kind
		if n.Severity != "" {
			c = string(n.Severity)
		}
		byClass[c] = append(byClass[c], n.ID)
	}
	for _, c := range []string{KindHost, KindSwitch, string(SevError), string(SevWarning), string(SevInfo)} {
		if ids := byClass[c]; len(ids) > 0 {
			fmt.Fprintf(bw, "  class %s %s\n", strings.Join(ids, ","), c)
		}
	}
	bySev := map[Severity][]string{}
	for i, e := range d.Edges {
		if e.Severity != "" {
			bySev[e.Severity] = append(bySev[e.Severity], strconv.Itoa(i))
		}
	}
	for _, s := range severities {
		if idx := bySev[s]; len(idx) > 0 {
			fmt.Fprintf(bw, "  linkStyle %s stroke:%s,color:%s,stroke-width:2px\n", strings.Join(idx, ","), sevStroke[s], sevStroke[s])
		}
	}
}
