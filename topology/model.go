package topology

import (
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
	// Graph has one node per host and per switch and one line per link
	// (parallel lines survive: a bond's two slaves on one switch are two lines).
	Graph *multi.UndirectedGraph
	// Previous names the hosts and switches of the site's previous run
	// (BuildOptions.Previous), for map.host-missing and map.switch-missing;
	// nil when no previous run is known.
	Previous *Inventory

	// inHosts, inSwitches and opt are what Build was given, for Plan.
	inHosts    []*Host
	inSwitches []*Switch
	opt        BuildOptions

	hosts       map[string]*HostNode
	switches    map[string]*SwitchNode
	linkByNIC   map[nicKey]*Link
	linksByPort map[portKey][]*Link
}

type nicKey struct{ host, nic string }
type portKey struct{ sw, port string }

// HostNode is a host in the Model.
type HostNode struct {
	*Host
	ID    int64
	nics  map[string]*NIC
	facts []BondFacts // per h.Bonds, see BondFacts
}

// SwitchNode is a switch in the Model.
type SwitchNode struct {
	*Switch
	ID int64
	// Domain is the MLAG/stack domain this switch belongs to, or nil.
	Domain *Domain
	ports  map[string]*Port // by normalised name
	lagOf  map[string]*LAG  // normalised member name -> LAG
	lags   map[string]*LAG  // normalised LAG name -> LAG
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
	// Details are human-readable evidence lines for reports.
	Details []string
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
func (m *Model) LinkOf(host, nic string) *Link { return m.linkByNIC[nicKey{host, nic}] }

// LinksOnPort returns the host links that end on a switch port.
func (m *Model) LinksOnPort(sw, port string) []*Link {
	return m.linksByPort[portKey{sw, NormalizePortName(port)}]
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
func (h *HostNode) NIC(name string) *NIC { return h.nics[name] }

// Port returns the switch port whose name matches name in any common form
// (Gi1/0/1 = GigabitEthernet1/0/1), or nil.
func (s *SwitchNode) Port(name string) *Port { return s.ports[NormalizePortName(name)] }

// LAGOf returns the LAG the port is a member of, or nil.
func (s *SwitchNode) LAGOf(port string) *LAG { return s.lagOf[NormalizePortName(port)] }

// LAG returns the LAG called name, or nil.
func (s *SwitchNode) LAG(name string) *LAG { return s.lags[NormalizePortName(name)] }
