// Package diagram draws a topology Model: hosts, their bonds, the switch
// ports and LAGs they are cabled to, MLAG/vPC pairs and stacks, with the
// audit's findings drawn in.
//
// Build reduces a Model (and the findings, as Marks) to a Diagram: a sorted
// structure with stable IDs, the members of one LAG collapsed into one edge
// unless Options.Ports asks for every cable. The Diagram renders as DOT
// (through gonum's encoding/dot), Mermaid, SVG (laid out by the system's
// Graphviz dot, run as a child process only when an SVG is drawn; see SVG)
// and one self-contained HTML page.
//
// The package imports only topology, gonum and the standard library; callers
// convert rule findings to Marks.
package diagram

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Severity is a Mark's severity: SevError, SevWarning or SevInfo ("" on a
// node or edge nothing marks). It is text in every output.
type Severity string

// Severities a Mark may carry, most severe first.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// severities lists the severities, most severe first.
var severities = []Severity{SevError, SevWarning, SevInfo}

// Mark is a finding reduced to what the picture needs: the rule, its
// severity (error, warning or info) and its subject. The subject fields
// have the meaning they have in a rules.Finding.
type Mark struct {
	Rule     string
	Severity Severity
	Host     string
	Bond     string
	NIC      string
	Switch   string
	Port     string
	// Problem is the primary rule of the problem the finding belongs to
	// (rules.Group); "" when the finding is its own problem's primary.
	Problem string
}

// DefaultMaxNodes is the most hosts plus switches Build draws when
// Options.MaxNodes is zero.
const DefaultMaxNodes = 400

// Options select and shape what Build draws.
type Options struct {
	// Focus names a host, a switch, an MLAG/stack domain, or a LAG or port
	// as SWITCH:LAG (leaf1a:Port-Channel10). Empty draws the whole site.
	Focus string
	// Depth is how many hops over the topology graph the picture reaches
	// from the focus; 0 means 1.
	Depth int
	// Ports draws one edge per cable (NIC ↔ switch port) instead of one
	// per bond and LAG.
	Ports bool
	// Marks are the findings to draw in.
	Marks []Mark
	// MaxNodes is the most hosts plus switches drawn (0: DefaultMaxNodes;
	// negative: no limit). A bigger picture is refused with ErrTooBig,
	// naming how to narrow it.
	MaxNodes int
	// Title heads the picture (a site name, say).
	Title string
	// Hosts and Switches, when set, keep only the hosts and switches
	// they return true for (--host, --switch, --rule), after Focus.
	Hosts, Switches func(name string) bool
}

// ErrTooBig is returned (wrapped, with advice naming --focus and --depth)
// when the picture would have more than Options.MaxNodes nodes.
var ErrTooBig = errors.New("diagram too big to read")

// ErrUnknownFocus is returned (wrapped, listing close names) when
// Options.Focus names nothing in the Model.
var ErrUnknownFocus = errors.New("unknown focus")

// Node kinds.
const (
	KindHost   = "host"
	KindSwitch = "switch"
)

// Edge kinds.
const (
	EdgeBond   = "bond"   // a bond's slaves on one LAG (or one plain port)
	EdgeNIC    = "nic"    // one cable: a host NIC to a switch port
	EdgeUplink = "uplink" // switch to switch: one LAG, or one cable
)

// Cluster kinds.
const (
	ClusterDomain = "domain" // an MLAG/vPC/VLT pair or a stack
	ClusterHosts  = "hosts"  // hosts hanging off one set of switches
)

// Marked is what the findings put on a node or an edge.
type Marked struct {
	// Severity is the worst severity of the marks ("" when none).
	Severity Severity
	// Rules are the marks' rule IDs, sorted, each once.
	Rules []string
	// Primary is the primary rule of the worst mark's problem (the first
	// by name among equally severe ones): the label names it and counts
	// the rest of Rules.
	Primary     string
	primaryRank int
}

// Label is what a label says about the marks: the primary rule and how
// many other rules are on the element ("lacp.switch-not-aggregated +2");
// nil when there is no mark.
func (k *Marked) Label() []string {
	if k.Primary == "" {
		return nil
	}
	rest := len(k.Rules)
	if slices.Contains(k.Rules, k.Primary) {
		rest--
	}
	if rest == 0 {
		return []string{k.Primary}
	}
	return []string{fmt.Sprintf("%s +%d", k.Primary, rest)}
}

// Node is a host or a switch.
type Node struct {
	// ID is stable (derived from the kind and name) and safe in DOT,
	// Mermaid, XML and HTML: h_<name> or s_<name>, see Anchor.
	ID   string
	Kind string // KindHost or KindSwitch
	Name string
	// Cluster is the ID of the cluster the node is drawn in, if any.
	Cluster string
	// Notes are extra label lines: what the focus left out, unmapped slaves.
	Notes []string
	Marked
	rank int // 0 hosts, 1 switches with hosts, 2… further from hosts
}

// Edge is a bond's link to one LAG or port (EdgeBond), one cable (EdgeNIC),
// or a switch-to-switch link (EdgeUplink).
type Edge struct {
	// ID is stable and safe in DOT, Mermaid, XML and HTML.
	ID   string
	Kind string
	// From and To are node IDs: the host then the switch, or two switches.
	From, To string
	// The host end (EdgeBond, EdgeNIC): Bond is "" for a NIC in no bond.
	Host, Bond string
	Mode       topology.BondMode
	NICs       []string
	// The switch end (for an uplink, the From switch): LAG is "" when the
	// ports are not aggregated.
	Switch string
	LAG    string
	Ports  []string
	// The To switch of an uplink.
	PeerSwitch string
	PeerLAG    string
	PeerPorts  []string
	PeerLink   bool // the MLAG peer link
	// Members is the number of cables; Down how many of them are down.
	Members, Down int
	// Speed is the summed speed, "2×25G" (or "25G+10G").
	Speed string
	// LACP is the LACP state of the members ("bundled", "no partner",
	// "1/2 bundled", …), "" when LACP is not in play.
	LACP string
	// SingleHomed is set on every edge of a bond whose slaves all land on
	// one switch.
	SingleHomed bool
	Marked
	stats memberStats
}

// Cluster groups nodes: an MLAG/stack domain's switches, or the hosts that
// hang off one set of switches.
type Cluster struct {
	ID    string
	Kind  string
	Label string
	Nodes []string // node IDs, in node order
}

// Diagram is what Build understood should be drawn: nodes (hosts, then
// switches), edges and clusters, all sorted with stable IDs.
type Diagram struct {
	Title string
	// Caption says what the picture shows: the focus and depth, and what
	// was left out.
	Caption  string
	Nodes    []*Node
	Edges    []*Edge
	Clusters []*Cluster
	// Marks are the marks drawn in, in input order; AnchorFor says where.
	Marks []Mark
	Ports bool

	ix index
}

// Build selects what Options ask for from the Model and reduces it to a
// Diagram. It fails with ErrUnknownFocus or ErrTooBig (both wrapped with
// a message for a person).
func Build(m *topology.Model, o Options) (*Diagram, error) {
	sel, err := selectNodes(m, o)
	if err != nil {
		return nil, err
	}
	d := &Diagram{Title: o.Title, Ports: o.Ports}
	d.addNodes(m, sel)
	d.addHostEdges(m, sel, o.Ports)
	d.addUplinks(m, sel, o.Ports)
	d.rankSwitches()
	d.addClusters(m)
	d.Caption = caption(sel)
	d.applyMarks(o.Marks)
	return d, nil
}

// Node returns the node with the given ID, or nil.
func (d *Diagram) Node(id string) *Node { return d.ix.nodes[id] }

// Edge returns the edge with the given ID, or nil.
func (d *Diagram) Edge(id string) *Edge { return d.ix.edges[id] }

// Host returns the node drawn for a host, or nil.
func (d *Diagram) Host(name string) *Node { return d.ix.nodes[hostID(name)] }

// Switch returns the node drawn for a switch, or nil.
func (d *Diagram) Switch(name string) *Node { return d.ix.nodes[switchID(name)] }

func caption(sel *selection) string {
	c := plural(len(sel.hosts), "host") + ", " + plural(len(sel.switches), "switch")
	if sel.focus == "" {
		return c
	}
	c = fmt.Sprintf("focus %s, depth %d: %s", sel.focus, sel.depth, c)
	if sel.hiddenHosts > 0 {
		c += fmt.Sprintf(" (+%s not shown: raise --depth)", plural(sel.hiddenHosts, "host"))
	}
	return c
}

// sevRank orders severities: higher is worse, 0 for none or unknown.
func sevRank(s Severity) int {
	switch s {
	case SevError:
		return 3
	case SevWarning:
		return 2
	case SevInfo:
		return 1
	}
	return 0
}

// add records a mark on the element.
func (k *Marked) add(m Mark) {
	if sevRank(m.Severity) > sevRank(k.Severity) {
		k.Severity = m.Severity
	}
	if i, found := slices.BinarySearch(k.Rules, m.Rule); !found && m.Rule != "" {
		k.Rules = slices.Insert(k.Rules, i, m.Rule)
	}
	primary := cmp.Or(m.Problem, m.Rule)
	if r := sevRank(m.Severity); primary != "" && (k.Primary == "" || r > k.primaryRank || r == k.primaryRank && primary < k.Primary) {
		k.Primary, k.primaryRank = primary, r
	}
}

// joinNames joins names for a label: "a + b".
func joinNames(names []string) string { return strings.Join(names, " + ") }
