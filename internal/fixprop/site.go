// Package fixprop is the property harness of fix plans (issue 16, "Proof").
//
// It generates small sites with internal/sitegen, each fault planted on a
// bond alone or with others, on an MLAG pair, a switch stack or a single
// switch, renders them in the raw input formats and reads them back with
// the product's loader (collect.LoadSite, topology.Build). Property.Check
// then holds a fixer to its promise: its plan, applied with Model.Plan and
// judged again with the same rules and policy, leaves no error of a rule
// the fixer claims to fix and adds no error of any rule.
//
// Everything is deterministic: the same Case gives the same files, and
// Cases gives the same list for the same seed.
package fixprop

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// Shape is the switch side of a generated site.
type Shape string

const (
	// MLAG: two Arista leafs in an MLAG pair (leafa, leafb); a healthy
	// bond has one slave on each, in an MLAG LACP port-channel.
	MLAG Shape = "mlag"
	// Stack: one Cisco Catalyst stack (stack1) of two members; a healthy
	// bond has one slave on each member (Gi1/0/k, Gi2/0/k), in a
	// cross-stack LACP port-channel.
	Stack Shape = "stack"
	// Single: one Arista leaf (leaf1); a healthy bond is an LACP
	// port-channel on it (redundancy.single-switch, info, by construction).
	Single Shape = "single"
)

// Shapes lists every shape.
var Shapes = []Shape{MLAG, Stack, Single}

type lagKind int

const (
	lagLACP lagKind = iota
	lagStatic
	lagNone
)

// bondSpec is one host's bond0 and the switch ports under it.
type bondSpec struct {
	mode, lacpRate, hash string
	miimon, updelay      int
	lag                  lagKind
	half                 bool // the MLAG port-channel on the first peer only
	slaves               int
	down                 bool // the first slave has no carrier
	oneSide              bool // every slave on the first switch or member
	portMTU              int  // the switch ports' MTU (0: the switch's)
	slowSecond           bool // the second NIC is a slower model
	hostVLAN             bool // a VLAN interface on the bond the switch does not carry
	local                bool // MLAG: a local port-channel on each peer, not one MLAG port-channel
	bridge               bool // the bond is a port of a Linux bridge
	arpNoTargets         bool // ARP monitoring without targets instead of MII
}

func healthy() bondSpec {
	return bondSpec{mode: sitegen.Mode8023AD, lacpRate: "fast", hash: "layer3+4", miimon: 100, lag: lagLACP, slaves: 2}
}

// Fault is one thing wrong with a bond or its switch ports.
type Fault struct {
	Name string
	// Rules are rules that must fire when the fault is planted alone on a
	// healthy bond (a fault that fires none of them is not planted: the
	// harness's own test checks it).
	Rules []string
	// Shapes the fault can be planted on; nil: every shape.
	Shapes []Shape
	// Field groups faults that set the same thing (two of one field are
	// never combined on one bond).
	Field string
	apply func(*bondSpec)
}

// Faults is the catalogue, in a fixed order.
var Faults = []Fault{
	{Name: "lacp-no-lag", Field: "lag", Rules: []string{"lacp.switch-not-aggregated"}, apply: func(b *bondSpec) { b.lag = lagNone }},
	// lacp.switch-static-lag fires where the LAG-MIB tells a static LAG
	// (Arista), lacp.no-partner everywhere
	{Name: "lacp-static-lag", Field: "lag", Rules: []string{"lacp.no-partner"}, apply: func(b *bondSpec) { b.lag = lagStatic }},
	{Name: "half-mlag", Field: "lag", Shapes: []Shape{MLAG}, Rules: []string{"lacp.switch-not-aggregated", "lacp.aggregator-split"}, apply: func(b *bondSpec) { b.half = true }},
	{Name: "ab-on-lacp-lag", Field: "mode", Rules: []string{"independent.switch-aggregated"}, apply: func(b *bondSpec) {
		b.mode, b.lacpRate, b.hash = sitegen.ModeAB, "", ""
	}},
	{Name: "xor-no-lag", Field: "mode", Rules: []string{"static.switch-not-aggregated"}, apply: func(b *bondSpec) {
		b.mode, b.lacpRate, b.hash, b.lag = sitegen.ModeXOR, "", "layer2+3", lagNone
	}},
	{Name: "rr-on-lacp-lag", Field: "mode", Rules: []string{"static.switch-lacp-lag"}, apply: func(b *bondSpec) {
		b.mode, b.lacpRate, b.hash = sitegen.ModeRR, "", ""
	}},
	{Name: "lacp-rate-slow", Field: "rate", Rules: []string{"bond.lacp-rate-slow"}, apply: func(b *bondSpec) { b.lacpRate = "slow" }},
	{Name: "hash-layer2", Field: "hash", Rules: []string{"bond.hash-layer2"}, apply: func(b *bondSpec) { b.hash = "layer2" }},
	{Name: "no-link-monitor", Field: "miimon", Rules: []string{"bond.no-link-monitor"}, apply: func(b *bondSpec) { b.miimon = 0 }},
	{Name: "delay-not-multiple", Field: "delay", Rules: []string{"bond.delay-not-multiple"}, apply: func(b *bondSpec) { b.updelay = 150 }},
	{Name: "slave-down", Field: "down", Rules: []string{"bond.slave-down"}, apply: func(b *bondSpec) { b.down = true }},
	{Name: "single-slave", Field: "slaves", Rules: []string{"bond.single-slave"}, apply: func(b *bondSpec) { b.slaves = 1 }},
	{Name: "one-switch", Field: "side", Shapes: []Shape{MLAG}, Rules: []string{"redundancy.single-switch"}, apply: func(b *bondSpec) { b.oneSide = true }},
	{Name: "one-member", Field: "side", Shapes: []Shape{Stack}, Rules: []string{"redundancy.single-module"}, apply: func(b *bondSpec) { b.oneSide = true }},
	{Name: "mtu-too-small", Field: "mtu", Rules: []string{"link.mtu-too-small"}, apply: func(b *bondSpec) { b.portMTU = 1500 }},
	{Name: "speed-mismatch", Field: "speed", Rules: []string{"bond.speed-mismatch"}, apply: func(b *bondSpec) { b.slowSecond = true }},
	{Name: "mlag-not-configured", Field: "lag", Shapes: []Shape{MLAG}, Rules: []string{"lacp.aggregator-split"}, apply: func(b *bondSpec) { b.local = true }},
	{Name: "alb-in-bridge", Field: "mode", Rules: []string{"bond.alb-in-bridge"}, apply: func(b *bondSpec) {
		b.mode, b.lacpRate, b.hash, b.lag, b.bridge = sitegen.ModeALB, "", "", lagNone, true
	}},
	{Name: "arp-no-targets", Field: "miimon", Rules: []string{"bond.arp-no-targets"}, apply: func(b *bondSpec) { b.miimon, b.arpNoTargets = 0, true }},
	{Name: "vlan-not-carried", Field: "vlan", Rules: []string{"vlan.host-vlan-not-carried"}, apply: func(b *bondSpec) { b.hostVLAN = true }},
}

// FaultByName returns the catalogue's fault of that name.
func FaultByName(name string) (Fault, bool) {
	i := slices.IndexFunc(Faults, func(f Fault) bool { return f.Name == name })
	if i < 0 {
		return Fault{}, false
	}
	return Faults[i], true
}

// fits reports whether f can be planted on shape s.
func (f Fault) fits(s Shape) bool { return f.Shapes == nil || slices.Contains(f.Shapes, s) }

// Case is one generated site: a shape and, per host (h1, h2, …), the
// faults planted on its bond0 (none: a healthy bond).
type Case struct {
	Shape Shape
	Hosts [][]string
}

// Name is the case's name: shape/h1faults/h2faults/… ("-" for healthy).
func (c Case) Name() string {
	parts := []string{string(c.Shape)}
	for _, h := range c.Hosts {
		if len(h) == 0 {
			parts = append(parts, "-")
		} else {
			parts = append(parts, strings.Join(h, "+"))
		}
	}
	return strings.Join(parts, "/")
}

// Files renders the case's site in the raw input formats (hosts/NAME/
// capture folders, switches/NAME.snmprec), ready for collect.LoadSite.
func (c Case) Files() (fstest.MapFS, error) {
	s, err := c.generate()
	if err != nil {
		return nil, err
	}
	fsys := fstest.MapFS{}
	for _, sw := range s.Switches {
		fsys[path.Join("switches", sw.Name+".snmprec")] = &fstest.MapFile{Data: sitegen.AppendSnmprec(nil, sw), Mode: 0o644}
	}
	for _, h := range s.Hosts {
		dir := path.Join("hosts", h.Name)
		fsys[path.Join(dir, "hostname")] = &fstest.MapFile{Data: []byte(h.Name + "\n"), Mode: 0o644}
		fsys[path.Join(dir, "ip-link.json")] = &fstest.MapFile{Data: append(sitegen.AppendIPLinkJSON(nil, h), '\n'), Mode: 0o644}
		for _, b := range h.Bonds {
			fsys[path.Join(dir, "bonding", b.Name)] = &fstest.MapFile{Data: sitegen.AppendProcBonding(nil, b), Mode: 0o644}
		}
		fsys[path.Join(dir, "lldp.json")] = &fstest.MapFile{Data: sitegen.AppendLLDPJSON0(nil, h), Mode: 0o644}
	}
	return fsys, nil
}

// Model generates the case's site, reads it back with the product's
// loader and joins it.
func (c Case) Model() (*topology.Model, error) {
	fsys, err := c.Files()
	if err != nil {
		return nil, err
	}
	site, err := collect.LoadSite(fsys, c.Name(), collect.LoadOptions{Workers: 1})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name(), err)
	}
	if len(site.Problems) > 0 {
		return nil, fmt.Errorf("%s: generated files not read: %s", c.Name(), strings.Join(topology.ProblemTexts(site.Problems), "; "))
	}
	return topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
}

// hostVLAN is the VLAN every bond's untagged traffic is in; badVLAN the
// one a vlan-not-carried bond adds.
const hostVLAN, badVLAN = 100, 300

// generate builds and resolves the case's sitegen model.
func (c Case) generate() (*sitegen.Site, error) {
	s := &sitegen.Site{}
	var a, b *sitegen.Switch // b: the MLAG peer
	nic := sitegen.ConnectX25G
	slow := sitegen.NICSpec{Speed: 10000, Driver: "i40e", MaxMTU: 9702}
	switch c.Shape {
	case MLAG:
		a = s.NewSwitch(sitegen.SwitchSpec{Name: "leafa", Vendor: sitegen.Arista, ID: 1})
		b = s.NewSwitch(sitegen.SwitchSpec{Name: "leafb", Vendor: sitegen.Arista, ID: 2})
	case Stack:
		a = s.NewSwitch(sitegen.SwitchSpec{Name: "stack1", Vendor: sitegen.CiscoIOS, ID: 3, MTU: 9198})
		nic, slow = sitegen.I350, sitegen.NICSpec{Speed: 100, Driver: "e100", MaxMTU: 9216}
	case Single:
		a = s.NewSwitch(sitegen.SwitchSpec{Name: "leaf1", Vendor: sitegen.Arista, ID: 4})
	default:
		return nil, fmt.Errorf("fixprop: unknown shape %q", c.Shape)
	}
	for _, sw := range []*sitegen.Switch{a, b} {
		if sw != nil {
			sw.VLANs = true
		}
	}
	port := func(i int, oneSide bool) *sitegen.Port {
		side := i % 2
		if oneSide {
			side = 0
		}
		switch {
		case c.Shape == Stack:
			return a.AddStackPort(1 + side)
		case b != nil && side == 1:
			return b.AddPort()
		}
		return a.AddPort()
	}
	po := 0
	for j, faults := range c.Hosts {
		spec := healthy()
		for _, name := range faults {
			f, ok := FaultByName(name)
			if !ok || !f.fits(c.Shape) {
				return nil, fmt.Errorf("fixprop: fault %q does not fit shape %s", name, c.Shape)
			}
			f.apply(&spec)
		}
		h := s.NewHost(fmt.Sprintf("h%d", j+1), sitegen.Debian12)
		var nics []*sitegen.NIC
		var ports []*sitegen.Port
		for i := range spec.slaves {
			p := port(i, spec.oneSide)
			if spec.portMTU > 0 {
				p.MTU = spec.portMTU
			}
			p.PVID = hostVLAN
			p.Tagged = nil
			model := nic
			if i == 1 && spec.slowSecond {
				model = slow
			}
			mac := sitegen.MACFromUint64(0xb8cef6000000 | uint64(j)<<4 | uint64(i))
			n := h.AddNIC(fmt.Sprintf("eth%d", i), model, mac, "", p)
			n.Down = i == 0 && spec.down
			p.Alias = h.Name + " " + n.Name
			nics, ports = append(nics, n), append(ports, p)
		}
		bond := &sitegen.Bond{Name: "bond0", Mode: spec.mode, MIIMon: spec.miimon, UpDelay: spec.updelay,
			LACPRate: spec.lacpRate, XmitHashPolicy: spec.hash, MTU: 9000}
		if spec.hostVLAN {
			bond.VLANs = []int{badVLAN}
		}
		if spec.arpNoTargets {
			bond.ARPInterval = 1000
		}
		if spec.lag != lagNone {
			po++
			var mine, peer []*sitegen.Port
			for _, p := range ports {
				if p.Switch == a {
					mine = append(mine, p)
				} else {
					peer = append(peer, p)
				}
			}
			lacp := spec.lag == lagLACP
			a.AddLAG(po, lacp, b != nil && !spec.local, hostVLAN, mine...).Alias = h.Name + " bond0"
			if b != nil && !spec.half {
				b.AddLAG(po, lacp, !spec.local, hostVLAN, peer...).Alias = h.Name + " bond0"
			}
		}
		h.AddBond(bond, nics...)
		if spec.bridge {
			h.AddBridge("br0", bond)
		}
	}
	if c.Shape == Stack {
		// spare ports on both members: the stack spans two modules even
		// when every bond sits on one
		a.AddStackPort(1)
		a.AddStackPort(2)
	}
	if b != nil {
		var ap, bp []*sitegen.Port
		for range 2 {
			p, q := a.AddPort(), b.AddPort()
			p.Speed, q.Speed = 100000, 100000
			ap, bp = append(ap, p), append(bp, q)
		}
		sitegen.PairMLAG(a, b, sitegen.MACFromUint64(0x021c73000001), 1000, ap, bp)
	}
	if err := s.Resolve(); err != nil {
		return nil, fmt.Errorf("fixprop: %s: %w", c.Name(), err)
	}
	return s, nil
}
