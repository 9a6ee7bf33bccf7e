package diagram

import (
	"strings"
)

// Lines returns a node's label, a line each: its name, its notes (what the
// focus left out, unmapped slaves), then its marks' primary rule and the
// count of the rest (Marked.Label).
func (n *Node) Lines() []string {
	lines := append([]string{n.Name}, n.Notes...)
	return append(lines, n.Label()...)
}

// Lines returns an edge's label, a line each:
//
//	bond0 → Port-Channel1
//	802.3ad · LACP bundled · 2×25G
//	single-homed
//	lacp.switch-not-aggregated +2   (the primary rule, the count of the rest)
func (e *Edge) Lines() []string {
	var lines []string
	switch e.Kind {
	case EdgeBond:
		lines = append(lines, e.Bond+" → "+edgeEnd(e))
		lines = append(lines, dotJoin(string(e.Mode), e.lacpText(), e.speedText()))
	case EdgeNIC:
		end := e.Ports[0]
		if e.LAG != "" {
			end += " (" + e.LAG + ")"
		}
		lines = append(lines, e.NICs[0]+" → "+end)
		bond := "no bond"
		if e.Bond != "" {
			bond = e.Bond + " " + string(e.Mode)
		}
		lines = append(lines, dotJoin(bond, e.lacpText(), e.speedText()))
	case EdgeUplink:
		lines = append(lines, uplinkEnd(e.LAG, e.Ports)+" ↔ "+uplinkEnd(e.PeerLAG, e.PeerPorts))
		peer := ""
		if e.PeerLink {
			peer = "peer link"
		}
		lines = append(lines, dotJoin(peer, e.lacpText(), e.speedText()))
	}
	if e.SingleHomed {
		lines = append(lines, "single-homed")
	}
	return append(lines, e.Label()...)
}

func uplinkEnd(lag string, ports []string) string {
	if lag != "" {
		return lag
	}
	return strings.Join(ports, "+")
}

func (e *Edge) lacpText() string {
	if e.LACP == "" {
		return ""
	}
	return "LACP " + e.LACP
}

func (e *Edge) speedText() string {
	if e.Down > 0 {
		return e.Speed + " (" + plural(e.Down, "down") + ")"
	}
	return e.Speed
}

// dotJoin joins the non-empty parts with " · ".
func dotJoin(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// tooltip is a node's or edge's hover text: its label on one line.
func tooltip(lines []string) string { return strings.Join(lines, " | ") }

// Colours per severity: stroke and text, then fill.
var (
	sevStroke = map[Severity]string{SevError: "#c62828", SevWarning: "#e65100", SevInfo: "#1565c0", "": "#455a64"}
	sevFill   = map[Severity]string{SevError: "#ffebee", SevWarning: "#fff3e0", SevInfo: "#e3f2fd"}
)

// fill is a node's fill colour: by severity, else by kind.
func (n *Node) fill() string {
	if f, ok := sevFill[n.Severity]; ok {
		return f
	}
	if n.Kind == KindSwitch {
		return "#eceff1"
	}
	return "#ffffff"
}

// classes are the CSS classes of a node or edge in the SVG: its kind, its
// severity (sev-error …) and single-homed.
func classes(kind string, severity Severity, singleHomed bool) string {
	c := kind
	if severity != "" {
		c += " sev-" + string(severity)
	}
	if singleHomed {
		c += " single-homed"
	}
	return c
}
