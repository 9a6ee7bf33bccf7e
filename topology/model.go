package topology

import (
	"slices"
	"sync"

	"gonum.org/v1/gonum/graph/multi"
)

// Evidence kinds on a Link, strongest first (DESIGN.md "Joining").
const (
	EvLLDPHost   EvidenceKind = "lldp-host"   // LLDP heard by the host
	EvLLDPSwitch EvidenceKind = "lldp-switch" // LLDP heard by the switch (lldpRemTable)
	EvCDP        EvidenceKind = "cdp"         // CDP, either side
	EvLACP       EvidenceKind = "lacp"        // LACP partner info matched to the switch's actor
	EvFDB        EvidenceKind = "fdb"         // the NIC's MAC learned on one edge port
)

// Model is the joined view of a site: every host and switch, the links
// between host NICs and switch ports with their evidence, switch-to-switch
// links, and the MLAG/stack domains. Slices are sorted; Build never depends
// on map iteration order.
type Model struct {
	Hosts    []*HostNode
	Switches []*SwitchNode
	// Links are host NIC ↔ switch port links, sorted by host, NIC.
	Links []*Link
	// Uplinks are switch ↔ switch links learned from LLDP/CDP.
	Uplinks []*Uplink
	// Domains are groups of switches that act as one LACP partner (MLAG,
	// vPC, VLT, VSX, stacks), sorted by name.
	Domains []*Domain
	// Conflicts are NICs whose sources disagree about the far end.
	Conflicts []*Conflict
	// Unresolved are neighbours that name a device not in the site, or a
	// port the named device does not have.
	Unresolved []UnresolvedNeighbour
	// Problems are inconsistencies in the inputs that Build worked around
	// (duplicate names, ambiguous matches).
	Problems []string
	// Previous names the hosts and switches of the site's previous run
	// (BuildOptions.Previous), for map.host-missing and map.switch-missing;
	// nil when no previous run is known.
	Previous *Inventory

	// inHosts, inSwitches and opt are what Build was given, for Plan.
	inHosts    []*Host
	inSwitches []*Switch
	opt        BuildOptions

	hosts    map[string]*HostNode
	switches map[string]*SwitchNode

	// graph is built on first use (Graph); adj, the graph's neighbours
	// in a compact form, on first use of Neighbours.
	graphOnce sync.Once
	graph     *multi.UndirectedGraph
	adjOnce   sync.Once
	adj       []adjPair
}

type nicKey struct{ host, nic string }
type portKey struct{ sw, port string }

// Graph has one node per host and per switch and one line per link
// (parallel lines survive: a bond's two slaves on one switch are two
// lines). It is built on the first call; the Model does not change after
// Build, so it stays true.
func (m *Model) Graph() *multi.UndirectedGraph {
	m.graphOnce.Do(m.buildGraph)
	return m.graph
}

func (m *Model) buildGraph() {
	g := multi.NewUndirectedGraph()
	for _, h := range m.Hosts {
		g.AddNode(multi.Node(h.ID))
	}
	for _, s := range m.Switches {
		g.AddNode(multi.Node(s.ID))
	}
	for _, l := range m.Links {
		h, s := m.hosts[l.Host], m.switches[l.Switch]
		g.SetLine(multi.Line{F: multi.Node(h.ID), T: multi.Node(s.ID), UID: l.ID})
	}
	for _, u := range m.Uplinks {
		a, c := m.switches[u.A], m.switches[u.B]
		g.SetLine(multi.Line{F: multi.Node(a.ID), T: multi.Node(c.ID), UID: u.ID})
	}
	m.graph = g
}

// HostNode is a host in the Model.
type HostNode struct {
	*Host
	ID int64
	// nics indexes h.NICs by name when the host has more than nicMapMin
	// (a scan is cheaper below that); nil otherwise.
	nics  map[string]*NIC
	facts []BondFacts // per h.Bonds, see BondFacts
	// links are the host's links, a part of Model.Links (sorted by NIC).
	links []*Link
}

// nicMapMin is the NIC count above which a host's NICs get a map.
const nicMapMin = 16

// SwitchNode is a switch in the Model.
type SwitchNode struct {
	*Switch
	ID int64
	// Domain is the MLAG/stack domain this switch belongs to, or nil.
	Domain *Domain
	ports  map[string]*Port // by normalised name
	// dupPorts: two of the switch's ports have one normalised name (ports
	// keeps the first).
	dupPorts bool
	lagOf    map[string]*LAG // normalised member name -> LAG
	lags     map[string]*LAG // normalised LAG name -> LAG
	// linksOn are the host links ending on each port, by normalised name.
	linksOn map[string][]*Link
	// pinfo is, while Build runs, what resolve reads of each port (by
	// index in Ports): one cache line instead of the port, its name and a
	// LAG lookup; nil after Build.
	pinfo []portInfo
}

// portInfo is a port's name, its normalised name and its LAG (as
// SwitchNode.at finds them).
type portInfo struct {
	name, norm string
	lag        *LAG
}

// Link is one host NIC cabled to one switch port.
type Link struct {
	ID     int64
	Host   string
	NIC    string
	Switch string
	Port   string // the switch's own name for the port (ifName)
	// Evidence lists the kinds that support the link (EvLLDPHost, …), strongest first.
	Evidence []EvidenceKind

	// normPort is NormalizePortName(Port), set by Build.
	normPort string
	// sw, port and lag are where Build placed the link (Model.Place's
	// answer in the Model that built it, without a lookup by name).
	sw   *SwitchNode
	port *Port
	lag  *LAG
}

// Uplink is a switch-to-switch link.
type Uplink struct {
	ID                 int64
	A, APort, B, BPort string
	Evidence           []string
}

// Domain is a set of switches that present one LACP system to hosts.
type Domain struct {
	Name     string
	Kind     string // mlag, vpc, vlt, vsx, stack, or "lacp-system" when inferred
	Switches []string
	SystemID string
	// PeerLinkUp is nil when unknown.
	PeerLinkUp *bool
	Evidence   []string
}

// Conflict records sources disagreeing about where a NIC is cabled.
type Conflict struct {
	Host string `json:"host"`
	NIC  string `json:"nic"`
	// Claims are "source: switch port" statements that disagree.
	Claims []string `json:"claims"`
}

// UnresolvedNeighbour is a neighbour naming a device that is not in the site.
type UnresolvedNeighbour struct {
	Host, Switch string // the device that heard it (one of the two is set)
	Neighbour    Neighbour
	// Known is set when the named device is in the site but the port is not
	// found on it.
	Known string
}

// Host returns the host called name, or nil.
func (m *Model) Host(name string) *HostNode { return m.hosts[name] }

// Switch returns the switch called name, or nil.
func (m *Model) Switch(name string) *SwitchNode { return m.switches[name] }

// LinkOf returns the switch port a host NIC is cabled to, or nil when unmapped.
func (m *Model) LinkOf(host, nic string) *Link {
	if h := m.hosts[host]; h != nil {
		return h.linkOf(nic)
	}
	return nil
}

// linkOf returns the link of the host's NIC called nic, or nil.
func (h *HostNode) linkOf(nic string) *Link {
	ls := h.links
	if len(ls) <= 8 {
		for _, l := range ls {
			if l.NIC == nic {
				return l
			}
		}
		return nil
	}
	if i, ok := slices.BinarySearchFunc(ls, nic, func(l *Link, n string) int { return CompareNames(l.NIC, n) }); ok {
		return ls[i]
	}
	return nil
}

// LinksOnPort returns the host links that end on a switch port.
func (m *Model) LinksOnPort(sw, port string) []*Link {
	if s := m.switches[sw]; s != nil {
		var buf [portKeyMax]byte
		return s.linksOn[string(normPortKey(&buf, port))]
	}
	return nil
}

// SameDomain reports whether two switches are one LACP partner: the same
// switch, or members of one MLAG/vPC/VLT/stack domain.
func (m *Model) SameDomain(a, b string) bool {
	if a == b {
		return true
	}
	sa, sb := m.switches[a], m.switches[b]
	return sa != nil && sb != nil && sa.Domain != nil && sa.Domain == sb.Domain
}

// NIC returns the host's NIC called name, or nil.
func (h *HostNode) NIC(name string) *NIC {
	if h.nics != nil {
		return h.nics[name]
	}
	// the last of a name, as the map keeps it
	for i := len(h.NICs) - 1; i >= 0; i-- {
		if h.NICs[i].Name == name {
			return &h.NICs[i]
		}
	}
	return nil
}

// Port returns the switch port whose name matches name in any common form
// (Gi1/0/1 = GigabitEthernet1/0/1), or nil.
func (s *SwitchNode) Port(name string) *Port {
	var buf [portKeyMax]byte
	return s.ports[string(normPortKey(&buf, name))]
}

// LAGOf returns the LAG the port is a member of, or nil.
func (s *SwitchNode) LAGOf(port string) *LAG {
	var buf [portKeyMax]byte
	return s.lagOf[string(normPortKey(&buf, port))]
}

// LAG returns the LAG called name, or nil.
func (s *SwitchNode) LAG(name string) *LAG {
	var buf [portKeyMax]byte
	return s.lags[string(normPortKey(&buf, name))]
}
