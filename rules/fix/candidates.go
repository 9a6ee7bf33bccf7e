package fix

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// Why rules are not fixable by a plan: what a person must do instead.
var unfixable = map[string]string{
	"bond.single-slave":            "a second slave needs a NIC and a cable: a person adds them (no plan change adds hardware)",
	"bond.slave-down":              "a link is down: the cable, optic or switch port needs a person",
	"bond.slave-flapping":          "a flapping link is a cable, optic or port fault: a person replaces it",
	"bond.speed-mismatch":          "speed is negotiation, NIC and optics: the plan vocabulary has no speed change",
	"bond.half-duplex":             "duplex is autonegotiation or a cable fault: the plan vocabulary has no duplex change",
	"bond.nic-mismatch":            "mixed NIC models are hardware: a person chooses the slaves",
	"link.speed-mismatch":          "speed is negotiation and optics: the plan vocabulary has no speed change",
	"link.state-mismatch":          "both ends disagree about the link: re-capture the host and the switch, then check the cabling record",
	"switch.lag-speed-mismatch":    "member speeds are optics and negotiation: the plan vocabulary has no speed change",
	"switch.mlag-peer-link-down":   "the peer link's members are down: a person brings them up (cable, optic, shutdown)",
	"stp.host-port-not-edge":       "the plan vocabulary has no STP edge (portfast) or updelay change",
	"redundancy.single-switch":     "a slave must be recabled to a second switch: which free port is a person's choice (move_cable is proposed only where the evidence names the port)",
	"redundancy.single-module":     "a slave must be recabled to another stack member or line card: which free port is a person's choice",
	"map.host-missing":             "the host's capture stopped arriving: collect it again",
	"map.host-unreachable":         "the host could not be collected: fix SSH access and collect it again",
	"map.switch-missing":           "the switch's walk stopped arriving: poll it again",
	"map.switch-unreachable":       "the switch could not be read: fix SNMP access or add its walk, then audit again",
	"map.stale-capture":            "the capture is old: collect it again before changing anything",
	"map.lldp-conflict":            "the sources disagree about where the NIC is cabled: find the real far end first (a plan built on a guess could break a working link)",
	"waiver.expired":               "a policy waiver expired: fix what it covered or renew it in policy.yaml",
	"lacp.switch-port-not-bundled": "the switch keeps the port out of the bundle for a reason the plan cannot change (speed, partner, shutdown)",
}

// Fixable reports whether a plan can fix the rule's findings at all (the
// rules a person must fix instead are listed, with why, in unfixable). A
// fixable rule may still be left on a particular bond (an unmapped slave
// holds back its switch-side changes); the plan says which and why.
func Fixable(rule string) bool {
	_, no := unfixable[rule]
	return !no
}

// candidates lists the ways to fix a rule's findings on a problem, or why
// there is none.
func (p *planner) candidates(pr *problem, rule string, fs []rules.Finding) ([]candidate, string) {
	var bf *topology.BondFacts
	if pr.bond != "" {
		bf = bondFacts(p.cur, pr.host, pr.bond)
	}
	linux := bf != nil && (bf.Bond.Kind == "" || bf.Bond.Kind == topology.BondKindLinux)
	params := func(why string, c topology.BondParamsChange) ([]candidate, string) {
		if !linux {
			return nil, "only a Linux bond's parameters are in the plan vocabulary"
		}
		c.Host, c.Bond = pr.host, pr.bond
		return []candidate{{changes: []topology.Change{{BondParams: &c}}, host: 1, what: "bond_params", why: why}}, ""
	}
	miimon := func(v int) *int { return &v }
	switch rule {
	case "map.unmapped-slave":
		var nics []string
		for _, f := range fs {
			nics = append(nics, f.NIC)
		}
		return nil, fmt.Sprintf("%s's switch port is unknown: map it first (LLDP on the host and the switch, the switch in the site); a fix for this bond's switch side would be a guess", strings.Join(nics, ", "))
	case "bond.no-link-monitor", "bond.arp-no-targets", "bond.arp-monitor-in-bridge", "bond.arp-monitor-wrong-mode":
		return params("MII monitoring every 100 ms (turns ARP monitoring off)", topology.BondParamsChange{Miimon: miimon(100)})
	case "bond.lacp-rate-slow":
		return params("fast LACPDUs: a dead partner is noticed in 3 s", topology.BondParamsChange{LACPRate: "fast"})
	case "bond.hash-layer2":
		return params("hash on addresses and ports: traffic to one gateway uses every link", topology.BondParamsChange{XmitHashPolicy: "layer3+4"})
	case "bond.delay-not-multiple":
		if bf == nil {
			return nil, "the bond is not in the site"
		}
		b := bf.Bond
		g := gcd(gcd(b.MIIMon, b.UpDelay), b.DownDelay)
		if g < 10 {
			return nil, fmt.Sprintf("updelay %d and downdelay %d have no common divisor of at least 10 ms to poll at: set them to multiples of miimon (the plan vocabulary has no updelay or downdelay)", b.UpDelay, b.DownDelay)
		}
		return params(fmt.Sprintf("miimon %d ms divides updelay %d and downdelay %d", g, b.UpDelay, b.DownDelay), topology.BondParamsChange{Miimon: miimon(g)})
	case "bond.alb-in-bridge", "bond.mode-in-bridge":
		if bf == nil || !linux {
			return nil, "only a Linux bond's mode is in the plan vocabulary"
		}
		return p.shapes(bf, true)
	case "lacp.shared-partner":
		if bf == nil {
			return nil, "the bond is not in the site"
		}
		return p.ownLAG(bf)
	case "lag.foreign-member":
		return p.dropForeign(pr, fs)
	case "lacp.both-passive":
		return p.activeLAGs(fs)
	case "link.mtu-too-small":
		return p.mtus(bf, fs)
	case "vlan.member-mismatch":
		return p.sameVLANs(bf)
	case "vlan.host-vlan-not-carried":
		return p.carryVLANs(bf, fs)
	case "independent.switch-aggregated":
		for _, f := range fs {
			if f.Switch == "" || p.cur.Switch(f.Switch) == nil {
				return nil, "the switch port was not read (the host heard it aggregate): read the switch first"
			}
		}
	}
	if r, ok := unfixable[rule]; ok {
		return nil, r
	}
	if rank(rule) == 1 && bf != nil {
		if strings.HasPrefix(rule, "lag.") || strings.HasPrefix(rule, "switch.mlag") {
			return p.ownShape(bf)
		}
		return p.shapes(bf, false)
	}
	if bf == nil {
		return nil, "no change in the plan vocabulary fixes it on its own: it follows from a bond's problem or needs a person"
	}
	return nil, "no change in the plan vocabulary fixes it"
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func bondFacts(m *topology.Model, host, bond string) *topology.BondFacts {
	h := m.Host(host)
	if h == nil {
		return nil
	}
	fs := h.BondFacts()
	for i := range fs {
		if fs[i].Bond.Name == bond {
			return &fs[i]
		}
	}
	return nil
}

// shape is a bond mode with the switch side its class needs.
type shape struct {
	mode  topology.BondMode
	class topology.Class
	kind  topology.LAGKind // for lacp and static
}

var shapes = []shape{
	{topology.ModeActiveBackup, topology.ClassIndependent, ""},
	{topology.Mode8023AD, topology.ClassLACP, topology.LAGLACP},
	{topology.ModeBalanceXOR, topology.ClassStatic, topology.LAGStatic},
}

// shapes are the candidates that make a bond and its switch ports agree:
// the switch side made to match the bond's class, and for a Linux bond
// each other mode with the switch side it needs. newMode: the bond's own
// mode is the problem (only other modes).
func (p *planner) shapes(bf *topology.BondFacts, newMode bool) ([]candidate, string) {
	linux := bf.Bond.Kind == "" || bf.Bond.Kind == topology.BondKindLinux
	var out []candidate
	var why []string
	cur := bf.Bond.Mode.LinuxName()
	for _, s := range shapes {
		same := s.class == bf.Class
		if newMode && (!linux || cur == s.mode) || !same && !linux {
			continue
		}
		sw, reason := p.switchSide(bf, s)
		if reason != "" {
			why = append(why, fmt.Sprintf("for %s: %s", s.mode, reason))
			continue
		}
		c := candidate{changes: sw, sw: len(sw)}
		if !same || newMode {
			c.changes = append([]topology.Change{{BondMode: &topology.BondModeChange{Host: bf.Host.Name, Bond: bf.Bond.Name, Mode: s.mode}}}, sw...)
			c.host = 1
			c.what = fmt.Sprintf("%s %s", bf.Bond.Name, s.mode)
			c.why = fmt.Sprintf("%s becomes %s", bf.Bond.Name, s.mode)
			if len(sw) > 0 {
				c.why += " and its switch ports " + describeSide(s)
			}
		} else {
			if len(sw) == 0 {
				continue // the switch side matches already: not this
			}
			c.what = "the switch ports " + describeSide(s)
			c.why = fmt.Sprintf("%s stays %s; its switch ports %s", bf.Bond.Name, bf.Bond.Mode, describeSide(s))
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, "no bond mode and switch side agree: " + strings.Join(why, "; ")
	}
	return out, ""
}

// ownShape is the switch side the bond's own class needs, without a mode
// change: for the port-channel rules (a member outside the LAG, MLAG IDs
// that differ), where a mode change would trade a working bundle for a
// symptom of a down link.
func (p *planner) ownShape(bf *topology.BondFacts) ([]candidate, string) {
	for _, s := range shapes {
		if s.class != bf.Class {
			continue
		}
		sw, reason := p.switchSide(bf, s)
		if reason != "" {
			return nil, reason
		}
		if len(sw) == 0 {
			return nil, "the port-channels already match the bond: a member or peer is down or cabled to something else, which a person must look at"
		}
		return []candidate{{changes: sw, sw: len(sw), what: "the switch ports " + describeSide(s),
			why: fmt.Sprintf("%s stays %s; its switch ports %s", bf.Bond.Name, bf.Bond.Mode, describeSide(s))}}, ""
	}
	return nil, "the bond's mode has no known switch side"
}

func describeSide(s shape) string {
	if s.class == topology.ClassIndependent {
		return "become plain ports (out of any port-channel)"
	}
	return "become one " + string(s.kind) + " port-channel"
}

// slavePorts is where each slave of a bond lands; an error when one is
// not known (unmapped, switch not read, port not listed).
func slavePorts(bf *topology.BondFacts) ([]*topology.SlaveFacts, string) {
	var out []*topology.SlaveFacts
	for i := range bf.Slaves {
		sf := &bf.Slaves[i]
		if sf.Link == nil || sf.Switch == nil || sf.Switch.Unreachable || sf.Port == nil {
			return nil, fmt.Sprintf("%s's switch port is not known", sf.Slave.Name)
		}
		out = append(out, sf)
	}
	return out, ""
}

// switchSide is the switch changes that give a bond's ports the shape s
// needs: plain ports for independent modes; one LAG of s.kind per switch,
// one MLAG port-channel (one MLAG ID) across the switches of a domain,
// for the others.
func (p *planner) switchSide(bf *topology.BondFacts, s shape) ([]topology.Change, string) {
	sls, reason := slavePorts(bf)
	if reason != "" {
		return nil, reason
	}
	bySwitch := map[string][]*topology.SlaveFacts{}
	for _, sf := range sls {
		bySwitch[sf.Switch.Name] = append(bySwitch[sf.Switch.Name], sf)
	}
	names := slices.Sorted(maps.Keys(bySwitch))
	var out []topology.Change
	if s.class == topology.ClassIndependent {
		for _, sw := range names {
			byLAG := map[string][]string{}
			for _, sf := range bySwitch[sw] {
				if sf.LAG != nil {
					byLAG[sf.LAG.Name] = append(byLAG[sf.LAG.Name], sf.Port.Name)
				}
			}
			for _, l := range slices.Sorted(maps.Keys(byLAG)) {
				out = append(out, topology.Change{LAGRemove: &topology.LAGChange{Switch: sw, LAG: l, Ports: byLAG[l]}})
			}
		}
		return out, ""
	}
	for _, sw := range names[1:] {
		if !p.cur.SameDomain(names[0], sw) {
			return nil, fmt.Sprintf("its slaves land on %s, which are not one MLAG pair or stack (the plan vocabulary cannot make them one)", strings.Join(names, " and "))
		}
	}
	// the LAG per switch: the one holding most of the bond's ports, else a new one
	type target struct {
		sw   *topology.SwitchNode
		lag  *topology.LAG
		name string
	}
	var ts []target
	for _, sw := range names {
		sfs := bySwitch[sw]
		node := sfs[0].Switch
		var best *topology.LAG
		count := map[*topology.LAG]int{}
		for _, sf := range sfs {
			if sf.LAG != nil {
				count[sf.LAG]++
				if best == nil || count[sf.LAG] > count[best] {
					best = sf.LAG
				}
			}
		}
		// a LAG that also holds other hosts' ports is not the bond's own
		if best != nil && p.foreignIn(node, best, bf.Host.Name) {
			best = nil
		}
		t := target{sw: node, lag: best}
		if best != nil {
			t.name = best.Name
		}
		ts = append(ts, t)
	}
	// new LAGs: one name for all (the same port-channel number on MLAG peers)
	var fresh []*topology.SwitchNode
	for _, t := range ts {
		if t.lag == nil {
			fresh = append(fresh, t.sw)
		}
	}
	if len(fresh) > 0 {
		name := newLAGName(fresh, bySwitch[fresh[0].Name][0].Port.Name)
		for i := range ts {
			if ts[i].lag == nil {
				ts[i].name = name
			}
		}
	}
	for _, t := range ts {
		var add []string
		for _, sf := range bySwitch[t.sw.Name] {
			if sf.LAG != t.lag || t.lag == nil {
				add = append(add, sf.Port.Name)
			}
		}
		switch {
		case t.lag == nil:
			out = append(out, topology.Change{LAGAdd: &topology.LAGChange{Switch: t.sw.Name, LAG: t.name, Kind: s.kind, Ports: add}})
		default:
			if len(add) > 0 {
				out = append(out, topology.Change{LAGAdd: &topology.LAGChange{Switch: t.sw.Name, LAG: t.name, Ports: add}})
			}
			if t.lag.Kind != s.kind {
				out = append(out, topology.Change{LAGKind: &topology.LAGKindChange{Switch: t.sw.Name, LAG: t.name, Kind: s.kind}})
			}
		}
	}
	// across a domain: one MLAG ID on every switch's LAG, unless the
	// existing LAGs are known to be one MLAG port-channel already
	one := len(ts) > 1
	for _, t := range ts[1:] {
		one = one && t.lag != nil && ts[0].lag != nil && sameMLAG(ts[0].lag, t.lag)
	}
	if len(ts) > 1 && !one {
		id := 0
		for _, t := range ts {
			if t.lag != nil && t.lag.MLAGID > 0 && id == 0 {
				id = t.lag.MLAGID
			}
		}
		if id == 0 {
			id = p.freeMLAGID(ts[0].sw, ts[0].name)
		}
		for _, t := range ts {
			if t.lag == nil || t.lag.MLAGID != id {
				out = append(out, topology.Change{MLAG: &topology.MLAGChange{Switch: t.sw.Name, LAG: t.name, MLAGID: id}})
			}
		}
	}
	return out, ""
}

// sameMLAG reports whether two LAGs on MLAG peers are known to be one
// multi-chassis port-channel (as the rules read it: one MLAG ID, else one
// LACP system and key, else both marked multi-chassis).
func sameMLAG(a, b *topology.LAG) bool {
	switch {
	case a.MLAGID != 0 || b.MLAGID != 0:
		return a.MLAGID == b.MLAGID
	case a.ActorSystem != "" && b.ActorSystem != "" && a.ActorKey != 0 && b.ActorKey != 0:
		return a.ActorSystem == b.ActorSystem && a.ActorKey == b.ActorKey
	}
	return a.MLAG != "" && b.MLAG != ""
}

// foreignIn reports whether a LAG holds a port cabled to another host or
// a switch.
func (p *planner) foreignIn(sw *topology.SwitchNode, l *topology.LAG, host string) bool {
	for _, m := range l.Members {
		for _, lk := range p.cur.LinksOnPort(sw.Name, m) {
			if lk.Host != host {
				return true
			}
		}
	}
	return false
}

var trailingNumber = regexp.MustCompile(`^(.*?)(\d+)$`)

// lagPrefix is how a switch names its port-channels: from its LAGs, else
// its vendor family's habit.
func lagPrefix(sw *topology.SwitchNode) string {
	for _, l := range sw.LAGs {
		if m := trailingNumber.FindStringSubmatch(l.Name); m != nil && !strings.ContainsAny(m[1], "/:.") {
			return m[1]
		}
	}
	switch sw.Vendor {
	case "cisco-ios":
		return "Po"
	case "cisco-nxos":
		return "port-channel"
	case "junos":
		return "ae"
	}
	return "Port-Channel"
}

// newLAGName is a port-channel name free on every switch: the first
// port's number when free (Ethernet7 → Port-Channel7), else the lowest.
func newLAGName(sws []*topology.SwitchNode, firstPort string) string {
	prefix := lagPrefix(sws[0])
	free := func(n int) bool {
		name := prefix + strconv.Itoa(n)
		for _, sw := range sws {
			if sw.LAG(name) != nil || sw.Port(name) != nil {
				return false
			}
		}
		return true
	}
	if m := trailingNumber.FindStringSubmatch(firstPort); m != nil {
		if n, err := strconv.Atoi(m[2]); err == nil && n > 0 && n < 4096 && free(n) {
			return prefix + strconv.Itoa(n)
		}
	}
	start := 1
	if prefix == "ae" {
		start = 0
	}
	for n := start; ; n++ {
		if free(n) {
			return prefix + strconv.Itoa(n)
		}
	}
}

// freeMLAGID is an MLAG ID no LAG of the switch's domain uses: the LAG's
// number when free, else the lowest.
func (p *planner) freeMLAGID(sw *topology.SwitchNode, lag string) int {
	used := map[int]bool{}
	names := []string{sw.Name}
	if sw.Domain != nil {
		names = sw.Domain.Switches
	}
	for _, n := range names {
		if s := p.cur.Switch(n); s != nil {
			for _, l := range s.LAGs {
				used[l.MLAGID] = true
			}
		}
	}
	if m := trailingNumber.FindStringSubmatch(lag); m != nil {
		if n, err := strconv.Atoi(m[2]); err == nil && n > 0 && !used[n] {
			return n
		}
	}
	for n := 1; ; n++ {
		if !used[n] {
			return n
		}
	}
}

// ownLAG moves a bond's ports out of a port-channel it shares with
// another host into one of its own (lacp.shared-partner).
func (p *planner) ownLAG(bf *topology.BondFacts) ([]candidate, string) {
	sls, reason := slavePorts(bf)
	if reason != "" {
		return nil, reason
	}
	bySwitch := map[string][]*topology.SlaveFacts{}
	for _, sf := range sls {
		bySwitch[sf.Switch.Name] = append(bySwitch[sf.Switch.Name], sf)
	}
	var cs []topology.Change
	var fresh []*topology.SwitchNode
	for _, sw := range slices.Sorted(maps.Keys(bySwitch)) {
		fresh = append(fresh, bySwitch[sw][0].Switch)
	}
	name := newLAGName(fresh, sls[0].Port.Name)
	for _, sw := range fresh {
		var ports []string
		for _, sf := range bySwitch[sw.Name] {
			ports = append(ports, sf.Port.Name)
		}
		cs = append(cs, topology.Change{LAGAdd: &topology.LAGChange{Switch: sw.Name, LAG: name, Kind: topology.LAGLACP, Ports: ports}})
	}
	if len(fresh) > 1 {
		id := p.freeMLAGID(fresh[0], name)
		for _, sw := range fresh {
			cs = append(cs, topology.Change{MLAG: &topology.MLAGChange{Switch: sw.Name, LAG: name, MLAGID: id}})
		}
	}
	return []candidate{{changes: cs, sw: len(cs), what: "a port-channel of its own",
		why: fmt.Sprintf("%s %s gets a port-channel of its own (%s)", bf.Host.Name, bf.Bond.Name, name)}}, ""
}

// dropForeign takes the ports cabled to another device out of the bond's
// LAG (lag.foreign-member).
func (p *planner) dropForeign(pr *problem, fs []rules.Finding) ([]candidate, string) {
	var cs []topology.Change
	for _, f := range fs {
		sw := p.cur.Switch(f.Switch)
		if sw == nil {
			return nil, "the switch is not in the site"
		}
		l := sw.LAG(f.Port)
		if l == nil {
			return nil, fmt.Sprintf("%s has no LAG %s", f.Switch, f.Port)
		}
		var ports []string
		for _, m := range l.Members {
			foreign := false
			for _, lk := range p.cur.LinksOnPort(sw.Name, m) {
				foreign = foreign || lk.Host != pr.host
			}
			for _, u := range p.cur.Uplinks {
				foreign = foreign || (u.A == sw.Name && topology.NormalizePortName(u.APort) == topology.NormalizePortName(m)) ||
					(u.B == sw.Name && topology.NormalizePortName(u.BPort) == topology.NormalizePortName(m))
			}
			if foreign {
				ports = append(ports, m)
			}
		}
		if len(ports) == 0 {
			return nil, "no foreign member found"
		}
		cs = append(cs, topology.Change{LAGRemove: &topology.LAGChange{Switch: sw.Name, LAG: l.Name, Ports: ports}})
	}
	return []candidate{{changes: cs, sw: len(cs), what: "foreign members out",
		why: "the ports cabled to other devices leave the bond's port-channel (give them their own)"}}, ""
}

// activeLAGs makes the switch end of the LAGs with a passive member
// active (lacp.both-passive): the plan vocabulary has no lacp_active for
// hosts.
func (p *planner) activeLAGs(fs []rules.Finding) ([]candidate, string) {
	var cs []topology.Change
	seen := map[*topology.LAG]bool{}
	for _, f := range fs {
		sw := p.cur.Switch(f.Switch)
		if sw == nil {
			continue
		}
		if l := sw.LAGOf(f.Port); l != nil && !seen[l] {
			seen[l] = true
			cs = append(cs, topology.Change{LAGKind: &topology.LAGKindChange{Switch: sw.Name, LAG: l.Name, Kind: topology.LAGLACP}})
		}
	}
	if len(cs) == 0 {
		return nil, "the passive ports are in no known LAG"
	}
	return []candidate{{changes: cs, sw: len(cs), what: "LACP active on the switch",
		why: "the switch ports run LACP active, so one end starts the negotiation"}}, ""
}

// bondMTUNeed is the MTU the switch ports under a bond need: the bond's
// (+4 with VLANs on it).
func bondMTUNeed(bf *topology.BondFacts) int {
	mtu := bf.Bond.MTU
	if mtu <= 0 {
		for _, sf := range bf.Slaves {
			if sf.NIC != nil && sf.NIC.MTU > 0 {
				mtu = sf.NIC.MTU
				break
			}
		}
	}
	for _, v := range bf.Host.VLANs {
		if v.Parent == bf.Bond.Name {
			return mtu + 4
		}
	}
	return mtu
}

// mtus raises the switch ports' MTU to the bond's (the port and its
// port-channel), or lowers the bond's to what the ports carry.
func (p *planner) mtus(bf *topology.BondFacts, fs []rules.Finding) ([]candidate, string) {
	if bf == nil {
		return nil, "the bond is not in the site"
	}
	need := bondMTUNeed(bf)
	var sw []topology.Change
	low := 0
	seen := map[string]bool{}
	add := func(s, port string, mtu int) {
		if port == "" || seen[s+"\x00"+port] {
			return
		}
		seen[s+"\x00"+port] = true
		if mtu < need {
			sw = append(sw, topology.Change{MTU: &topology.MTUChange{Switch: s, Port: port, MTU: need}})
		}
	}
	for i := range bf.Slaves {
		sf := &bf.Slaves[i]
		if sf.Port == nil || sf.Switch == nil {
			continue
		}
		for _, f := range fs {
			if f.NIC == sf.Slave.Name {
				pm := sf.Port.MTU
				if sf.LAG != nil {
					if lp := sf.Switch.Port(sf.LAG.Name); lp != nil {
						add(sf.Switch.Name, lp.Name, lp.MTU)
						if pm <= 0 {
							pm = lp.MTU
						}
					}
				}
				if sf.Port.MTU > 0 {
					add(sf.Switch.Name, sf.Port.Name, sf.Port.MTU)
				}
				if pm > 0 && (low == 0 || pm < low) {
					low = pm
				}
			}
		}
	}
	var out []candidate
	if len(sw) > 0 {
		out = append(out, candidate{changes: sw, sw: len(sw), what: fmt.Sprintf("switch MTU %d", need),
			why: fmt.Sprintf("the switch ports under %s carry its MTU (%d)", bf.Bond.Name, need)})
	}
	if low > 0 {
		hostMTU := low
		if hasVLANs(bf) {
			hostMTU = low - 4
		}
		if hostMTU >= 1500 {
			out = append(out, candidate{changes: []topology.Change{{MTU: &topology.MTUChange{Host: bf.Host.Name, NIC: bf.Bond.Name, MTU: hostMTU}}},
				host: 1, penalty: 2, what: fmt.Sprintf("bond MTU %d", hostMTU),
				why: fmt.Sprintf("%s's MTU comes down to what its switch ports carry (%d): fewer jumbo frames", bf.Bond.Name, hostMTU)})
		}
	}
	if len(out) == 0 {
		return nil, "no port MTU to change was found"
	}
	return out, ""
}

func hasVLANs(bf *topology.BondFacts) bool {
	for _, v := range bf.Host.VLANs {
		if v.Parent == bf.Bond.Name {
			return true
		}
	}
	return false
}

// vlanPort is the interface whose VLANs apply to a slave (the rules'
// choice): the port-channel when it has VLANs, else the port.
func vlanPort(sf *topology.SlaveFacts) *topology.Port {
	if sf.Switch == nil || sf.Port == nil || sf.Switch.Unreachable || !sf.Switch.VLANsKnown {
		return nil
	}
	if sf.LAG != nil {
		if lp := sf.Switch.Port(sf.LAG.Name); lp != nil && (lp.PVID > 0 || len(lp.Tagged)+len(lp.Untagged) > 0) {
			return lp
		}
	}
	return sf.Port
}

// sameVLANs gives every port under a bond the VLANs most of them have
// (the first port's on a tie), with the tagged VLANs of all of them
// (vlan.member-mismatch): no VLAN a port carries today is taken away.
func (p *planner) sameVLANs(bf *topology.BondFacts) ([]candidate, string) {
	if bf == nil {
		return nil, "the bond is not in the site"
	}
	type at struct {
		sw string
		p  *topology.Port
	}
	var ports []at
	seen := map[*topology.Port]bool{}
	for i := range bf.Slaves {
		if vp := vlanPort(&bf.Slaves[i]); vp != nil && !seen[vp] {
			seen[vp] = true
			ports = append(ports, at{bf.Slaves[i].Switch.Name, vp})
		}
	}
	if len(ports) < 2 {
		return nil, "the ports' VLANs are not known"
	}
	pvids := map[int]int{}
	tagged := map[int]bool{}
	for _, x := range ports {
		pvids[x.p.PVID]++
		for _, t := range x.p.Tagged {
			tagged[t] = true
		}
	}
	pvid := ports[0].p.PVID
	for _, x := range ports {
		if pvids[x.p.PVID] > pvids[pvid] {
			pvid = x.p.PVID
		}
	}
	delete(tagged, pvid)
	want := slices.Sorted(maps.Keys(tagged))
	var cs []topology.Change
	for _, x := range ports {
		if x.p.PVID != pvid || !slices.Equal(x.p.Tagged, want) || !slices.Equal(x.p.Untagged, untagged(pvid)) {
			cs = append(cs, topology.Change{VLANs: &topology.VLANChange{Switch: x.sw, Port: x.p.Name, PVID: pvid, Tagged: want}})
		}
	}
	if len(cs) == 0 {
		return nil, "the ports already agree"
	}
	return []candidate{{changes: cs, sw: len(cs), what: "one VLAN set",
		why: fmt.Sprintf("every port under %s carries native VLAN %d and tagged %s (all the VLANs any of them carried)", bf.Bond.Name, pvid, vlanText(want))}}, ""
}

func untagged(pvid int) []int {
	if pvid > 0 {
		return []int{pvid}
	}
	return nil
}

func vlanText(v []int) string {
	if len(v) == 0 {
		return "none"
	}
	var s []string
	for _, x := range v {
		s = append(s, strconv.Itoa(x))
	}
	return strings.Join(s, ",")
}

// carryVLANs adds the host's VLANs, tagged, to the ports that miss them
// (vlan.host-vlan-not-carried); a VLAN that is the port's native VLAN is
// left to a person (which native VLAN instead is a choice).
func (p *planner) carryVLANs(bf *topology.BondFacts, fs []rules.Finding) ([]candidate, string) {
	if bf == nil {
		return nil, "the bond is not in the site"
	}
	var ids []int
	for _, v := range bf.Host.VLANs {
		if v.Parent == bf.Bond.Name && v.ID > 0 {
			ids = append(ids, v.ID)
		}
	}
	var cs []topology.Change
	seen := map[*topology.Port]bool{}
	for i := range bf.Slaves {
		sf := &bf.Slaves[i]
		vp := vlanPort(sf)
		if vp == nil || seen[vp] {
			continue
		}
		seen[vp] = true
		tagged := slices.Clone(vp.Tagged)
		for _, id := range ids {
			if id == vp.PVID || slices.Contains(vp.Untagged, id) {
				return nil, fmt.Sprintf("VLAN %d is %s %s's native VLAN: moving the native VLAN is a person's choice", id, sf.Switch.Name, vp.Name)
			}
			if !slices.Contains(tagged, id) {
				tagged = append(tagged, id)
			}
		}
		if len(tagged) != len(vp.Tagged) {
			slices.Sort(tagged)
			cs = append(cs, topology.Change{VLANs: &topology.VLANChange{Switch: sf.Switch.Name, Port: vp.Name, PVID: vp.PVID, Tagged: tagged}})
		}
	}
	if len(cs) == 0 {
		return nil, "no port to change was found"
	}
	return []candidate{{changes: cs, sw: len(cs), what: "the host's VLANs tagged",
		why: fmt.Sprintf("the switch ports under %s carry VLAN %s tagged", bf.Bond.Name, vlanText(ids))}}, ""
}
