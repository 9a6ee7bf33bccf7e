package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// LACP state seen from the host: rules that read the bonding driver's view
// of the negotiation. They consider slaves whose link is up: a slave that is
// down is bond.slave-down's finding, and its leftover LACP state (key 0, an
// aggregator of its own, no sync) is a consequence, not a second fault.

// zeroMAC: MACs are canonical from the load seam on (parsers, LoadHost,
// LoadSwitch), so the all-zero MAC has one spelling.
func zeroMAC(m string) bool {
	return m == "" || m == topology.ZeroMAC
}

// lacpSlaves returns the up slaves of class-lacp bonds.
func upSlaves(b *bondView) []*slaveView { return b.upS }

// mixed reports whether key gives two different values over the elements
// it accepts (ok): the rules that group slaves (or LAG members) by a key
// build their groups only then, so a bond without a finding costs no
// allocation.
func mixed[E any, K comparable](es []E, key func(E) (K, bool)) bool {
	var first K
	have := false
	for _, e := range es {
		k, ok := key(e)
		switch {
		case !ok:
		case !have:
			first, have = k, true
		case k != first:
			return true
		}
	}
	return false
}

// splitSlaves groups b's up slaves by key (a slave whose key is not ok is
// left out) and returns how many groups there are; with two or more it
// describes them in key order: one message part per group, part(names of
// its slaves, key), and one evidence line per slave, evf with the key.
func splitSlaves(b *bondView, key func(*slaveView) (int, bool), part func(names string, k int) string, evf string) (n int, parts, ev []string) {
	if !mixed(upSlaves(b), key) {
		// one group or none (most bonds): nothing to describe
		for _, s := range upSlaves(b) {
			if _, ok := key(s); ok {
				return 1, nil, nil
			}
		}
		return 0, nil, nil
	}
	groups := map[int][]*slaveView{}
	var keys []int
	for _, s := range upSlaves(b) {
		k, ok := key(s)
		if !ok {
			continue
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], s)
	}
	if len(keys) < 2 {
		return len(keys), nil, nil
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, part(names(groups[k]), k))
		for _, s := range groups[k] {
			ev = append(ev, b.slaveEv(s, evf, k))
		}
	}
	return len(keys), parts, ev
}

var lacpNoPartner = Rule{
	ID: "lacp.no-partner", Title: "802.3ad slave has no LACP partner", Severity: Error,
	Summary: "An 802.3ad slave's partner system MAC is 00:00:00:00:00:00, or its partner state is defaulted.",
	Why: `The host sends LACPDUs and hears none back: the switch port is not running
LACP. The Linux driver still enables the lone aggregator, so the bond "works"
while the switch treats the ports as independent: MAC flapping and loss.`,
	FixHost: `Nothing on the host if 802.3ad is intended: the switch must run LACP. Only if it cannot, make the bond active-backup (plain switch ports, no port-channel):
` + fixModeActiveBackup,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode active, on every bond port (NX-OS: feature lacp first); VLANs on interface port-channel10
Arista EOS: interface Ethernet1 / channel-group 10 mode active, on every bond port; VLANs on Port-Channel10 (MLAG: mlag 10 on both peers)
Junos: set chassis aggregated-devices ethernet device-count 1; set interfaces xe-0/0/1 ether-options 802.3ad ae0; set interfaces ae0 aggregated-ether-options lacp active`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"details partner lacp pdu\" (system mac address, port state) or the active aggregator's \"Partner Mac Address\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			perSlave := false
			for _, s := range upSlaves(&b) {
				p := s.s.Partner
				if p == nil {
					continue
				}
				if p.System != "" {
					perSlave = true
				}
				defaulted := s.f.PartnerDefaulted
				// System "" means not printed (ip-link gives only the state
				// bits): only the defaulted bit can tell then.
				noSystem := p.System != "" && s.f.PartnerSystem == ""
				if !noSystem && !defaulted {
					continue
				}
				f := b.finding(s)
				why := "partner system 00:00:00:00:00:00"
				if !noSystem {
					why = "partner state defaulted"
				}
				f.Message = fmt.Sprintf("%s slave %s hears no LACP partner (%s): the switch port is not running LACP", b.bond.Name, s.s.Name, why)
				f.Fix = "configure an LACP port-channel (mode active) on the switch port"
				f.Evidence = []string{b.slaveEv(s, "partner system %s, partner state %s", p.System, p.State.String())}
				if s.link != nil {
					f.Evidence = append(f.Evidence, linkEv(s))
				}
				c.Report(f)
			}
			// Older kernels print only the active aggregator's partner.
			if !perSlave && b.bond.ActiveAggregator != nil && b.bond.ActiveAggregator.PartnerMAC != "" && b.f.AggregatorPartner == "" && len(upSlaves(&b)) > 0 {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s hears no LACP partner (active aggregator partner 00:00:00:00:00:00): the switch ports are not running LACP", b.bond.Name)
				f.Fix = "configure an LACP port-channel (mode active) on the switch ports"
				f.Evidence = []string{b.hostEv("active aggregator %d partner MAC 00:00:00:00:00:00", b.bond.ActiveAggregator.ID)}
				c.Report(f)
			}
		}
	},
}

// partnered returns the up slaves with a known, non-zero partner system.
func partnered(b *bondView) []*slaveView { return b.partneredS }

var lacpPartnerMismatch = Rule{
	ID: "lacp.partner-mismatch", Title: "802.3ad slaves see different LACP partners", Severity: Error,
	Summary: "Slaves of one bond report different partner system MACs.",
	Why: `One LACP bond can only aggregate with one partner system. Different partner
MACs mean the slaves are cabled to switches that are not one MLAG/stack (an MLAG
pair presents one shared system ID): the driver picks one aggregator and the
slaves in the other carry no traffic.`,
	FixHost: `Nothing on the host if the switches should be one MLAG/vPC pair. If they cannot be, make the bond active-backup (plain ports on both switches):
` + fixModeActiveBackup,
	FixSwitch: `Make the two switches one MLAG/vPC domain with one port-channel for the bond, or cable every slave to one switch:
Cisco IOS/NX-OS: vPC (NX-OS): feature vpc; vpc domain 1 with peer-keepalive and vpc peer-link; interface port-channel10 / vpc 10 on both (IOS: a stack)
Arista EOS: mlag configuration (domain-id, local-interface, peer-address, peer-link) on both peers; interface Port-Channel10 / mlag 10 on both
Junos: set interfaces ae0 aggregated-ether-options mc-ae mc-ae-id 10 redundancy-group 1 chassis-id 0 mode active-active status-control active
Junos: the peer: chassis-id 1, status-control standby; both: set interfaces ae0 aggregated-ether-options lacp system-id 00:00:00:00:00:0a admin-key 10; ICCP`,
	Evidence: "/proc/net/bonding/<bond> per-slave partner \"system mac address\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			ps := partnered(&b)
			if !mixed(ps, func(s *slaveView) (topology.MAC, bool) { return s.f.PartnerSystem, true }) {
				continue
			}
			systems := map[string][]*slaveView{}
			var keys []string
			for _, s := range ps {
				m := string(s.f.PartnerSystem)
				if _, ok := systems[m]; !ok {
					keys = append(keys, m)
				}
				systems[m] = append(systems[m], s)
			}
			if len(keys) < 2 {
				continue
			}
			slices.Sort(keys)
			var parts, ev []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s → %s", names(systems[k]), k))
				for _, s := range systems[k] {
					ev = append(ev, b.slaveEv(s, "partner system %s key %d port %d", k, s.s.Partner.Key, s.s.Partner.Port))
				}
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s slaves see %d different LACP partner systems (%s): not one switch or MLAG pair, only one aggregator carries traffic", b.bond.Name, len(keys), strings.Join(parts, "; "))
			f.Fix = "cable every slave to one switch or to one MLAG pair with an MLAG port-channel"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

var lacpPartnerKeyMismatch = Rule{
	ID: "lacp.partner-key-mismatch", Title: "802.3ad slaves see different partner keys", Severity: Error,
	Summary: "Slaves see the same partner system but different partner keys.",
	Why:     "The partner key identifies the port-channel on the switch: different keys mean the ports are in different port-channels, and only one of them is used.",
	FixHost: `Nothing on the host; the switch has the bond's ports in different port-channels.`,
	FixSwitch: `Cisco IOS/NX-OS: show etherchannel summary (NX-OS: show port-channel summary); interface Gi1/0/2 / no channel-group / channel-group 10 mode active
Arista EOS: show port-channel; interface Ethernet2 / no channel-group / channel-group 10 mode active (MLAG: the same mlag ID on both peers)
Junos: show lacp interfaces; delete interfaces xe-0/0/2 ether-options 802.3ad; set interfaces xe-0/0/2 ether-options 802.3ad ae0`,
	Evidence: "/proc/net/bonding/<bond> per-slave partner \"oper key\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			ps := partnered(&b)
			if len(ps) < 2 || !mixed(ps, func(s *slaveView) (int, bool) { return s.s.Partner.Key, true }) {
				continue
			}
			sys := ps[0].f.PartnerSystem
			keys := map[int][]*slaveView{}
			var ks []int
			for _, s := range ps {
				if s.f.PartnerSystem != sys {
					sys = ""
					break
				}
				k := s.s.Partner.Key
				if _, ok := keys[k]; !ok {
					ks = append(ks, k)
				}
				keys[k] = append(keys[k], s)
			}
			if sys == "" || len(ks) < 2 {
				continue
			}
			slices.Sort(ks)
			var parts, ev []string
			for _, k := range ks {
				parts = append(parts, fmt.Sprintf("%s → key %d", names(keys[k]), k))
				for _, s := range keys[k] {
					ev = append(ev, b.slaveEv(s, "partner system %s key %d", sys, k))
				}
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s slaves see partner %s with different keys (%s): the switch ports are in different port-channels", b.bond.Name, sys, strings.Join(parts, "; "))
			f.Fix = "put every port of the bond in one port-channel on the switch"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

var lacpAggregatorSplit = Rule{
	ID: "lacp.aggregator-split", Title: "802.3ad slaves in different aggregators", Severity: Error,
	Summary: "Up slaves of one bond have different aggregator IDs.",
	Why:     "The bonding driver transmits only through the active aggregator; slaves in another aggregator carry no traffic and give no redundancy.",
	FixHost: `Nothing on the host fixes the split itself: it follows from the switch side or from unequal slave speeds (see the lacp.* and bond.speed-mismatch findings).`,
	FixSwitch: `Put every port of the bond in one LACP port-channel on one switch or one MLAG pair:
Cisco IOS/NX-OS: show etherchannel summary; show lacp neighbor (NX-OS: show port-channel summary); interface Gi1/0/2 / channel-group 10 mode active
Arista EOS: show port-channel; show lacp neighbor; interface Ethernet2 / channel-group 10 mode active (MLAG: interface Port-Channel10 / mlag 10 on both)
Junos: show lacp interfaces; set interfaces xe-0/0/2 ether-options 802.3ad ae0`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"Aggregator ID\" and \"Active Aggregator Info\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			n, parts, ev := splitSlaves(&b,
				func(s *slaveView) (int, bool) { return s.s.AggregatorID, s.s.AggregatorID != 0 },
				func(names string, id int) string { return fmt.Sprintf("%s in aggregator %d", names, id) },
				"aggregator ID %d")
			if n < 2 {
				continue
			}
			msg := fmt.Sprintf("%s slaves are split over %d aggregators (%s)", b.bond.Name, n, strings.Join(parts, "; "))
			if a := b.bond.ActiveAggregator; a != nil && a.ID != 0 {
				msg += fmt.Sprintf("; only aggregator %d carries traffic", a.ID)
				ev = append(ev, b.hostEv("active aggregator %d", a.ID))
			}
			f := b.finding(nil)
			f.Message = msg
			f.Fix = "put all of the bond's ports in one LACP port-channel on one switch or MLAG pair"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

const syncBits = topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing

var lacpNotSynced = Rule{
	ID: "lacp.not-synced", Title: "802.3ad slave not in sync/collecting/distributing", Severity: Error,
	Summary: "An up slave's actor or partner LACP state lacks synchronization, collecting or distributing.",
	Why: `A port carries traffic only when both ends are in sync, collecting and
distributing. A port missing any of them has been negotiated out of the bundle.`,
	FixHost: `Nothing on the host on its own: check in /proc/net/bonding/bond0 that every slave sees one partner and key; the other lacp.* findings name the cause.`,
	FixSwitch: `Cisco IOS/NX-OS: show lacp neighbor; show etherchannel 10 detail (NX-OS: show port-channel summary; show lacp interface Ethernet1/1); fix the reason shown
Arista EOS: show lacp interface Ethernet1; show port-channel 10 detailed; the port belongs in the Port-Channel that holds the other slaves
Junos: show lacp interfaces xe-0/0/1 extensive; set interfaces xe-0/0/1 ether-options 802.3ad ae0 (the bond's ae)`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"details actor lacp pdu\" and \"details partner lacp pdu\" port state.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			for _, s := range upSlaves(&b) {
				var missBuf [2]string
				missing := missBuf[:0]
				var ev []string
				for _, side := range []struct {
					name string
					p    *topology.LACPPort
				}{{"actor", s.s.Actor}, {"partner", s.s.Partner}} {
					if side.p == nil || !side.p.StateKnown {
						continue
					}
					if side.p.State&syncBits != syncBits {
						var lackBuf [3]string
						lack := lackBuf[:0]
						for _, x := range []struct {
							bit  topology.LACPState
							name string
						}{{topology.LACPSync, "sync"}, {topology.LACPCollecting, "collecting"}, {topology.LACPDistributing, "distributing"}} {
							if side.p.State&x.bit == 0 {
								lack = append(lack, x.name)
							}
						}
						missing = append(missing, side.name+" lacks "+strings.Join(lack, "/"))
						ev = append(ev, b.slaveEv(s, "%s port state %s", side.name, side.p.State.String()))
					}
				}
				if len(missing) == 0 {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s slave %s is negotiated out of the bundle: %s", b.bond.Name, s.s.Name, strings.Join(missing, ", "))
				f.Fix = "make the switch port a member of the same LACP port-channel as the other slaves"
				f.Evidence = ev
				c.Report(f)
			}
		}
	},
}

var lacpChurn = Rule{
	ID: "lacp.churn", Title: "LACP churn", Severity: Warning,
	Summary: "An up slave's actor or partner churn state is \"churned\".",
	Why:     "Churned means the LACP negotiation has failed to reach sync for longer than the churn timer: it keeps failing, usually because the two ends disagree about the bundle.",
	FixHost: `Nothing on the host on its own: churn is a symptom; the lacp.* findings name the cause (/proc/net/bonding/bond0 shows each slave's churn state and count).`,
	FixSwitch: `Cisco IOS/NX-OS: show lacp neighbor; show lacp counters (LACPDUs sent and received per member); the port must be in the bond's channel-group
Arista EOS: show lacp neighbor; show lacp counters; show port-channel 10 detailed
Junos: show lacp interfaces xe-0/0/1 extensive; show lacp statistics interfaces ae0`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"Actor Churn State\" and \"Partner Churn State\" (kernel 4.x+).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			for _, s := range upSlaves(&b) {
				var sides []string
				if strings.EqualFold(s.s.ActorChurn, "churned") {
					sides = append(sides, "actor")
				}
				if strings.EqualFold(s.s.PartnerChurn, "churned") {
					sides = append(sides, "partner")
				}
				if len(sides) == 0 {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s slave %s: LACP %s churned — the negotiation keeps failing", b.bond.Name, s.s.Name, strings.Join(sides, " and "))
				f.Fix = "fix the switch port's port-channel membership"
				f.Evidence = []string{b.slaveEv(s, "actor churn state %s, partner churn state %s", s.s.ActorChurn, s.s.PartnerChurn)}
				c.Report(f)
			}
		}
	},
}

var lacpSharedPartner = Rule{
	ID: "lacp.shared-partner", Title: "Two hosts in one switch port-channel", Severity: Error,
	Summary: "Bonds on two different hosts report the same partner system MAC and the same partner key.",
	Why: `The partner key identifies the switch port-channel. Two hosts negotiating with
one system and one key are in the same port-channel: the switch hashes each
host's traffic onto both hosts' links, and only one host can be the aggregator's
partner, so the other's links are suspended or black-holed.`,
	FixHost: `Nothing on the hosts; the switch has both hosts' ports in one port-channel.`,
	FixSwitch: `Give each host its own port-channel: move one host's ports to a new channel-group:
Cisco IOS/NX-OS: interface Gi1/0/3 / no channel-group / channel-group 11 mode active (the second host's ports); copy the VLAN config to interface port-channel11
Arista EOS: interface Ethernet3 / no channel-group / channel-group 11 mode active; VLANs on Port-Channel11 (MLAG: mlag 11 on both)
Junos: set chassis aggregated-devices ethernet device-count 2; delete interfaces xe-0/0/3 ether-options 802.3ad; set interfaces xe-0/0/3 ether-options 802.3ad ae1`,
	Evidence: "/proc/net/bonding/<bond> per-slave partner system MAC and oper key (\"details partner lacp pdu\"), or the active aggregator's Partner Mac Address and Partner Key.",
	Check: func(c *Context) {
		type key struct {
			sys macKey
			key int
		}
		// ev is made only for the keys two hosts share: formatting it for
		// every slave of the site was most of this rule's work.
		type use struct {
			b *bondView
			s *slaveView // nil: the bond's active aggregator
		}
		ev := func(u use) string {
			if s := u.s; s != nil {
				return u.b.slaveEv(s, "partner system %s, partner key %d", s.f.PartnerSystem, s.s.Partner.Key)
			}
			a := u.b.bond.ActiveAggregator
			return u.b.hostEv("active aggregator %d partner MAC %s, partner key %d", a.ID, u.b.f.AggregatorPartner, a.PartnerKey)
		}
		// the users of each key: most keys have one (one map), the keys
		// with several (what the rule looks at) are in more
		one, more := map[key]use{}, map[key][]use{}
		bonds := c.bonds()
		for i := range bonds {
			b := &bonds[i]
			if b.class != ClassLACP {
				continue
			}
			// the bond's keys: a bond has a few slaves, a scan beats a map
			var seenBuf [4]key
			seen := seenBuf[:0]
			add := func(k key, s *slaveView) {
				if k.sys == (macKey{}) || k.key == 0 || slices.Contains(seen, k) {
					return
				}
				seen = append(seen, k)
				u := use{b, s}
				if us, ok := more[k]; ok {
					more[k] = append(us, u)
				} else if f, ok := one[k]; ok {
					more[k] = []use{f, u}
					delete(one, k)
				} else {
					one[k] = u
				}
			}
			for _, s := range partnered(b) {
				if !s.f.PartnerReal() {
					continue
				}
				add(key{keyOfMAC(string(s.f.PartnerSystem)), s.s.Partner.Key}, s)
			}
			if a := b.bond.ActiveAggregator; a != nil && len(seen) == 0 && len(upSlaves(b)) > 0 {
				add(key{keyOfMAC(string(b.f.AggregatorPartner)), a.PartnerKey}, nil)
			}
		}
		for k, us := range more {
			if !slices.ContainsFunc(us[1:], func(u use) bool { return u.b.host.Name != us[0].b.host.Name }) {
				continue // one host's
			}
			for _, u := range us {
				var others []string
				evs := []string{ev(u)}
				for _, o := range us {
					if o.b.host.Name != u.b.host.Name {
						others = append(others, o.b.host.Name+" "+o.b.bond.Name)
						evs = append(evs, ev(o))
					}
				}
				f := u.b.finding(nil)
				f.Message = fmt.Sprintf("%s shares LACP partner %s key %d with %s: both hosts are in one switch port-channel", u.b.bond.Name, k.sys.String(), k.key, strings.Join(others, ", "))
				f.Fix = "give each host its own port-channel on the switch"
				f.Evidence = evs
				c.Report(f)
			}
		}
	},
}

// switchPassive tells whether a switch port runs LACP passive, from its
// configured mode or, failing that, its actor state (no activity bit).
func switchPassive(s *slaveView) (bool, string) {
	if s.port == nil || s.port.LACP == nil || !s.switchUsable() {
		return false, ""
	}
	pl := s.port.LACP
	switch strings.ToLower(pl.Mode) {
	case "passive":
		return true, fmt.Sprintf("switch %s: %s LACP mode passive", s.link.Switch, s.link.Port)
	case "active", "on", "desirable", "auto":
		return false, ""
	}
	if a := pl.Actor; a != nil && a.StateKnown && a.State&topology.LACPActivity == 0 && s.lag != nil && s.lag.Kind == topology.LAGLACP {
		return true, fmt.Sprintf("switch %s: %s actor state %s (no activity: passive)", s.link.Switch, s.link.Port, a.State.String())
	}
	return false, ""
}

var lacpBothPassive = Rule{
	ID: "lacp.both-passive", Title: "LACP passive on both ends", Severity: Error,
	Summary: "The host bond has lacp_active off and the switch member port is passive.",
	Why: `A passive LACP port only answers LACPDUs; it never starts the exchange. With
both ends passive no LACPDU is ever sent, the bundle never forms, and the bond
runs on a defaulted, unnegotiated aggregator.`,
	FixHost: `iproute2: ip link set bond0 down; ip link set bond0 type bond lacp_active on; ip link set bond0 up (kernel 5.15+; needs the bond down)
NetworkManager: nmcli connection modify bond0 bond.options "mode=802.3ad,miimon=100,lacp_active=on" (plus the other options); nmcli connection up bond0
netplan: has no lacp-active key and leaves the kernel default (on): find what turned it off, then recreate the bond (reboot)`,
	FixSwitch: `Alternatively (or as well), make the switch side active:
Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode active, on every member
Arista EOS: interface Ethernet1 / channel-group 10 mode active, on every member
Junos: set interfaces ae0 aggregated-ether-options lacp active`,
	Evidence: "The bond's lacp_active (ip -details link, /proc/net/bonding \"LACP active\"); the switch port's LACP mode or dot3adAggPortActorOperState activity bit.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP || b.bond.LACPActive == nil || *b.bond.LACPActive {
				continue
			}
			for i := range b.slaves {
				s := &b.slaves[i]
				passive, ev := switchPassive(s)
				if !passive {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s has lacp_active off and %s %s (%s) is LACP passive: neither end starts LACP", b.bond.Name, s.link.Switch, s.link.Port, s.s.Name)
				f.Fix = fmt.Sprintf("set lacp_active on on %s, or make %s %s LACP active", b.bond.Name, s.link.Switch, s.link.Port)
				f.Evidence = []string{b.hostEv("lacp_active off"), linkEv(s), ev}
				c.Report(f)
			}
		}
	},
}
