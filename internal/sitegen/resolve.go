package sitegen

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/bondaudit/bondaudit/topology"
)

// Resolve derives, from the cabling and configuration, what every device
// reports: link states, the LACP negotiation as the Linux bonding driver
// and the switch see it (partners, keys, port numbers, state bits,
// aggregator IDs and churn), LLDP neighbours in both directions and FDB
// entries. It models the Linux 802.3ad driver closely enough for the
// /proc/net/bonding files to look like a real kernel's:
//
//   - a slave without LACP partner keeps the default partner (MAC 0, key 1,
//     state "activity" only) and the "defaulted" bit; slaves without partner
//     share one aggregator, which the driver enables anyway;
//   - slaves facing different partner systems or keys get different
//     aggregators; only the active one (ad_select stable: partnered, then
//     bandwidth, then lowest ID) is in sync, collecting and distributing; the
//     others lose sync and churn;
//   - a slave whose link failed gets key 0 and an aggregator of its own,
//     keeps the partner it last heard, and loses sync.
//
// Resolve may be called once per site.
func (s *Site) Resolve() error {
	if s.resolved {
		return errors.New("sitegen: site already resolved")
	}
	if err := s.check(); err != nil {
		return err
	}
	s.resolved = true
	for _, h := range s.Hosts {
		resolveHostLocal(h)
	}
	for _, sw := range s.Switches {
		for _, p := range sw.Ports {
			switch {
			case p.NIC != nil:
				p.OperUp = p.AdminUp && !p.NIC.Down
			case p.Peer != nil:
				p.OperUp = p.AdminUp && p.Peer.AdminUp
			}
		}
	}
	for _, h := range s.Hosts {
		for _, b := range h.Bonds {
			resolveBond(b)
		}
	}
	for _, sw := range s.Switches {
		resolveSwitchLACP(sw)
		n := 0
		for _, p := range sw.Ports {
			if p.OperUp && (p.Peer != nil || !p.NIC.Host.NoLLDP) {
				n++
				p.remIndex = n
			}
		}
	}
	for _, h := range s.Hosts {
		addFDB(h)
	}
	for _, sw := range s.Switches {
		slices.SortFunc(sw.FDB, func(a, b FDBEntry) int {
			if c := cmp.Compare(a.VLAN, b.VLAN); c != 0 {
				return c
			}
			return cmp.Compare(macUint(a.MAC), macUint(b.MAC))
		})
	}
	return nil
}

func (s *Site) check() error {
	names := map[string]bool{}
	for _, sw := range s.Switches {
		if sw.Name == "" || names["s:"+sw.Name] {
			return fmt.Errorf("sitegen: switch name %q empty or used twice", sw.Name)
		}
		names["s:"+sw.Name] = true
		for _, p := range sw.Ports {
			if p.NIC != nil && p.NIC.Port != p {
				return fmt.Errorf("sitegen: %s %s: cabled to %s %s, which is cabled elsewhere", sw.Name, p.Name, p.NIC.Host.Name, p.NIC.Name)
			}
			if p.Peer != nil && p.Peer.Peer != p {
				return fmt.Errorf("sitegen: %s %s: peer port is cabled elsewhere", sw.Name, p.Name)
			}
		}
	}
	for _, h := range s.Hosts {
		if h.Name == "" || names["h:"+h.Name] {
			return fmt.Errorf("sitegen: host name %q empty or used twice", h.Name)
		}
		names["h:"+h.Name] = true
		for _, b := range h.Bonds {
			if len(b.Slaves) == 0 {
				return fmt.Errorf("sitegen: %s %s: no slaves", h.Name, b.Name)
			}
		}
	}
	return nil
}

func nicUp(n *NIC) bool { return !n.Down && n.Port != nil && n.Port.AdminUp }

func resolveHostLocal(h *Host) {
	h.loIndex = 1
	idx := 2
	for _, n := range h.NICs {
		n.IfIndex = idx
		idx++
		n.MAC = n.PermMAC
	}
	for _, b := range h.Bonds {
		b.IfIndex = idx
		idx++
		b.MAC = b.Slaves[0].PermMAC
		for _, n := range b.Slaves {
			if b.Mode != ModeALB && b.Mode != ModeTLB {
				n.MAC = b.MAC
			}
		}
	}
	for _, br := range h.Bridges {
		br.IfIndex = idx
		idx++
		if len(br.Bonds) > 0 {
			br.MAC = br.Bonds[0].MAC
		}
	}
	for _, b := range h.Bonds {
		b.vlanIndex = b.vlanIndex[:0]
		for range b.VLANs {
			b.vlanIndex = append(b.vlanIndex, idx)
			idx++
		}
	}
}

// speedKey is the 802.3ad port key the kernel derives from speed and full
// duplex (ad_update_actor_keys).
func speedKey(mbps int) int {
	var s int
	switch {
	case mbps >= 800000:
		s = 17
	case mbps >= 400000:
		s = 16
	case mbps >= 200000:
		s = 15
	case mbps >= 100000:
		s = 14
	case mbps >= 56000:
		s = 13
	case mbps >= 50000:
		s = 12
	case mbps >= 40000:
		s = 11
	case mbps >= 25000:
		s = 10
	case mbps >= 20000:
		s = 9
	case mbps >= 14000:
		s = 8
	case mbps >= 10000:
		s = 7
	case mbps >= 5000:
		s = 6
	case mbps >= 2500:
		s = 5
	case mbps >= 1000:
		s = 4
	case mbps >= 100:
		s = 3
	default:
		s = 2
	}
	return s<<1 | 1
}

// defaultPartner is the kernel's partner admin default (__record_default).
var defaultPartner = LACPInfo{SystemPriority: 65535, Key: 1, PortPriority: 255, Port: 1, State: topology.LACPActivity}

func resolveBond(b *Bond) {
	for _, n := range b.Slaves {
		st := &SlaveState{MIIUp: nicUp(n), ActorChurn: "none", PartnerChurn: "none"}
		if !st.MIIUp {
			st.LinkFailures = 1
		}
		n.Slave = st
	}
	if b.Mode == Mode8023AD {
		resolveLACP(b)
		return
	}
	for _, n := range b.Slaves {
		if n.Slave.MIIUp {
			if b.Mode == ModeAB || b.Mode == ModeTLB || b.Mode == ModeALB {
				b.ActiveSlave = n
			}
			break
		}
	}
	for _, n := range b.Slaves {
		if b.Mode == ModeAB {
			n.Slave.Active = n == b.ActiveSlave
		} else {
			n.Slave.Active = n.Slave.MIIUp
		}
	}
}

type aggregator struct {
	id         int
	ports      []*NIC
	key        int
	partner    LACPInfo
	individual bool
}

func (a *aggregator) hasPartner() bool { return !a.partner.System.IsZero() }

func (a *aggregator) bandwidth() int {
	bw := 0
	for _, n := range a.ports {
		if n.Slave.MIIUp {
			bw += n.Speed
		}
	}
	return bw
}

func resolveLACP(b *Bond) {
	base := topology.LACPActivity | topology.LACPAggregation
	if b.LACPRate == "fast" {
		base |= topology.LACPTimeout
	}
	// Aggregator i+1 belongs to slave i, as in the kernel.
	aggs := make([]*aggregator, len(b.Slaves))
	for i := range aggs {
		aggs[i] = &aggregator{id: i + 1}
	}
	for i, n := range b.Slaves {
		st := n.Slave
		st.Actor = LACPInfo{SystemPriority: 65535, System: b.MAC, PortPriority: 255, Port: i + 1}
		if st.MIIUp {
			st.Actor.Key = speedKey(n.Speed)
		}
		if p := n.Port; p != nil && p.LAG != nil && p.LAG.LACP {
			st.Partner = LACPInfo{
				SystemPriority: p.Switch.LACPPriority,
				System:         p.LAG.ActorSystem(),
				Key:            p.LAG.Number,
				PortPriority:   32768,
				Port:           p.LACPPort(),
			}
		} else {
			st.Partner = defaultPartner
		}
		// ad_port_selection_logic: join a matching aggregator, else take
		// the first free one.
		var chosen *aggregator
		for _, a := range aggs {
			if len(a.ports) == 0 {
				continue
			}
			if a.key == st.Actor.Key && a.partner.System == st.Partner.System &&
				a.partner.SystemPriority == st.Partner.SystemPriority && a.partner.Key == st.Partner.Key &&
				(!a.hasPartner() || !a.individual) {
				chosen = a
				break
			}
		}
		if chosen == nil {
			for _, a := range aggs {
				if len(a.ports) == 0 {
					chosen = a
					a.key, a.partner, a.individual = st.Actor.Key, st.Partner, st.Actor.Key&1 == 0
					break
				}
			}
		}
		chosen.ports = append(chosen.ports, n)
		st.AggID = chosen.id
	}
	var best *aggregator
	for _, a := range aggs {
		if a.bandwidth() == 0 {
			continue
		}
		if best == nil || betterAgg(a, best) {
			best = a
		}
	}
	if best != nil {
		b.ActiveAgg = best.id
	}
	for _, n := range b.Slaves {
		st := n.Slave
		defaulted := st.Partner.System.IsZero()
		inActive := st.MIIUp && st.AggID == b.ActiveAgg
		st.Active = inActive
		switch {
		case !st.MIIUp:
			// Detached; the partner last heard is kept.
			st.Actor.State = base
			if defaulted {
				st.Actor.State |= topology.LACPDefaulted
				st.PartnerChurn, st.PartnerChurned = "churned", 1
			} else {
				st.Partner.State = topology.LACPActivity | topology.LACPAggregation | topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
			}
		case defaulted:
			st.Actor.State = base | topology.LACPDefaulted
			if inActive {
				st.Actor.State |= topology.LACPSync
			} else {
				st.ActorChurn, st.ActorChurned = "churned", 1
			}
			st.PartnerChurn, st.PartnerChurned = "churned", 1
		default:
			// The switch has selected and attached the port (sync); it
			// collects and distributes only once the host is in sync.
			st.Partner.State = topology.LACPActivity | topology.LACPAggregation | topology.LACPSync
			if inActive {
				st.Actor.State = base | topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
				st.Partner.State |= topology.LACPCollecting | topology.LACPDistributing
			} else {
				st.Actor.State = base
				st.ActorChurn, st.ActorChurned = "churned", 1
			}
		}
	}
}

// betterAgg is ad_agg_selection_test for ad_select stable/bandwidth: an
// aggregating aggregator beats an individual one, a partnered one beats one
// without partner, then the higher bandwidth wins; ties keep the first.
func betterAgg(a, best *aggregator) bool {
	if a.individual != best.individual {
		return !a.individual
	}
	if a.hasPartner() != best.hasPartner() {
		return a.hasPartner()
	}
	return a.bandwidth() > best.bandwidth()
}

func resolveSwitchLACP(sw *Switch) {
	for _, l := range sw.LAGs {
		var attached *PortLACP
		for _, p := range l.Members {
			if !l.LACP {
				if p.OperUp {
					l.OperUp = true
					l.Speed += p.Speed
				}
				continue
			}
			pl := &PortLACP{
				Actor: LACPInfo{
					SystemPriority: sw.LACPPriority,
					System:         l.ActorSystem(),
					Key:            l.Number,
					PortPriority:   32768,
					Port:           p.LACPPort(),
				},
				ActorAdminState: topology.LACPActivity | topology.LACPAggregation,
			}
			p.LACP = pl
			switch {
			case !p.OperUp:
				pl.Actor.State = topology.LACPActivity | topology.LACPAggregation
			case p.NIC != nil && p.NIC.Bond != nil && p.NIC.Bond.Mode == Mode8023AD:
				st := p.NIC.Slave
				pl.Partner = st.Actor
				pl.Actor.State = st.Partner.State
				pl.Selected, pl.Attached = l.IfIndex, l.IfIndex
			case p.Peer != nil && p.Peer.LAG != nil && p.Peer.LAG.LACP:
				q := p.Peer
				bundled := topology.LACPActivity | topology.LACPAggregation | topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
				pl.Actor.State = bundled
				pl.Partner = LACPInfo{
					SystemPriority: q.Switch.LACPPriority,
					System:         q.LAG.ActorSystem(),
					Key:            q.LAG.Number,
					PortPriority:   32768,
					Port:           q.LACPPort(),
					State:          bundled,
				}
				pl.Selected, pl.Attached = l.IfIndex, l.IfIndex
			default:
				// Link up but no LACPDUs: the port stays out of the bundle
				// and runs as an individual port.
				pl.Actor.State = topology.LACPActivity | topology.LACPAggregation | topology.LACPDefaulted
				pl.Individual = true
			}
			if pl.Attached != 0 && attached == nil {
				attached = pl
			}
			if pl.Actor.State&topology.LACPCollecting != 0 {
				l.OperUp = true
				l.Speed += p.Speed
			}
		}
		if attached != nil {
			l.Partner = attached.Partner
		}
	}
}

// addFDB records the MACs a switch learns from hosts whose bonds do not
// aggregate (one source MAC per port, so the table is stable).
func addFDB(h *Host) {
	learn := func(n *NIC, mac MAC) {
		if p := n.Port; p != nil && p.OperUp {
			vlan := p.PVID
			if p.LAG != nil && !p.LACP.individual() {
				return
			}
			p.Switch.FDB = append(p.Switch.FDB, FDBEntry{VLAN: vlan, MAC: mac, Port: p})
		}
	}
	for _, b := range h.Bonds {
		switch b.Mode {
		case ModeAB:
			if b.ActiveSlave != nil {
				learn(b.ActiveSlave, b.MAC)
			}
		case ModeALB, ModeTLB:
			for _, n := range b.Slaves {
				if n.Slave.MIIUp {
					learn(n, n.MAC)
				}
			}
		}
	}
	for _, n := range h.NICs {
		if n.Bond == nil && nicUp(n) {
			learn(n, n.MAC)
		}
	}
}

func (pl *PortLACP) individual() bool { return pl != nil && pl.Individual }
