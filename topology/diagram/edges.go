package diagram

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// index finds a Diagram's elements by what marks name.
type index struct {
	nodes     map[string]*Node
	edges     map[string]*Edge
	nicEdge   map[[2]string]*Edge   // host, NIC
	bondEdges map[[2]string][]*Edge // host, bond
	hostEdges map[string][]*Edge    // host
	// portEdges: switch, normalised port or LAG name → host edges;
	// uplinkPort the same for uplinks.
	portEdges  map[[2]string][]*Edge
	uplinkPort map[[2]string][]*Edge
}

func (d *Diagram) addNodes(m *topology.Model, sel *selection) {
	d.ix = index{nodes: map[string]*Node{}, edges: map[string]*Edge{}, nicEdge: map[[2]string]*Edge{},
		bondEdges: map[[2]string][]*Edge{}, hostEdges: map[string][]*Edge{},
		portEdges: map[[2]string][]*Edge{}, uplinkPort: map[[2]string][]*Edge{}}
	for _, h := range sel.hosts {
		d.addNode(&Node{ID: hostID(h.Name), Kind: KindHost, Name: h.Name})
	}
	for _, s := range sel.switches {
		n := &Node{ID: switchID(s.Name), Kind: KindSwitch, Name: s.Name, rank: 1}
		if s.Unreachable {
			n.Notes = append(n.Notes, "not read")
		}
		if c, ok := sel.hidden[s.Name]; ok {
			n.Notes = append(n.Notes, hiddenNote(c))
		}
		d.addNode(n)
	}
}

func (d *Diagram) addNode(n *Node) {
	d.Nodes = append(d.Nodes, n)
	d.ix.nodes[n.ID] = n
}

func hiddenNote(c hiddenCount) string {
	var parts []string
	if c.hosts > 0 {
		parts = append(parts, plural(c.hosts, "host"))
	}
	if c.switches > 0 {
		parts = append(parts, plural(c.switches, "switch"))
	}
	return "+" + strings.Join(parts, ", ") + " not shown"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "ch") {
		return fmt.Sprintf("%d %ses", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// member is one cable of an edge.
type member struct {
	speed int // Mb/s, 0 unknown
	down  bool
	lacp  string // "" when LACP is not in play or its state is unknown
}

// addHostEdges draws every drawn host's bonds (one edge per LAG or plain
// port, or per cable with ports) and its NICs that are in no bond.
func (d *Diagram) addHostEdges(m *topology.Model, sel *selection, ports bool) {
	linksOf := map[string][]*topology.Link{}
	for _, l := range m.Links {
		if sel.inHost[l.Host] {
			linksOf[l.Host] = append(linksOf[l.Host], l)
		}
	}
	for _, h := range sel.hosts {
		enslaved := map[string]bool{}
		facts := h.BondFacts()
		for bi := range facts {
			for _, sl := range facts[bi].Bond.Slaves {
				enslaved[sl.Name] = true
			}
			d.addBond(&facts[bi], ports)
		}
		for _, l := range linksOf[h.Name] {
			if !enslaved[l.NIC] {
				d.addLoneNIC(m, h, l)
			}
		}
	}
}

// addBond draws one bond's edges and marks them single-homed when all its
// mapped slaves land on one switch.
func (d *Diagram) addBond(bf *topology.BondFacts, ports bool) {
	h, b := bf.Host, bf.Bond
	var edges []*Edge
	byID := map[string]*Edge{}
	switches := map[string]bool{}
	unmapped := 0
	for si := range bf.Slaves {
		sf := &bf.Slaves[si]
		sl, l, lag := sf.Slave, sf.Link, sf.LAG
		if l == nil {
			unmapped++
			continue
		}
		end := l.Port
		if lag != nil {
			end = lag.Name
		}
		id := bondEdgeID(h.Name, b.Name, l.Switch, end)
		if ports {
			id = nicEdgeID(h.Name, sl.Name)
		}
		e := byID[id]
		if e == nil {
			e = &Edge{ID: id, Kind: EdgeBond, From: hostID(h.Name), To: switchID(l.Switch),
				Host: h.Name, Bond: b.Name, Mode: b.Mode, Switch: l.Switch}
			if ports {
				e.Kind = EdgeNIC
			}
			if lag != nil {
				e.LAG = lag.Name
			}
			byID[id] = e
			edges = append(edges, e)
		}
		e.NICs = append(e.NICs, sl.Name)
		e.Ports = append(e.Ports, l.Port)
		switches[l.Switch] = true
		d.ix.nicEdge[[2]string{h.Name, sl.Name}] = e
		e.add(slaveMember(bf, sf))
	}
	slices.SortStableFunc(edges, func(x, y *Edge) int {
		if ports {
			return 0 // slave order
		}
		return cmp.Or(strings.Compare(x.Switch, y.Switch), topology.CompareNames(edgeEnd(x), edgeEnd(y)))
	})
	for _, e := range edges {
		e.SingleHomed = len(switches) == 1
		d.addHostEdge(e)
	}
	d.ix.bondEdges[[2]string{h.Name, b.Name}] = edges
	if unmapped > 0 {
		n := d.ix.nodes[hostID(h.Name)]
		n.Notes = append(n.Notes, fmt.Sprintf("%s: %d of %d slaves not mapped", b.Name, unmapped, len(b.Slaves)))
	}
}

// edgeEnd is the switch end of a host edge: its LAG, else its port.
func edgeEnd(e *Edge) string { return cmp.Or(e.LAG, strings.Join(e.Ports, "+")) }

// addLoneNIC draws a NIC in no bond that is cabled to a switch.
func (d *Diagram) addLoneNIC(m *topology.Model, h *topology.HostNode, l *topology.Link) {
	pl := m.Place(l)
	sw, lag := pl.Switch, pl.LAG
	e := &Edge{ID: nicEdgeID(h.Name, l.NIC), Kind: EdgeNIC, From: hostID(h.Name), To: switchID(l.Switch),
		Host: h.Name, NICs: []string{l.NIC}, Switch: l.Switch, Ports: []string{l.Port}}
	if lag != nil {
		e.LAG = lag.Name
	}
	mb := member{speed: portSpeed(sw, l.Port)}
	if nic := h.NIC(l.NIC); nic != nil {
		mb.speed = cmp.Or(nic.Speed, mb.speed)
		mb.down = nic.State.Down()
	}
	mb.down = mb.down || portDown(sw, l.Port)
	if lag != nil && lag.Kind.RunsLACP() {
		mb.lacp = switchLACP(sw, l.Port)
	}
	e.add(mb)
	d.ix.nicEdge[[2]string{h.Name, l.NIC}] = e
	d.addHostEdge(e)
}

func (d *Diagram) addHostEdge(e *Edge) {
	d.Edges = append(d.Edges, e)
	d.ix.edges[e.ID] = e
	d.ix.hostEdges[e.Host] = append(d.ix.hostEdges[e.Host], e)
	for _, k := range portKeys(e.Switch, e.LAG, e.Ports) {
		d.ix.portEdges[k] = appendOnce(d.ix.portEdges[k], e)
	}
}

func portKeys(sw, lag string, ports []string) [][2]string {
	var keys [][2]string
	if lag != "" {
		keys = append(keys, [2]string{sw, topology.NormalizePortName(lag)})
	}
	for _, p := range ports {
		keys = append(keys, [2]string{sw, topology.NormalizePortName(p)})
	}
	return keys
}

func appendOnce(es []*Edge, e *Edge) []*Edge {
	if len(es) > 0 && es[len(es)-1] == e {
		return es
	}
	return append(es, e)
}

// slaveMember describes one bond slave's cable: its speed, whether it is
// down, and its LACP state when LACP is in play.
func slaveMember(bf *topology.BondFacts, sf *topology.SlaveFacts) member {
	sw, port := sf.Switch, sf.Link.Port
	mb := member{speed: sf.Speed, down: sf.Down || portDown(sw, port)}
	if mb.speed == 0 {
		mb.speed = portSpeed(sw, port)
	}
	if bf.RunsLACP || sf.LAG != nil && sf.LAG.Kind.RunsLACP() {
		mb.lacp = cmp.Or(switchLACP(sw, port), hostLACP(sf))
	}
	return mb
}

func portSpeed(sw *topology.SwitchNode, port string) int {
	if p := sw.Port(port); p != nil {
		return p.Speed
	}
	return 0
}

func portDown(sw *topology.SwitchNode, port string) bool {
	if p := sw.Port(port); p != nil {
		return p.Oper.Down()
	}
	return false
}

// switchLACP is the LACP status the switch reports for the port, or "".
func switchLACP(sw *topology.SwitchNode, port string) string {
	if p := sw.Port(port); p != nil && p.LACP != nil {
		return p.LACP.Status
	}
	return ""
}

// hostLACP is the LACP state the bond driver reports for a slave, or ""
// when it does not say.
func hostLACP(sf *topology.SlaveFacts) string {
	p := sf.Slave.Partner
	switch {
	case p == nil:
		return ""
	case p.System != "" && sf.PartnerSystem == "":
		return "no partner" // all-zero (or unreadable) partner system
	case !p.StateKnown:
		return ""
	case sf.PartnerDefaulted:
		return "defaulted"
	case p.State.Bundled():
		return "bundled"
	}
	return "not synced"
}

// memberStats is what an edge keeps of its cables to label them.
type memberStats struct {
	speeds []int
	lacp   []string
}

// add counts one cable on the edge and refreshes Speed and LACP.
func (e *Edge) add(mb member) {
	e.Members++
	if mb.down {
		e.Down++
	}
	e.stats.speeds = append(e.stats.speeds, mb.speed)
	e.stats.lacp = append(e.stats.lacp, mb.lacp)
	e.Speed = formatSpeeds(e.stats.speeds)
	e.LACP = summariseLACP(e.stats.lacp)
}

// formatSpeeds sums the members' speeds: "2×25G" when they are equal,
// "25G+10G" when not, "?" for an unknown speed.
func formatSpeeds(speeds []int) string {
	if len(speeds) == 0 {
		return ""
	}
	same := true
	for _, s := range speeds[1:] {
		same = same && s == speeds[0]
	}
	if same {
		return strconv.Itoa(len(speeds)) + "×" + formatSpeed(speeds[0])
	}
	sorted := slices.Clone(speeds)
	slices.SortFunc(sorted, func(a, b int) int { return cmp.Compare(b, a) })
	parts := make([]string, len(sorted))
	for i, s := range sorted {
		parts[i] = formatSpeed(s)
	}
	return strings.Join(parts, "+")
}

// formatSpeed writes Mb/s as 100M, 1G, 2.5G, 25G; "?" when unknown.
func formatSpeed(mbps int) string {
	switch {
	case mbps <= 0:
		return "?"
	case mbps < 1000:
		return strconv.Itoa(mbps) + "M"
	case mbps%1000 == 0:
		return strconv.Itoa(mbps/1000) + "G"
	}
	return strconv.FormatFloat(float64(mbps)/1000, 'f', -1, 64) + "G"
}

// summariseLACP: "bundled" when every member says so, "1 bundled, 1
// standby" when they differ, "" when no member's state is known.
func summariseLACP(states []string) string {
	counts := map[string]int{}
	for _, s := range states {
		counts[cmp.Or(s, "unknown")]++
	}
	if counts["unknown"] == len(states) {
		return ""
	}
	if len(counts) == 1 {
		return states[0]
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

// addUplinks draws switch-to-switch links between drawn switches: one edge
// per pair of LAG (or port) ends, or per cable with ports.
func (d *Diagram) addUplinks(m *topology.Model, sel *selection, ports bool) {
	var edges []*Edge
	byID := map[string]*Edge{}
	for _, u := range m.Uplinks {
		if !sel.inSw[u.A] || !sel.inSw[u.B] {
			continue
		}
		a, ap, b, bp := u.A, u.APort, u.B, u.BPort
		if a > b {
			a, ap, b, bp = b, bp, a, ap
		}
		sa, sb := m.Switch(a), m.Switch(b)
		la, lb := sa.LAGOf(ap), sb.LAGOf(bp)
		aEnd, bEnd := ap, bp
		if !ports && la != nil {
			aEnd = la.Name
		}
		if !ports && lb != nil {
			bEnd = lb.Name
		}
		id := uplinkEdgeID(a, aEnd, b, bEnd)
		e := byID[id]
		if e == nil {
			e = newUplink(id, sa, la, sb, lb)
			byID[id] = e
			edges = append(edges, e)
		}
		e.Ports = append(e.Ports, ap)
		e.PeerPorts = append(e.PeerPorts, bp)
		mb := member{speed: cmp.Or(portSpeed(sa, ap), portSpeed(sb, bp)), down: portDown(sa, ap) || portDown(sb, bp)}
		if la != nil && la.Kind.RunsLACP() {
			mb.lacp = switchLACP(sa, ap)
		}
		e.add(mb)
	}
	slices.SortFunc(edges, func(x, y *Edge) int { return topology.CompareNames(x.ID, y.ID) })
	for _, e := range edges {
		d.Edges = append(d.Edges, e)
		d.ix.edges[e.ID] = e
		for _, k := range portKeys(e.Switch, e.LAG, e.Ports) {
			d.ix.uplinkPort[k] = appendOnce(d.ix.uplinkPort[k], e)
		}
		for _, k := range portKeys(e.PeerSwitch, e.PeerLAG, e.PeerPorts) {
			d.ix.uplinkPort[k] = appendOnce(d.ix.uplinkPort[k], e)
		}
	}
}

func newUplink(id string, sa *topology.SwitchNode, la *topology.LAG, sb *topology.SwitchNode, lb *topology.LAG) *Edge {
	e := &Edge{ID: id, Kind: EdgeUplink, From: switchID(sa.Name), To: switchID(sb.Name), Switch: sa.Name, PeerSwitch: sb.Name}
	if la != nil {
		e.LAG = la.Name
		e.PeerLink = la.PeerLink
	}
	if lb != nil {
		e.PeerLAG = lb.Name
		e.PeerLink = e.PeerLink || lb.PeerLink
	}
	return e
}

// rankSwitches orders the switches by their distance from the hosts:
// rank 1 for switches with hosts drawn, 2 for their uplink neighbours, and
// so on (switches reached by neither get 1), then by name. Renderers draw
// nodes in this order, hosts first.
func (d *Diagram) rankSwitches() {
	for _, n := range d.Nodes {
		if n.Kind == KindSwitch {
			n.rank = 0
		}
	}
	var frontier []*Node
	for _, e := range d.Edges {
		if e.Kind != EdgeUplink {
			if n := d.ix.nodes[e.To]; n.rank == 0 {
				n.rank = 1
				frontier = append(frontier, n)
			}
		}
	}
	for r := 2; len(frontier) > 0; r++ {
		var next []*Node
		for _, e := range d.Edges {
			if e.Kind != EdgeUplink {
				continue
			}
			a, b := d.ix.nodes[e.From], d.ix.nodes[e.To]
			for _, p := range [][2]*Node{{a, b}, {b, a}} {
				if p[0].rank == r-1 && p[1].rank == 0 {
					p[1].rank = r
					next = append(next, p[1])
				}
			}
		}
		frontier = next
	}
	for _, n := range d.Nodes {
		if n.Kind == KindSwitch && n.rank == 0 {
			n.rank = 1
		}
	}
	slices.SortStableFunc(d.Nodes, func(x, y *Node) int {
		if x.Kind != y.Kind {
			return cmp.Compare(kindOrder(x.Kind), kindOrder(y.Kind))
		}
		return cmp.Or(cmp.Compare(x.rank, y.rank), strings.Compare(x.Name, y.Name))
	})
}

func kindOrder(k string) int {
	if k == KindHost {
		return 0
	}
	return 1
}

// addClusters groups MLAG/stack domains' switches and the hosts hanging
// off each set of switches.
func (d *Diagram) addClusters(m *topology.Model) {
	for _, dom := range m.Domains {
		c := &Cluster{ID: domainClusterID(dom.Name), Kind: ClusterDomain, Label: domainLabel(dom)}
		for _, n := range d.Nodes {
			if n.Kind == KindSwitch && slices.Contains(dom.Switches, n.Name) {
				c.Nodes = append(c.Nodes, n.ID)
				n.Cluster = c.ID
			}
		}
		if len(c.Nodes) > 0 {
			d.Clusters = append(d.Clusters, c)
		}
	}
	groups := map[string]*Cluster{}
	var keys []string
	for _, n := range d.Nodes {
		if n.Kind != KindHost {
			continue
		}
		sws := d.switchesOf(n.Name)
		key := strings.Join(sws, "\x00")
		c := groups[key]
		if c == nil {
			c = &Cluster{ID: hostsClusterID(sws), Kind: ClusterHosts, Label: "hosts on " + joinNames(sws)}
			if len(sws) == 0 {
				c.Label = "hosts with no mapped link"
			}
			groups[key] = c
			keys = append(keys, key)
		}
		c.Nodes = append(c.Nodes, n.ID)
		n.Cluster = c.ID
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.Clusters = append(d.Clusters, groups[k])
	}
}

// switchesOf lists the switches a drawn host's edges land on, sorted.
func (d *Diagram) switchesOf(host string) []string {
	var sws []string
	for _, e := range d.ix.hostEdges[host] {
		sws = append(sws, e.Switch)
	}
	slices.Sort(sws)
	return slices.Compact(sws)
}

var domainKinds = map[string]string{"mlag": "MLAG", "vpc": "vPC", "vlt": "VLT", "vsx": "VSX", "mc-lag": "MC-LAG",
	"stack": "stack", "lacp-system": "one LACP system"}

func domainLabel(dom *topology.Domain) string {
	l := cmp.Or(domainKinds[dom.Kind], dom.Kind) + " " + dom.Name
	if dom.PeerLinkUp != nil && !*dom.PeerLinkUp {
		l += " (peer link down)"
	}
	return l
}
