package diagram

import (
	"strings"
)

// Stable IDs are built from names, so the same thing has the same ID in
// every run, every format, and in a report that links to it. esc keeps
// ASCII letters and digits and writes every other byte as _XX (hex), so an
// ID is safe as a DOT, Mermaid, XML and HTML identifier, and two names never
// share one. "__" never occurs inside an escaped name, so it separates the
// parts of compound IDs.
func esc(s string) string {
	const hexdigits = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('_')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}

func compound(prefix string, parts ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, p := range parts {
		if i > 0 {
			b.WriteString("__")
		}
		b.WriteString(esc(p))
	}
	return b.String()
}

func hostID(name string) string   { return "h_" + esc(name) }
func switchID(name string) string { return "s_" + esc(name) }

// bondEdgeID: a bond's slaves on one LAG, or on one plain port.
func bondEdgeID(host, bond, sw, lagOrPort string) string {
	return compound("b_", host, bond, sw, lagOrPort)
}

// nicEdgeID: one host NIC's cable.
func nicEdgeID(host, nic string) string { return compound("n_", host, nic) }

// uplinkEdgeID: switch to switch, by LAG (or port) at each end.
func uplinkEdgeID(a, aEnd, b, bEnd string) string { return compound("u_", a, aEnd, b, bEnd) }

func domainClusterID(name string) string { return "d_" + esc(name) }

func hostsClusterID(switches []string) string { return compound("g_", switches...) }

// AnchorPrefix starts every element ID in the SVG and HTML output.
const AnchorPrefix = "d-"

// Anchor is the element ID (in the SVG and HTML output) of a node, edge
// or cluster ID: "d-" + id.
func Anchor(id string) string { return AnchorPrefix + id }

// AnchorFor returns the element ID in the SVG and HTML output that a
// finding about the mark's subject should link to: the edge it is drawn
// on, else the node. It returns "" when the subject is not in the picture
// (left out by the focus, or not in the Model).
//
// It is a method because where a mark lands depends on the picture: with
// Options.Ports a NIC's finding lands on the cable's edge, without it on the
// edge of the bond's LAG.
func (d *Diagram) AnchorFor(m Mark) string {
	els := d.resolve(m)
	if len(els) == 0 {
		return ""
	}
	return Anchor(els[0].elemID())
}
