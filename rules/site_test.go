package rules

// The one place the rule table tests (rules_test.go) build their inputs:
// small hand-written host and switch snapshots, the stable input of the
// pipeline, joined by topology.Build exactly as an audit joins them. Modes,
// states and kinds are written as the strings the collectors write.

import (
	"fmt"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/topology"
)

// site is a site under construction.
type site struct {
	hosts    []*topology.Host
	switches []*topology.Switch
	// sys is the LACP system ID each switch sends (MLAG peers share one).
	sys  map[string]string
	macs int
	// prev is the previous run's inventory (Model.Previous), nil for none.
	prev *topology.Inventory
}

func newSite() *site { return &site{sys: map[string]string{}} }

// mac hands out a fresh locally administered MAC address.
func (s *site) mac() string {
	s.macs++
	return fmt.Sprintf("02:00:00:00:%02x:%02x", s.macs>>8, s.macs&0xff)
}

// sw adds a reachable switch with the named ports: up, 10G, MTU 9216.
func (s *site) sw(name string, ports ...string) *topology.Switch {
	x := &topology.Switch{Name: name, Vendor: "test", Source: "walks/" + name + ".snmprec"}
	for i, p := range ports {
		x.Ports = append(x.Ports, topology.Port{Name: p, IfIndex: i + 1, Type: "ethernet", Speed: 10000, MTU: 9216, Admin: "up", Oper: "up"})
	}
	s.switches = append(s.switches, x)
	s.sys[name] = fmt.Sprintf("02:00:00:00:ff:%02x", len(s.switches))
	return x
}

// switchNamed returns a switch added with sw.
func (s *site) switchNamed(name string) *topology.Switch {
	for _, x := range s.switches {
		if x.Name == name {
			return x
		}
	}
	panic("no switch " + name)
}

// port returns a switch port (valid until the next port is added).
func (s *site) port(sw, port string) *topology.Port {
	x := s.switchNamed(sw)
	for i := range x.Ports {
		if x.Ports[i].Name == port {
			return &x.Ports[i]
		}
	}
	panic("no port " + sw + " " + port)
}

// lag puts members into a LAG of the given kind ("lacp", "static") and adds
// the LAG's own interface (up, MTU 9216).
func (s *site) lag(sw, name string, kind topology.LAGKind, members ...string) *topology.LAG {
	x := s.switchNamed(sw)
	x.Ports = append(x.Ports, topology.Port{Name: name, IfIndex: 1000 + len(x.LAGs), Type: "lag", Speed: 10000 * len(members), MTU: 9216, Admin: "up", Oper: "up"})
	x.LAGs = append(x.LAGs, topology.LAG{Name: name, IfIndex: 1000 + len(x.LAGs), Kind: kind, Members: members, Oper: "up"})
	return &x.LAGs[len(x.LAGs)-1]
}

// mlag declares two switches MLAG peers; bonds added afterwards see them as
// one LACP partner system.
func (s *site) mlag(a, b string) {
	s.switchNamed(a).MLAG = &topology.MLAG{Kind: "mlag", Domain: "pair", Peer: b}
	s.switchNamed(b).MLAG = &topology.MLAG{Kind: "mlag", Domain: "pair", Peer: a}
	s.sys[b] = s.sys[a]
}

// hostNamed returns the host, added on first use.
func (s *site) hostNamed(name string) *topology.Host {
	for _, h := range s.hosts {
		if h.Name == name {
			return h
		}
	}
	h := &topology.Host{Name: name, Source: "hosts/" + name}
	s.hosts = append(s.hosts, h)
	return h
}

// full is the LACP state of a port that is in the bundle.
const full = topology.LACPActivity | topology.LACPAggregation | topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing

// bond adds a healthy bond to a host: miimon 100, slaves up at 10G full
// duplex, each NIC with its own permanent MAC and driver ixgbe. Each slave
// is given as "nic switch port", cabled by LLDP the host hears from that
// switch port, or as "nic" alone, heard from nothing (unmapped). An 802.3ad
// bond runs lacp_rate fast and layer3+4, and each slave is in sync with the
// switch's LACP system (key 10) in aggregator 1.
func (s *site) bond(host, name string, mode topology.BondMode, slaves ...string) *topology.Bond {
	h := s.hostNamed(host)
	b := topology.Bond{Name: name, Mode: mode, MIIMon: 100, MAC: s.mac(), MTU: 1500, XmitHashPolicy: "layer3+4", Source: "proc/net/bonding/" + name}
	lacp := mode == "802.3ad"
	if lacp {
		b.LACPRate = "fast"
		b.ActiveAggregator = &topology.Aggregator{ID: 1, Ports: len(slaves), ActorKey: 15, PartnerKey: 10}
	}
	for i, c := range slaves {
		var nic, sw, port string
		if n, _ := fmt.Sscan(c, &nic, &sw, &port); n != 1 && n != 3 {
			panic("slave " + c + `: want "nic" or "nic switch port"`)
		}
		perm := s.mac()
		h.NICs = append(h.NICs, topology.NIC{Name: nic, MAC: b.MAC, PermMAC: perm, Speed: 10000, Duplex: "full", MTU: 1500, State: "up", Driver: "ixgbe", Master: name})
		sl := topology.Slave{Name: nic, MIIStatus: "up", Speed: 10000, Duplex: "full", PermMAC: perm}
		if lacp {
			sl.AggregatorID = 1
			sl.Actor = &topology.LACPPort{System: b.MAC, Key: 15, Port: i + 1, State: full, StateKnown: true}
			sl.Partner = &topology.LACPPort{System: s.sys[sw], Key: 10, Port: 100 + i, State: full, StateKnown: true}
			if sw == "" {
				sl.Partner.System = topology.ZeroMAC
			}
		}
		b.Slaves = append(b.Slaves, sl)
		if sw != "" {
			h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: nic, Protocol: topology.ProtoLLDP,
				SystemName: sw, PortIDSubtype: topology.IDIfName, PortID: port, Source: "lldpcli"})
		}
	}
	h.Bonds = append(h.Bonds, b)
	return &h.Bonds[len(h.Bonds)-1]
}

// bondOf returns a host's bond (valid until the host gets another bond).
func (s *site) bondOf(host, name string) *topology.Bond {
	h := s.hostNamed(host)
	for i := range h.Bonds {
		if h.Bonds[i].Name == name {
			return &h.Bonds[i]
		}
	}
	panic("no bond " + host + " " + name)
}

// slave returns a bond's slave.
func (s *site) slave(host, bond, nic string) *topology.Slave {
	b := s.bondOf(host, bond)
	for i := range b.Slaves {
		if b.Slaves[i].Name == nic {
			return &b.Slaves[i]
		}
	}
	panic("no slave " + nic)
}

// nic returns a host's NIC.
func (s *site) nic(host, nic string) *topology.NIC {
	h := s.hostNamed(host)
	for i := range h.NICs {
		if h.NICs[i].Name == nic {
			return &h.NICs[i]
		}
	}
	panic("no NIC " + nic)
}

// run joins the site and runs one rule, then the policy when one is given
// (policy.waiver-expired is reported by Policy.Apply, at 2026-06-01).
func (s *site) run(t *testing.T, rule string, p Params, policy string) []Finding {
	t.Helper()
	m, err := topology.Build(s.hosts, s.switches, topology.BuildOptions{Previous: s.prev})
	if err != nil {
		t.Fatal(err)
	}
	fs := Run(m, p, func(id string) bool { return id == rule })
	if policy != "" {
		pol, err := ParsePolicy([]byte(policy), "policy.yaml")
		if err != nil {
			t.Fatal(err)
		}
		fs = pol.Apply(fs, time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	}
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}
